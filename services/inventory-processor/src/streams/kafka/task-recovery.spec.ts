import { DEFAULT_TASK_RECOVERY, nextRecoveryStep } from './task-recovery';

describe('nextRecoveryStep', () => {
  const policy = { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 500 };

  it('recreates the task with a doubling, capped backoff, then gives up (exit) after maxAttempts', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => nextRecoveryStep(n, policy))).toEqual([
      { action: 'recreate', delayMs: 100 },
      { action: 'recreate', delayMs: 200 },
      { action: 'recreate', delayMs: 400 },
      { action: 'recreate', delayMs: 500 },
      { action: 'exit' },
      { action: 'exit' },
    ]);
  });

  it('the default tries for about a minute before the process exits', () => {
    let totalMs = 0;
    let n = 1;
    for (let step = nextRecoveryStep(n, DEFAULT_TASK_RECOVERY); step.action === 'recreate';) {
      totalMs += step.delayMs;
      step = nextRecoveryStep(++n, DEFAULT_TASK_RECOVERY);
    }
    expect(n - 1).toBe(DEFAULT_TASK_RECOVERY.maxAttempts);
    expect(totalMs).toBeGreaterThan(30_000);
    expect(totalMs).toBeLessThan(120_000);
  });
});

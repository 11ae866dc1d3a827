/**
 * What the runtime does after a task failed (Kafka Streams' TaskCorrupted handling): recreate it
 * after a backoff, or give up so the process exits non-zero and its supervisor restarts it. The count
 * is of consecutive failures of one partition: a committed transaction resets it.
 */
export interface TaskRecoveryPolicy {
  /** Recreations in a row after which the process gives up. */
  maxAttempts: number;
  /** Delay before the first recreation; doubles with each further attempt. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_TASK_RECOVERY: TaskRecoveryPolicy = {
  // 8 attempts: 0.25 + 0.5 + 1 + 2 + 4 + 8 + 16 + 30 s ≈ 1 min of trying before the process exits, long
  // enough to ride out a broker restart or a leader election, short enough not to hide a real fault.
  maxAttempts: 8,
  initialBackoffMs: 250,
  maxBackoffMs: 30_000,
};

export type RecoveryStep = { action: 'recreate'; delayMs: number } | { action: 'exit' };

/** `failures`: consecutive failures of the partition, this one included (1 = the first). */
export function nextRecoveryStep(failures: number, policy: TaskRecoveryPolicy): RecoveryStep {
  if (failures > policy.maxAttempts) return { action: 'exit' };
  const delayMs = policy.initialBackoffMs * 2 ** Math.max(0, failures - 1);
  return { action: 'recreate', delayMs: Math.min(policy.maxBackoffMs, delayMs) };
}

/** Thrown by a task after a failure in its process/commit path: it must be closed and recreated. */
export class TaskCorruptedError extends Error {
  constructor(
    readonly partition: number,
    readonly during: 'batch' | 'timers' | 'start',
    cause: unknown,
  ) {
    super(
      `partition ${partition} task corrupted during ${during}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'TaskCorruptedError';
  }
}

import type { Logger } from 'pino';

export type ShutdownStep = { name: string; run: () => Promise<void> };

/**
 * SIGTERM/SIGINT run the steps in order (drain, commit, close), each bounded by a deadline so a stuck
 * dependency cannot keep the process alive; the exit code says whether everything closed cleanly.
 */
export function installShutdown(
  logger: Logger,
  steps: ShutdownStep[],
  { deadlineMs = 10_000, exit = (code: number) => process.exit(code) } = {},
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      let failed = false;
      for (const step of steps) {
        try {
          await Promise.race([
            step.run(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('deadline exceeded')), deadlineMs).unref(),
            ),
          ]);
          logger.info({ step: step.name }, 'shutdown step done');
        } catch (error) {
          failed = true;
          logger.error({ step: step.name, err: error }, 'shutdown step failed');
        }
      }
      exit(failed ? 1 : 0);
    })();
    return running;
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  return shutdown;
}

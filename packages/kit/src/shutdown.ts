import { type Logger } from 'pino';
import { flushTracing } from './tracing';

export type ShutdownStep = { name: string; run: () => Promise<unknown> };

/**
 * Runs `steps` in order on SIGTERM/SIGINT (drain HTTP first, then close pools), and exits
 * non-zero if they take longer than `timeoutMs`. Returns the function so tests can call it.
 */
export function installShutdown(log: Logger, steps: ShutdownStep[], timeoutMs: number): () => Promise<void> {
  let started: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    started ??= (async () => {
      const timer = setTimeout(() => {
        log.error({ timeoutMs }, 'shutdown timed out');
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      for (const step of steps) {
        try {
          await step.run();
          log.info({ step: step.name }, 'shutdown step done');
        } catch (error) {
          log.error({ step: step.name, err: error }, 'shutdown step failed');
        }
      }
      await flushTracing();
      clearTimeout(timer);
    })();
    return started;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      void shutdown().then(() => process.exit(0));
    });
  }
  return shutdown;
}

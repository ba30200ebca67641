import { type Logger } from '@medcollab/kit';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { logError } from './log-error';

export interface LoopOptions {
  name: string;
  log: Logger;
  /** Pause between runs when the last run found no more work. */
  intervalMs: number;
  /**
   * One pass; resolves true when there is more work right away (a full batch), or the number of
   * milliseconds to sleep before the next pass (a timer loop that knows when its next work is due).
   */
  run: () => Promise<boolean | number>;
  /** Pause after failures, growing while they repeat (PostgreSQL or Redis away). */
  errorBackoff?: BackoffPolicy;
}

export interface Loop {
  /** Runs the next pass now instead of after the interval. */
  wake(): void;
  /** Stops after the current pass; resolves when it has finished. */
  stop(): Promise<void>;
}

/**
 * A background loop that never dies: a failing pass is logged and retried after a backoff,
 * so a PostgreSQL restart or a terminated connection only delays the work.
 */
export function startLoop(opts: LoopOptions): Loop {
  const errorBackoff = opts.errorBackoff ?? { baseMs: 200, maxMs: 5_000 };
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let failures = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const finished = (async () => {
    while (!stopped) {
      let pause = opts.intervalMs;
      try {
        const result = await opts.run();
        pause = result === true ? 0 : typeof result === 'number' ? Math.max(0, result) : opts.intervalMs;
        if (failures) opts.log.info({ loop: opts.name, failures }, 'event loop recovered');
        failures = 0;
      } catch (error) {
        failures++;
        opts.log.warn({ loop: opts.name, err: logError(error), failures }, 'event loop pass failed; retrying');
        if (!stopped) await sleep(backoffDelay(failures, errorBackoff));
        continue;
      }
      if (pause > 0 && !stopped) await sleep(pause);
    }
  })();

  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      wakeUp?.();
      await finished;
    },
  };
}

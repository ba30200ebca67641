import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type ProgressDetail, type SolveOptions } from './types';

/**
 * Budget, progress and cancellation of one run. HiGHS blocks the thread while it solves, so
 * cancellation is observed between solves and phases: `checkpoint()` first yields to the event
 * loop (letting an abort from a queue event land) and then throws the signal's reason.
 */
export interface RunContext {
  readonly relGap: number;
  readonly strategy: NonNullable<SolveOptions['strategy']>;
  /** Seconds left in the budget. */
  remaining(): number;
  elapsed(): number;
  /** Reports progress; fractions never go backwards. */
  progress(fraction: number, phase: string, detail?: ProgressDetail): void;
  checkpoint(): Promise<void>;
  /** Synchronous poll, for HiGHS callbacks. */
  aborted(): boolean;
}

export function createContext(options: SolveOptions = {}): RunContext {
  const started = performance.now();
  const limit = options.timeLimitSeconds ?? 300;
  let last = 0;
  return {
    relGap: options.mipRelGap ?? 0,
    strategy: options.strategy ?? 'AUTO',
    remaining: () => limit - (performance.now() - started) / 1000,
    elapsed: () => (performance.now() - started) / 1000,
    progress(fraction, phase, detail) {
      last = Math.min(1, Math.max(last, fraction));
      if (detail) options.onProgress?.(last, phase, detail);
      else options.onProgress?.(last, phase);
    },
    async checkpoint() {
      options.signal?.throwIfAborted();
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    },
    aborted: () => options.signal?.aborted ?? false,
  };
}

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AllocationInputError } from './schema';
import { WARM_UP_SECONDS } from './solver/warm-up';
import { type ProgressDetail, type VariationOptions, type VariationsResult } from './types';

/**
 * `runVariations` in a worker thread (node:worker_threads). HiGHS is synchronous WebAssembly: in
 * the caller's thread a solve holds the event loop for up to the time limit, so heartbeats,
 * progress writes and other jobs wait. Here the caller's loop stays free: progress arrives as
 * messages (phase, fraction and, while OPTIMAL solves, the incumbent and its gap), and an abort
 * terminates the thread, which stops a solve at once instead of at the next checkpoint.
 *
 * The snapshot and options are copied to the thread (structured clone); the result comes back
 * the same way. Errors keep their meaning: a malformed snapshot rejects with AllocationInputError
 * (with its issues), a cancellation with the signal's reason.
 */

export interface ThreadProgress {
  fraction: number;
  phase: string;
  detail: ProgressDetail | null;
  /** The worker thread that solves (never the caller's, whose threadId is 0 in the main thread). */
  threadId: number;
}

type Message =
  | { type: 'warm'; seconds: number; solves: number; interrupted: boolean; threadId: number }
  | ({ type: 'progress' } & ThreadProgress)
  | { type: 'done'; result: VariationsResult }
  | { type: 'error'; message: string; issues: string[] | null };

/** Runs from TypeScript sources (tests, tsx) or compiled JavaScript (the production image). */
function startWorker(workerData: unknown): Worker {
  if (__filename.endsWith('.ts')) {
    // Sources: the thread needs a TypeScript loader of its own (Jest's and tsx's hooks stay in the parent).
    const entry = join(__dirname, 'thread-entry.ts');
    const loader = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
  }
  return new Worker(join(__dirname, 'thread-entry.js'), { workerData });
}

/**
 * The kept-warm thread (ADR 0068): started ahead of any run, it warms HiGHS up, then solves each
 * run handed to it, so the WebAssembly that tiered up during one run (or the warm-up) serves the
 * next. Null when none is kept, or while it solves (a run meanwhile gets a one-off thread).
 */
interface Spare {
  worker: Worker;
  /** The warm-up's figures once the thread has reported them. */
  warm: Promise<WarmThread>;
}

/** What a kept-warm thread reported after its warm-up. */
export interface WarmThread {
  seconds: number;
  solves: number;
  /** The warm-up ended early because a run was waiting. */
  interrupted: boolean;
  threadId: number;
}

let spare: Spare | null = null;
/** The kept thread while a run has it (a one-off thread ending meanwhile must not start another). */
let lent: Spare | null = null;
/** Seconds of warm-up of each kept-warm thread, null when no thread is kept warm. */
let keptWarm: number | null = null;

function startSpare(seconds: number): Spare {
  const worker = startWorker({ warmUpSeconds: seconds });
  // An idle thread never keeps the process alive; a run holds it (ref) while it solves.
  worker.unref();
  const warm = new Promise<WarmThread>((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (m.type !== 'warm') return;
      worker.off('message', onMessage);
      resolve({ seconds: m.seconds, solves: m.solves, interrupted: m.interrupted, threadId: m.threadId });
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the kept-warm allocation thread exited with code ${code}`)));
  });
  warm.catch(() => undefined);
  const own: Spare = { worker, warm };
  // A thread that dies while idle is dropped; the next run starts a fresh one (and a fresh spare).
  const drop = () => {
    if (spare === own) spare = null;
  };
  worker.once('error', drop);
  worker.once('exit', drop);
  return own;
}

/**
 * Keeps one allocation thread started and warmed up ahead of the runs (the rotations worker calls
 * it at start-up): each `runVariationsInThread` takes it when it is free, hands it back after an
 * answer, and replaces it after a cancellation (the thread is terminated) or a failure. Returns
 * the warm-up's figures of the thread now kept, and a stop that terminates it.
 */
export function keepAllocationThreadWarm(seconds = WARM_UP_SECONDS): { warm: Promise<WarmThread>; stop: () => Promise<void> } {
  keptWarm = seconds;
  if (!spare && !lent) spare = startSpare(seconds);
  return {
    warm: (spare ?? lent)!.warm,
    stop: async () => {
      keptWarm = null;
      const idle = spare;
      spare = null;
      await idle?.worker.terminate();
    },
  };
}

export function runVariationsInThread(
  input: unknown,
  options: Omit<VariationOptions, 'onProgress' | 'onVariation'> & { onProgress?: (progress: ThreadProgress) => void },
): Promise<VariationsResult> {
  const { onProgress, signal, ...rest } = options;
  signal?.throwIfAborted();
  return new Promise<VariationsResult>((resolve, reject) => {
    const taken = spare;
    spare = null;
    if (taken) lent = taken;
    let worker: Worker;
    if (taken) {
      worker = taken.worker;
      worker.ref();
      worker.postMessage({ input, options: rest });
    } else worker = startWorker({ input, options: rest });
    let settled = false;
    const settle = (fn: () => void, healthy = false) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      fn();
      if (taken) lent = null;
      if (taken && healthy && keptWarm !== null && !spare) {
        // The kept-warm thread answered: it stays, warm, for the next run.
        worker.unref();
        spare = taken;
        return;
      }
      void worker.terminate();
      if (keptWarm !== null && !spare && !lent) spare = startSpare(keptWarm);
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const onMessage = (m: Message) => {
      if (m.type === 'warm') return;
      if (m.type === 'progress') {
        if (!settled) onProgress?.({ fraction: m.fraction, phase: m.phase, detail: m.detail, threadId: m.threadId });
      } else if (m.type === 'done') {
        settle(() => resolve(m.result), true);
      } else {
        // A malformed snapshot is the caller's fault, not the thread's: it stays.
        settle(() => reject(m.issues ? new AllocationInputError(m.issues) : new Error(m.message)), m.issues !== null);
      }
    };
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) => settle(() => reject(new Error(`allocation thread exited with code ${code} before answering`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

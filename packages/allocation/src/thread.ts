import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AllocationInputError } from './schema';
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

export function runVariationsInThread(
  input: unknown,
  options: Omit<VariationOptions, 'onProgress'> & { onProgress?: (progress: ThreadProgress) => void },
): Promise<VariationsResult> {
  const { onProgress, signal, ...rest } = options;
  signal?.throwIfAborted();
  return new Promise<VariationsResult>((resolve, reject) => {
    const worker = startWorker({ input, options: rest });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: Message) => {
      if (m.type === 'progress') {
        if (!settled) onProgress?.({ fraction: m.fraction, phase: m.phase, detail: m.detail, threadId: m.threadId });
      } else if (m.type === 'done') {
        settle(() => resolve(m.result));
      } else {
        settle(() => reject(m.issues ? new AllocationInputError(m.issues) : new Error(m.message)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`allocation thread exited with code ${code} before answering`))));
  });
}

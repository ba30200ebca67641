import { parentPort, threadId, workerData } from 'node:worker_threads';
import { runVariations } from './run';
import { AllocationInputError } from './schema';
import { type VariationOptions } from './types';

/**
 * The worker thread's side of `runVariationsInThread` (thread.ts): solves one snapshot and posts
 * progress, then the result (or the error) to the parent. Cancellation is the parent terminating
 * the thread, which stops HiGHS at once, even in the middle of a solve.
 */
const { input, options } = workerData as { input: unknown; options: Omit<VariationOptions, 'onProgress' | 'signal'> };

runVariations(input, {
  ...options,
  onProgress: (fraction, phase, detail) => parentPort!.postMessage({ type: 'progress', fraction, phase, detail: detail ?? null, threadId }),
}).then(
  (result) => parentPort!.postMessage({ type: 'done', result }),
  (error: unknown) =>
    parentPort!.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      issues: error instanceof AllocationInputError ? error.issues : null,
    }),
);

import { parentPort, receiveMessageOnPort, threadId, workerData } from 'node:worker_threads';
import { runVariations } from './run';
import { AllocationInputError } from './schema';
import { warmUpSolver } from './solver/warm-up';
import { type VariationOptions } from './types';

/**
 * The worker thread's side of `runVariationsInThread` (thread.ts): solves a snapshot and posts
 * progress, then the result (or the error) to the parent. Cancellation is the parent terminating
 * the thread, which stops HiGHS at once, even in the middle of a solve.
 *
 * A one-off thread gets its snapshot in `workerData` and solves it at once. A kept-warm thread
 * (`keepAllocationThreadWarm`, ADR 0068) warms HiGHS up first, says so, and then solves each
 * snapshot posted to it in turn, its tiered-up WebAssembly kept from one run to the next.
 */
type Job = { input: unknown; options: Omit<VariationOptions, 'onProgress' | 'signal'> };
const data = workerData as Job | { warmUpSeconds: number };
const port = parentPort!;

function solve({ input, options }: Job): Promise<void> {
  return runVariations(input, {
    ...options,
    onProgress: (fraction, phase, detail) => port.postMessage({ type: 'progress', fraction, phase, detail: detail ?? null, threadId }),
  }).then(
    (result) => port.postMessage({ type: 'done', result }),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
        issues: error instanceof AllocationInputError ? error.issues : null,
      }),
  );
}

async function keptWarm(warmUpSeconds: number): Promise<void> {
  // A snapshot that arrives during the warm-up ends it at the next solve: it never waits for all of it.
  let early: Job | undefined;
  const waiting = () => (early ??= receiveMessageOnPort(port)?.message as Job | undefined) !== undefined;
  const warm = await warmUpSolver(warmUpSeconds, waiting);
  port.postMessage({ type: 'warm', seconds: warm.seconds, solves: warm.solves, interrupted: warm.interrupted, threadId });
  // One run at a time: the parent posts the next snapshot only after this one's answer.
  let queue = early ? solve(early) : Promise.resolve();
  port.on('message', (job: Job) => {
    queue = queue.then(() => solve(job));
  });
}

if ('warmUpSeconds' in data) void keptWarm(data.warmUpSeconds);
else void solve(data);

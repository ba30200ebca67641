import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on one of this package's entry files (its name without extension), from
 * TypeScript sources (tests, tsx) or compiled JavaScript (the production image).
 */
export function startWorker(dir: string, entry: string, workerData: unknown): Worker {
  if (__filename.endsWith('.ts')) {
    // Sources: the thread needs a TypeScript loader of its own (Jest's and tsx's hooks stay in the parent).
    const file = join(dir, `${entry}.ts`);
    const loader = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(file)});`, { eval: true, workerData });
  }
  return new Worker(join(dir, `${entry}.js`), { workerData });
}

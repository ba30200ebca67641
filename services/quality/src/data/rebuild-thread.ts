import { parentPort, workerData } from 'node:worker_threads';
import { type SharePort, serveShare, type ShareTask } from './rebuild-share';

/** A rebuild share's worker thread (rebuild-shares.ts starts it): serves the share to the rebuild until closed. */
serveShare(parentPort as unknown as SharePort, workerData as ShareTask);

import type * as BullMQ from 'bullmq';

let loaded: typeof BullMQ | undefined;

/**
 * BullMQ, loaded when a queue or worker is first made: a process that only writes to its outbox
 * (every subgraph's API) never needs it, and it is about 170 modules that Jest would otherwise
 * load again for every test file that imports a service (about a tenth of their start-up).
 */
export function bullmq(): typeof BullMQ {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('bullmq') as typeof BullMQ);
}

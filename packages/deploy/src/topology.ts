import { DEFAULT_EVENTS_PREFIX, eventQueueName } from '@medcollab/events';
import { GATEWAY_METRICS_PORT, GATEWAY_PORT, SUBGRAPHS, workerHealthPort } from '@medcollab/kit';

/** Where a process may open connections besides DNS. */
export type Egress = 'postgres' | 'redis' | 'smtp' | 'webhooks';

/** One service of the table as the manifests need it: its subgraph, its worker and their queues. */
export interface ServiceTopology {
  name: string;
  port: number;
  workerHealthPort: number;
  /** BullMQ queues its worker consumes (their waiting jobs scale the worker). */
  queues: string[];
  /** What its worker may reach (the subgraph reaches PostgreSQL and Redis only). */
  workerEgress: Egress[];
}

/**
 * Queues beyond `events.<service>` that a service's worker consumes (its tasks' queues: the
 * network worker's roster imports, the quality worker's snapshot sweeps; reminders have no queue,
 * they fire from the plan in PostgreSQL, ADR 0029), and egress beyond
 * PostgreSQL and Redis: delivery to people (SMTP) and to institution systems (webhooks) is the
 * notifications worker's alone. Names follow docs/architecture.md's queue list and the
 * `medcollab_queue_jobs` gauge (docs/operations.md); KEDA watches every one of them.
 */
const EXTRA_QUEUES: Partial<Record<string, string[]>> = {
  network: [eventQueueName('network-roster-imports')],
  quality: ['quality-snapshots'],
};
const EXTRA_EGRESS: Partial<Record<string, Egress[]>> = {
  notifications: ['smtp', 'webhooks'],
};

export const GATEWAY = { name: 'gateway', port: GATEWAY_PORT, metricsPort: GATEWAY_METRICS_PORT } as const;

/** The key prefix of every BullMQ queue (the workers' EVENTS_PREFIX). */
export const QUEUE_PREFIX = DEFAULT_EVENTS_PREFIX;

/** The Redis list BullMQ 6 keeps a queue's waiting jobs in (`<prefix>:<queue>:wait`; delayed and prioritized jobs are sorted sets). */
export const bullWaitListKey = (prefix: string, queue: string): string => `${prefix}:${queue}:wait`;

export function serviceTopology(table: readonly { name: string; port: number }[] = SUBGRAPHS): ServiceTopology[] {
  return table.map(({ name, port }) => ({
    name,
    port,
    workerHealthPort: workerHealthPort(port),
    queues: [eventQueueName(name), ...(EXTRA_QUEUES[name] ?? [])],
    workerEgress: ['postgres', 'redis', ...(EXTRA_EGRESS[name] ?? [])],
  }));
}

import { type Queue } from 'bullmq';
import { bullmq } from './bullmq';
import { type Logger } from '@medcollab/kit';
import { type EventJobData } from './contract';
import { logError } from './log-error';
import { bullConnection } from './redis';
import { eventQueueName } from './routes';
import { withTimeout } from './timeout';

export type EventQueue = Queue<EventJobData, unknown, string>;

/** Where the event queues live: a Redis URL and the key prefix that isolates them. */
export interface QueueConnection {
  redisUrl: string;
  /** BullMQ key prefix; tests use a unique one per file. */
  prefix: string;
}

/** The producer's handles on its consumers' queues (`events.<consumer>`), created on first use. */
export class EventQueues {
  private readonly queues = new Map<string, EventQueue>();

  constructor(
    private readonly connection: QueueConnection,
    private readonly log: Logger,
  ) {}

  get(consumer: string): EventQueue {
    let queue = this.queues.get(consumer);
    if (!queue) {
      const { Queue } = bullmq();
      queue = new Queue<EventJobData, unknown, string>(eventQueueName(consumer), {
        connection: bullConnection(this.connection.redisUrl),
        prefix: this.connection.prefix,
      });
      // Without a listener, a Redis outage surfaces as an unhandled 'error' and kills the process.
      queue.on('error', (error) => this.log.warn({ err: logError(error), queue: queue!.name }, 'event queue error'));
      this.queues.set(consumer, queue);
    }
    return queue;
  }

  /** Closes every queue; one whose Redis is unreachable is disconnected after `timeoutMs`. */
  async close(timeoutMs = 2_000): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => withTimeout(q.close(), timeoutMs, `closing ${q.name}`).catch(() => q.disconnect())));
  }
}

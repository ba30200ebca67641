import { type Redis } from 'ioredis';
import { type DataSource, type EntityManager } from 'typeorm';
import { runCommand, type UniqueRefusals } from './db';
import { type RequestContext } from './subgraph';

/** Who caused an event and in which request; the outbox records it with every event. */
export interface EventMeta {
  requestId?: string;
  actorId?: string;
}

/**
 * What the kit gives every resolver of every service, before the service adds its loaders:
 * the verified actor, the database, one clock reading per request and the transactional command.
 */
export interface ServiceContext extends RequestContext {
  dataSource: DataSource;
  redis: Redis;
  /** Recorded with every event this request writes. */
  eventMeta: Required<EventMeta>;
  /** The request's "now": every window, grant and due-date check of one request agrees on it. */
  now: Date;
  /**
   * One command, one transaction: the work commits or nothing does, and a unique index hit by a
   * racing writer becomes the refusal the service declared for it (its `uniqueRefusals`).
   */
  command<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
}

export function createServiceContext(
  base: RequestContext,
  deps: { dataSource: DataSource; redis: Redis; uniqueRefusals?: UniqueRefusals },
): ServiceContext {
  return {
    ...base,
    dataSource: deps.dataSource,
    redis: deps.redis,
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
    now: new Date(),
    command: (work) => runCommand(deps.dataSource, work, deps.uniqueRefusals),
  };
}

import { type Redis } from 'ioredis';
import { type DataSource, type EntityManager } from 'typeorm';
import { AuditCollector, type AuditSink } from './audit';
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
  /**
   * The request's audit trail (ADR 0008): `ctx.audit.read(...)` after an access check let a student
   * record through, `ctx.audit.change(...)` inside a command. Written once per request.
   */
  audit: AuditCollector;
}

export function createServiceContext(
  base: RequestContext,
  deps: {
    dataSource: DataSource;
    redis: Redis;
    uniqueRefusals?: UniqueRefusals;
    audit?: AuditSink;
    onAuditFailure?: () => void;
    /** AUDIT_STRICT: withhold an answer whose audit entries could not be written. */
    auditStrict?: boolean;
  },
): ServiceContext {
  const now = new Date();
  const audit = new AuditCollector(
    { actor: base.actor, requestId: base.requestId, operation: base.operation ?? '', now },
    { sink: deps.audit, dataSource: deps.dataSource, log: base.log, onFailure: deps.onAuditFailure, strict: deps.auditStrict },
  );
  return {
    ...base,
    dataSource: deps.dataSource,
    redis: deps.redis,
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
    now,
    // The changes a command recorded commit with it (same transaction as its domain events) or vanish with it.
    command: (work) =>
      runCommand(
        deps.dataSource,
        async (em) => {
          const result = await work(em);
          await audit.writeChanges(em);
          return result;
        },
        deps.uniqueRefusals,
      ).catch((error: unknown) => {
        audit.discardChanges();
        throw error;
      }),
    audit,
  };
}

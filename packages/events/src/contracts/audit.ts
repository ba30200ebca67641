import { z } from 'zod';
import { ROLES } from '@medcollab/kit';
import { defineEvent } from '../contract';
import { instant } from './scalars';

/** One student record read or changed in a request (ADR 0008). */
export const auditEntrySchema = z.object({
  action: z.enum(['READ', 'CHANGE']),
  /** The GraphQL type of the record (Student, Placement, AssessmentTask…). */
  recordType: z.string().min(1).max(64),
  recordId: z.string().min(1).max(200),
  studentId: z.uuid(),
  /** The student's school: the institution that owns the entry and its hash chain. */
  schoolId: z.uuid(),
  fields: z.array(z.string().max(100)).max(200),
  /** For a change: the operation performed (e.g. updateStudent). */
  change: z.string().max(100).nullable(),
  /** Why, where the API asks for it. */
  reason: z.string().max(2000).nullable(),
});

/**
 * A subgraph answered one request that read or changed student records: who asked (the verified
 * actor), from which client request and operation, when, and which records. Aggregate: the batch
 * itself (a fresh id per batch, so batches never wait on one another). Consumed by the audit
 * service, which appends one chained row per entry.
 */
export const AuditRecorded = defineEvent(
  'AuditRecorded',
  1,
  'AuditBatch',
  z.object({
    requestId: z.string().min(1).max(200),
    operation: z.string().max(200),
    actor: z.object({
      personId: z.string().min(1).max(200),
      institutionId: z.string().nullable(),
      roles: z.array(z.enum(ROLES)),
    }),
    at: z.iso.datetime({ offset: true }),
    entries: z.array(auditEntrySchema).min(1),
  }),
);

const UUID = z.regexes.uuid();
const INSTANT = z.regexes.datetime({ offset: true });
const KNOWN_ROLES: ReadonlySet<unknown> = new Set(ROLES);
const text = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
const nullableText = (v: unknown, max: number) => v === null || text(v, 0, max);

/**
 * Whether an entry satisfies {@link auditEntrySchema}, without zod: a request's batch is checked
 * on the read path of every subgraph (ADR 0028: a page of 50 entries cost about as much to parse
 * with zod as to serialise). The same rules as the schema, written out; the schema stays the
 * contract (test/audit-contract.test.ts checks they agree), and a batch this refuses is parsed by
 * zod for its error message.
 */
export function isAuditEntry(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return (
    (x.action === 'READ' || x.action === 'CHANGE') &&
    text(x.recordType, 1, 64) &&
    text(x.recordId, 1, 200) &&
    typeof x.studentId === 'string' &&
    UUID.test(x.studentId) &&
    typeof x.schoolId === 'string' &&
    UUID.test(x.schoolId) &&
    Array.isArray(x.fields) &&
    x.fields.length <= 200 &&
    x.fields.every((f) => text(f, 0, 100)) &&
    nullableText(x.change, 100) &&
    nullableText(x.reason, 2000)
  );
}

/**
 * Whether a batch's header (everything but its entries) satisfies the AuditRecorded schema,
 * without zod, like {@link isAuditEntry}: zod's parse of these few fields cost more per request
 * than all the entries' checks together.
 */
export function isAuditBatchHeader(h: { requestId: unknown; operation: unknown; actor: unknown; at: unknown }): boolean {
  if (typeof h.actor !== 'object' || h.actor === null) return false;
  const a = h.actor as Record<string, unknown>;
  return (
    text(h.requestId, 1, 200) &&
    text(h.operation, 0, 200) &&
    text(a.personId, 1, 200) &&
    (a.institutionId === null || typeof a.institutionId === 'string') &&
    Array.isArray(a.roles) &&
    a.roles.every((r) => KNOWN_ROLES.has(r)) &&
    typeof h.at === 'string' &&
    INSTANT.test(h.at)
  );
}

/**
 * A checkpoint of an institution's audit chain: its head, by position (the number of entries it
 * has held since it began; retention never renumbers) and hash. The audit worker writes one when the chain has grown since
 * the last, and notifications delivers it to the institution's webhook subscribers, so the
 * institution keeps a copy outside our database: a rewrite of the chain and of our own
 * checkpoints no longer matches theirs (`pnpm audit:verify --expect`). Aggregate: the chain.
 */
export const AuditChainAnchored = defineEvent(
  'AuditChainAnchored',
  1,
  'AuditChain',
  z.object({
    institutionId: z.uuid(),
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    anchoredAt: instant,
  }),
);

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

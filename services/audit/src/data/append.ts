import { type AuditRecorded, type EventEnvelope, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type ChainedEntry, chainHash, GENESIS } from '../domain/chain';
import { auditSettings } from '../settings';

/**
 * Runs `write` as the audit writer role (ADR 0023: INSERT and SELECT only on the trail), for the
 * rest of `em`'s transaction, and goes back to the connection's user afterwards so the
 * consumer's inbox row is written as before. A failure aborts the transaction, whose rollback
 * undoes the role too (a reset there would only hide the error).
 */
async function asWriter<T>(em: EntityManager, role: string | null, write: () => Promise<T>): Promise<T> {
  if (!role) return write();
  await em.query(`SELECT set_config('role', $1, true)`, [role]);
  const result = await write();
  await em.query(`SELECT set_config('role', 'none', true)`);
  return result;
}

/** The head of an institution's chain: its last entry, else its latest anchor, else genesis. */
async function chainHead(em: EntityManager, institutionId: string): Promise<{ seq: number; hash: string }> {
  const [head] = (await em.query(
    `SELECT seq, hash FROM (
       (SELECT seq, hash FROM audit_entry WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1)
       UNION ALL
       (SELECT seq, hash FROM audit_anchor WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1)
     ) h ORDER BY seq DESC LIMIT 1`,
    [institutionId],
  )) as { seq: string; hash: string }[];
  return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS };
}

/**
 * Appends one AuditRecorded batch: one chained row per entry, in the consumer's transaction (the
 * inbox row commits with them, so a redelivered batch is never appended twice). Each institution's
 * chain is extended under a transaction-scoped advisory lock taken in a fixed order, reading its
 * head inside the lock: two workers never fork a chain, and never deadlock on two chains.
 */
export function appendBatch(
  em: EntityManager,
  envelope: Pick<EventEnvelope<PayloadOf<typeof AuditRecorded>>, 'id' | 'source' | 'payload'>,
  opts: {
    /** The role to append as (ADR 0023); default AUDIT_WRITER_ROLE. */
    role?: string | null;
    /** The recording time (which monthly partition the rows land in); default the database's now(). Tests set it. */
    recordedAt?: Date;
  } = {},
): Promise<void> {
  const role = opts.role === undefined ? (auditSettings().writerRole ?? null) : opts.role;
  return asWriter(em, role, () => appendChained(em, envelope, opts.recordedAt ?? null));
}

async function appendChained(
  em: EntityManager,
  envelope: Pick<EventEnvelope<PayloadOf<typeof AuditRecorded>>, 'id' | 'source' | 'payload'>,
  recordedAt: Date | null,
): Promise<void> {
  const batch = envelope.payload;
  const bySchool = new Map<string, typeof batch.entries>();
  for (const e of batch.entries) bySchool.set(e.schoolId, [...(bySchool.get(e.schoolId) ?? []), e]);
  for (const institutionId of [...bySchool.keys()].sort()) {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit-chain:' || $1, 0))`, [institutionId]);
    let { seq, hash } = await chainHead(em, institutionId);
    const rows: (ChainedEntry & { prevHash: string; hash: string })[] = [];
    for (const e of bySchool.get(institutionId)!) {
      const entry: ChainedEntry = {
        institutionId,
        seq: ++seq,
        eventId: envelope.id,
        source: envelope.source,
        requestId: batch.requestId,
        operation: batch.operation,
        actorId: batch.actor.personId,
        actorInstitutionId: batch.actor.institutionId,
        actorRoles: [...batch.actor.roles],
        action: e.action,
        recordType: e.recordType,
        recordId: e.recordId,
        studentId: e.studentId,
        fields: e.fields,
        change: e.change,
        reason: e.reason,
        occurredAt: new Date(batch.at).toISOString(),
      };
      const next = chainHash(hash, entry);
      rows.push({ ...entry, prevHash: hash, hash: next });
      hash = next;
    }
    await em.query(
      `INSERT INTO audit_entry (institution_id, seq, event_id, source, request_id, operation, actor_id, actor_institution_id,
                                actor_roles, action, record_type, record_id, student_id, fields, change, reason, occurred_at,
                                prev_hash, hash, recorded_at)
       SELECT r."institutionId", r.seq, r."eventId", r.source, r."requestId", r.operation, r."actorId", r."actorInstitutionId",
              ARRAY(SELECT jsonb_array_elements_text(r."actorRoles")), r.action, r."recordType", r."recordId", r."studentId",
              ARRAY(SELECT jsonb_array_elements_text(r.fields)), r.change, r.reason, r."occurredAt", r."prevHash", r.hash,
              COALESCE($2::timestamptz, now())
         FROM jsonb_to_recordset($1::jsonb) AS r("institutionId" uuid, seq bigint, "eventId" uuid, source text, "requestId" text,
              operation text, "actorId" text, "actorInstitutionId" text, "actorRoles" jsonb, action text, "recordType" text,
              "recordId" text, "studentId" uuid, fields jsonb, change text, reason text, "occurredAt" timestamptz,
              "prevHash" text, hash text)
        ORDER BY r.seq`,
      [JSON.stringify(rows), recordedAt],
    );
  }
}

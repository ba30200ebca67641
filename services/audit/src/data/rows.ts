import { type ChainedEntry } from '../domain/chain';

/** An audit_entry row as read back (the SELECT list below). */
export interface EntryRow {
  id: string;
  institution_id: string;
  seq: string;
  event_id: string;
  source: string;
  request_id: string;
  operation: string;
  actor_id: string;
  actor_institution_id: string | null;
  actor_roles: string[];
  action: 'READ' | 'CHANGE';
  record_type: string;
  record_id: string;
  student_id: string;
  fields: string[];
  change: string | null;
  reason: string | null;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
}

export const ENTRY_COLUMNS = `id, institution_id, seq, event_id, source, request_id, operation, actor_id, actor_institution_id,
  actor_roles, action, record_type, record_id, student_id, fields, change, reason, occurred_at, prev_hash, hash`;

/** The chained content of a stored row, exactly as it was hashed when appended. */
export const chainedOf = (r: EntryRow): ChainedEntry => ({
  institutionId: r.institution_id,
  seq: Number(r.seq),
  eventId: r.event_id,
  source: r.source,
  requestId: r.request_id,
  operation: r.operation,
  actorId: r.actor_id,
  actorInstitutionId: r.actor_institution_id,
  actorRoles: r.actor_roles,
  action: r.action,
  recordType: r.record_type,
  recordId: r.record_id,
  studentId: r.student_id,
  fields: r.fields,
  change: r.change,
  reason: r.reason,
  occurredAt: r.occurred_at.toISOString(),
});

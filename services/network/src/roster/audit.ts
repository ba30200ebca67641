import { type AuditEntry } from '@medcollab/kit';
import { auditSink } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type RosterImportRow } from './imports';

/**
 * A roster import's student changes in the audit trail (ADR 0023). The worker applies an import
 * with no request of its own, so the entries name the person who started it (with the roles
 * they held then), the import as the request (`roster-import-<id>`) and `rosterImport` as the
 * operation. Each change names the mutation it stands for (registerStudent, updateStudent,
 * deactivateStudent, reactivateStudent) and the fields it set. Staff changes are not student
 * records and are not recorded. The entries are written in the transaction that applies them:
 * a rolled-back ALL_OR_NOTHING import or a failed row leaves none.
 */

const sink = auditSink();

/** Entries collected while ops are applied, written by {@link writeRosterAudit} before commit. */
export type RosterAuditLog = AuditEntry[];

export function recordStudentChange(
  log: RosterAuditLog,
  studentId: string,
  schoolId: string,
  change: string,
  fields: string[],
  reason: string | null = null,
): void {
  log.push({
    action: 'CHANGE',
    recordType: 'Student',
    recordId: studentId,
    studentId,
    schoolId,
    fields: [...fields].sort(),
    change,
    reason,
  });
}

/** Writes (and empties) the log as one AuditRecorded batch in `em`'s transaction. */
export async function writeRosterAudit(em: EntityManager, run: RosterImportRow, log: RosterAuditLog, now = new Date()): Promise<void> {
  if (!log.length) return;
  const entries = log.splice(0, log.length);
  await sink.appendChanges(em, {
    requestId: `roster-import-${run.id}`,
    operation: 'rosterImport',
    actor: { personId: run.requestedBy, institutionId: run.institutionId, roles: run.requestedRoles ?? [] },
    at: now.toISOString(),
    entries,
  });
}

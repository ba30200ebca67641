import { randomUUID } from 'node:crypto';
import { AuditRecorded, type EventEnvelope, type PayloadOf } from '@medcollab/events';
import { type Actor, type Role } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { appendBatch } from '../../src/data/append';

export const actor = (roles: Role[], institutionId: string | null, personId: string = randomUUID()): Actor => ({
  personId,
  institutionId,
  roles,
});

/** An AuditRecorded event as a subgraph writes it: one request's reads or changes of placements. */
export function auditBatch(
  by: Actor,
  entries: { studentId: string; schoolId: string; recordType?: string; action?: 'READ' | 'CHANGE'; reason?: string }[],
  at = new Date(),
): EventEnvelope<PayloadOf<typeof AuditRecorded>> {
  const id = randomUUID();
  return {
    id,
    type: AuditRecorded.name,
    version: AuditRecorded.version,
    source: 'rotations',
    aggregateType: AuditRecorded.aggregateType,
    aggregateId: id,
    sequence: 1,
    occurredAt: at.toISOString(),
    metadata: {},
    payload: {
      requestId: `req-${id}`,
      operation: 'StudentPlacements',
      actor: by,
      at: at.toISOString(),
      entries: entries.map((e) => ({
        action: e.action ?? 'READ',
        recordType: e.recordType ?? 'Placement',
        recordId: randomUUID(),
        studentId: e.studentId,
        schoolId: e.schoolId,
        fields: ['department', 'startsOn'],
        change: e.action === 'CHANGE' ? 'cancelPlacement' : null,
        reason: e.reason ?? null,
      })),
    },
  };
}

/** Appends, as recorded at `recordedAt`, one coordinator's reads of `students` new students of a school (one entry each). */
export const appendReads = (ds: DataSource, school: string, recordedAt: Date, students = 2) =>
  ds.transaction((em) =>
    appendBatch(
      em,
      auditBatch(
        actor(['COORDINATOR'], school),
        Array.from({ length: students }, () => ({ studentId: randomUUID(), schoolId: school })),
      ),
      { recordedAt },
    ),
  );

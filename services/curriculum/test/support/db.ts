import { randomUUID } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { projectAgreementActivated, projectAgreementEnded, projectStudent } from '@medcollab/projections';

const TABLES = [
  'competency_framework',
  'competency',
  'post_profile',
  'post_profile_requirement',
  'program',
  'track',
  'curriculum_module',
  'module_discipline',
  'module_prerequisite',
  'learning_objective',
  'objective_competency',
  'teaching_session',
  'session_objective',
  'enrollment',
  'track_change',
  'module_result',
  'outbox',
] as const;
export type RowCounts = Record<(typeof TABLES)[number], number>;

/** Rows per table: "nothing was written" means these did not change. */
export async function rowCounts(ds: DataSource): Promise<RowCounts> {
  const [row] = await ds.query(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return row as RowCounts;
}

export interface OutboxRow {
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  metadata: { requestId?: string; actorId?: string };
}

export async function outboxEvents(ds: DataSource, eventType?: string): Promise<OutboxRow[]> {
  return ds.query(
    `SELECT event_type, aggregate_id, payload, metadata FROM outbox ${eventType ? 'WHERE event_type = $1' : ''} ORDER BY position`,
    eventType ? [eventType] : [],
  );
}

/** A student as if StudentRegistered had arrived (through the consumer's own handler). */
export async function knownStudent(ds: DataSource, schoolId: string, priorClinicalYears = 0): Promise<{ id: string; schoolId: string }> {
  const studentId = randomUUID();
  await ds.transaction((em) =>
    projectStudent(em, { studentId, schoolId, email: `s-${studentId}@example.edu`, cohortYear: 2024, priorClinicalYears }),
  );
  return { id: studentId, schoolId };
}

/** An ACTIVE agreement as if AgreementActivated had arrived; returns its id. */
export async function activeAgreement(ds: DataSource, schoolId: string, hospitalId: string): Promise<string> {
  const agreementId = randomUUID();
  await ds.transaction((em) =>
    projectAgreementActivated(em, {
      agreementId,
      schoolId,
      hospitalId,
      departmentIds: [randomUUID()],
      startsOn: '2025-01-01',
      endsOn: '2028-12-31',
    }),
  );
  return agreementId;
}

export async function endAgreement(ds: DataSource, agreementId: string, schoolId: string, hospitalId: string): Promise<void> {
  await ds.transaction((em) => projectAgreementEnded(em, { agreementId, schoolId, hospitalId, endedOn: '2026-01-31' }));
}

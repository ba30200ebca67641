import { type EnrollmentChanged, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Curriculum's EnrollmentChanged carries the enrolment's state after the change; the row
 * takes it as it is (events of one enrolment arrive in order). Matching reads the track of a
 * student's latest active enrolment, and a program's cohort from these rows.
 */
export async function projectEnrollmentChanged(
  em: EntityManager,
  p: PayloadOf<typeof EnrollmentChanged>,
  occurredAt: string,
): Promise<void> {
  await em.query(
    `INSERT INTO known_enrollment (id, student_id, program_id, school_id, track_kind, withdrawn, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET student_id = EXCLUDED.student_id, program_id = EXCLUDED.program_id,
       school_id = EXCLUDED.school_id, track_kind = EXCLUDED.track_kind, withdrawn = EXCLUDED.withdrawn, changed_at = EXCLUDED.changed_at`,
    [p.enrollmentId, p.studentId, p.programId, p.schoolId, p.trackKind, p.change === 'WITHDRAWN', occurredAt],
  );
}

import { type EntityManager } from 'typeorm';
import { libraryInstrumentId } from '../seed/instrument-library';

/**
 * The instrument a supervisor assesses a student with at the end of a placement: the one set
 * for the student's program (their most recent active enrolment), else the one set for their
 * school, else the library's summative mini-CEX.
 */
export async function placementInstrumentFor(em: EntityManager, schoolId: string, studentId: string): Promise<string> {
  const [row] = (await em.query(
    `SELECT pi.instrument_id
       FROM placement_instrument pi
       LEFT JOIN LATERAL (
         SELECT e.program_id FROM known_enrollment e
          WHERE e.student_id = $2 AND e.status = 'ACTIVE' ORDER BY e.changed_at DESC, e.id LIMIT 1
       ) enrolled ON true
      WHERE pi.school_id = $1 AND (pi.program_id IS NULL OR pi.program_id = enrolled.program_id)
      ORDER BY pi.program_id IS NULL, pi.updated_at DESC
      LIMIT 1`,
    [schoolId, studentId],
  )) as { instrument_id: string }[];
  return row?.instrument_id ?? libraryInstrumentId('mini-cex');
}

import { bulkInsert, loadKnownNetworkFacts, type ScaleWorld } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';

/**
 * Writes curriculum's part of a generated world in bulk, in one transaction, into an empty
 * database: what it knows of the network (students, agreements), one program per school and
 * every student's active enrollment.
 */
export async function loadScaleCurriculum(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    Object.assign(counts, await loadKnownNetworkFacts(em, world, ['known_student', 'known_agreement']));
    counts.program = await bulkInsert(
      em,
      'program',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['title', 'text'],
        ['created_at', 'timestamptz'],
      ],
      world.programs.map((p) => [p.id, p.schoolId, p.title, '2020-06-01T09:00:00.000Z']),
    );
    counts.enrollment = await bulkInsert(
      em,
      'enrollment',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['program_id', 'uuid'],
        ['school_id', 'uuid'],
        ['status', 'text'],
        ['enrolled_at', 'timestamptz'],
        ['enrolled_by', 'uuid'],
      ],
      world.enrollments.map((e) => [e.id, e.studentId, e.programId, e.schoolId, 'ACTIVE', e.enrolledAt, e.enrolledBy]),
    );
    return counts;
  });
}

import { type EntityManager } from 'typeorm';
import { type WeekTask } from '../domain/burden';

/**
 * The tasks counted against an assessor's ISO week, read under a transaction lock on that
 * (assessor, week): two events or requests giving the same assessor tasks in the same week
 * decide one after the other, so the cap holds under concurrency.
 */
export async function lockAssessorWeek(em: EntityManager, assessorId: string, week: string): Promise<WeekTask[]> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('assessment.week'), hashtext($1))`, [`${assessorId}:${week}`]);
  const rows = (await em.query(
    `SELECT t.id, t.priority, (t.status = 'PENDING' AND s.id IS NULL) AS untouched
       FROM assessment_task t LEFT JOIN submission s ON s.task_id = t.id
      WHERE t.assessor_id = $1 AND t.week = $2`,
    [assessorId, week],
  )) as { id: string; priority: string | null; untouched: boolean }[];
  return rows.map((r) => ({ id: r.id, priority: r.priority, untouched: r.untouched }));
}

import { type DataSource } from 'typeorm';
import { returnedRows } from './sql';

/**
 * Marks PENDING tasks past their due date EXPIRED, a batch at a time, skipping tasks a request
 * holds (a submission racing the sweep either commits first, or is refused TASK_OVERDUE).
 * Returns how many it expired.
 */
export async function expireOverdueTasks(ds: DataSource, now: Date, batch = 200): Promise<number> {
  const result: unknown = await ds.query(
    `UPDATE assessment_task SET status = 'EXPIRED', expired_at = $1
      WHERE id IN (SELECT id FROM assessment_task WHERE status = 'PENDING' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [now, batch],
  );
  return returnedRows<{ id: string }>(result).length;
}

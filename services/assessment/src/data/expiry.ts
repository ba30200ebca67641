import { type DataSource } from 'typeorm';
import { returnedRows } from './sql';
import { publishTasksExpired } from './task-events';

/**
 * Marks PENDING tasks past their due date EXPIRED, a batch at a time, skipping tasks a request
 * holds (a submission racing the sweep either commits first, or is refused TASK_OVERDUE). Each
 * batch publishes AssessmentTaskExpired in the same transaction, so reminders stop exactly when
 * the task closes. Returns how many it expired.
 */
export async function expireOverdueTasks(ds: DataSource, now: Date, batch = 200): Promise<number> {
  return ds.transaction(async (em) => {
    const result: unknown = await em.query(
      `UPDATE assessment_task SET status = 'EXPIRED', expired_at = $1
        WHERE id IN (SELECT id FROM assessment_task WHERE status = 'PENDING' AND due_at <= $1 ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [now, batch],
    );
    const ids = returnedRows<{ id: string }>(result).map((r) => r.id);
    await publishTasksExpired(em, ids, now);
    return ids.length;
  });
}

import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { RebuildRun } from '../entities';
import { type RollupSettings } from '../domain/contributions';
import { rebuildRollups } from './rebuild';

/** Queues a rebuild (the worker runs it); one queued or running at a time is enough, so an open one is returned instead. */
export async function requestRebuild(em: EntityManager, requestedBy: string, now: Date): Promise<RebuildRun> {
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild-request']);
  const open = await em.getRepository(RebuildRun).findOne({ where: [{ status: 'QUEUED' }, { status: 'RUNNING' }] });
  if (open) return open;
  const run = em.getRepository(RebuildRun).create({
    id: randomUUID(),
    status: 'QUEUED',
    requestedBy,
    requestedAt: now,
    startedAt: null,
    finishedAt: null,
    aggregatesTotal: 0,
    aggregatesDone: 0,
    error: null,
  });
  return em.getRepository(RebuildRun).save(run);
}

/** Claims the oldest queued rebuild and runs it, recording progress as it goes; false when none was queued. */
export async function runNextRebuild(ds: DataSource, settings: RollupSettings): Promise<boolean> {
  const [claimed] = (await ds.query(
    // Wrapped in a SELECT: TypeORM returns an UPDATE's rows as [rows, count], a SELECT's as rows.
    `WITH claimed AS (
       UPDATE rebuild_run SET status = 'RUNNING', started_at = now()
        WHERE id = (SELECT id FROM rebuild_run WHERE status = 'QUEUED' ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id)
     SELECT id FROM claimed`,
  )) as { id: string }[];
  if (!claimed) return false;
  try {
    await rebuildRollups(ds, settings, async (done, total) => {
      await ds.query('UPDATE rebuild_run SET aggregates_done = $2, aggregates_total = $3 WHERE id = $1', [claimed.id, done, total]);
    });
    await ds.query(`UPDATE rebuild_run SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [claimed.id]);
  } catch (error) {
    await ds.query(`UPDATE rebuild_run SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1`, [
      claimed.id,
      (error as Error).message,
    ]);
  }
  return true;
}

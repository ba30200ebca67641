import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { RebuildRun } from '../entities';
import { type RollupSettings } from '../domain/contributions';
import { pseudonymKeyOf } from '../domain/pseudonyms';
import { pseudonymKeyChanged, recordPseudonymKey } from './pseudonym-key';
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

/** Who asks for the rebuild a new pseudonym key needs (rebuild_run.requested_by, a person's id): nobody, the worker itself. */
export const KEY_CHANGE_REQUESTER = '00000000-0000-0000-0000-000000000000';

/**
 * Run when the worker starts: queues a rebuild when the rollups' pseudonyms were made with
 * another key (ADR 0047); the key is recorded as theirs once it has run. True when one was queued.
 */
export async function queueRebuildOnKeyChange(ds: DataSource, key: string, now: Date = new Date()): Promise<boolean> {
  return ds.transaction(async (em) => {
    if (!(await pseudonymKeyChanged(em, key))) return false;
    await requestRebuild(em, KEY_CHANGE_REQUESTER, now);
    return true;
  });
}

/**
 * Claims the oldest queued rebuild and runs it, recording progress as it goes, and then the
 * pseudonym key it derived the pseudonyms with (ADR 0047); false when none was queued.
 */
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
    await recordPseudonymKey(ds, pseudonymKeyOf(settings));
    await ds.query(`UPDATE rebuild_run SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [claimed.id]);
  } catch (error) {
    await ds.query(`UPDATE rebuild_run SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1`, [
      claimed.id,
      (error as Error).message,
    ]);
  }
  return true;
}

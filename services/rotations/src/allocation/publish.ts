import { AppError, ConflictError, NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type CommandOptions, createPlacement, livePlacementInBlock, transitionPlacement } from '../data/placements';
import { type Placement } from '../entities';
import { linkRotations } from './link-rotations';
import { appendRunPublished } from './run-published-event';
import { type AllocationRunRow, loadVariations, RUN_COLUMNS } from './runs';
import { type PublishAllocationRunInput } from './validation';
import { assertVariationValid, snapshotNames } from './verify';

/**
 * Turns one variation of a finished run into PROPOSED placements, all or nothing: each
 * assignment goes through createPlacement (block in calendar, agreement coverage,
 * prerequisites, one placement per block, a free seat under the seat lock), in the caller's
 * transaction; the first refusal aborts the whole publication (the transaction rolls back)
 * with a CONFLICT naming the student. Assignments that are already live placements (the
 * run's pins) are kept as they are. A run is published once, and only after the engine's
 * independent validator accepts the variation against the run's snapshot.
 *
 * Blocks already covered by another published run: refused (CONFLICT/BLOCKS_ALREADY_PUBLISHED)
 * unless the coordinator asks to supersede it. Superseding cancels, in the same transaction, the
 * earlier run's placements nobody has touched (still PROPOSED, no step since their creation)
 * that this variation does not keep; placements someone confirmed, moved or swapped stay, and an
 * assignment that collides with one is refused like any other.
 */
export async function publishAllocationRun(
  em: EntityManager,
  input: PublishAllocationRunInput,
  opts: CommandOptions & { authorize: (run: AllocationRunRow) => void },
): Promise<{ run: AllocationRunRow; placements: Placement[] }> {
  const [run] = (await em.query(`SELECT ${RUN_COLUMNS} FROM allocation_run WHERE id = $1 FOR UPDATE`, [input.runId])) as AllocationRunRow[];
  if (!run) throw new NotFoundError('Allocation run', input.runId);
  opts.authorize(run);
  if (run.publishedVariation)
    throw new ConflictError(`The run was already published (${run.publishedVariation})`, {
      reason: 'ALREADY_PUBLISHED',
      variation: run.publishedVariation,
    });
  if (run.status !== 'SUCCEEDED')
    throw new ConflictError(`Only a SUCCEEDED run can be published (this one is ${run.status})`, {
      reason: 'INVALID_TRANSITION',
      status: run.status,
    });
  const variation = (await loadVariations(em, run.id)).find((v) => v.mechanism === input.variation);
  if (!variation?.metrics)
    throw new ConflictError(`The run has no ${input.variation} allocation to publish`, {
      reason: 'NO_ALLOCATION',
      variation: input.variation,
    });
  const snapshot = await assertVariationValid(em, run.id, variation);
  const name = snapshotNames(snapshot);

  const earlier = await publishedOverlapping(em, run);
  if (earlier.length && !input.supersede) {
    const names = (await em.query(`SELECT name FROM rotation_block WHERE id = ANY($1::uuid[]) ORDER BY starts_on, id`, [
      [...new Set(earlier.flatMap((r) => r.overlap))],
    ])) as { name: string }[];
    throw new ConflictError(
      `${names.map((b) => b.name).join(', ')} already ${names.length === 1 ? 'has' : 'have'} a published allocation; ` +
        'publish with supersede to cancel its untouched proposals and replace them',
      { reason: 'BLOCKS_ALREADY_PUBLISHED', publishedRunIds: earlier.map((r) => r.id), blockNames: names.map((b) => b.name) },
    );
  }
  const earlierIds = earlier.map((r) => r.id);
  if (earlier.length) await cancelSuperseded(em, earlierIds, run.id, variation.assignments, opts);

  const placements: Placement[] = [];
  for (const a of variation.assignments) {
    const live = await livePlacementInBlock(em, a.studentId, a.blockId);
    if (live) {
      const [same] = (await em.query(`SELECT 1 FROM placement WHERE id = $1 AND department_id = $2`, [live, a.departmentId])) as unknown[];
      if (same) {
        // A pin (the placement the run started from), or a superseded run's proposal this run keeps: it is now this run's.
        await em.query(`UPDATE placement SET allocation_run_id = $2 WHERE id = $1 AND allocation_run_id = ANY($3::uuid[])`, [
          live,
          run.id,
          earlierIds,
        ]);
        continue;
      }
    }
    try {
      const placement = await createPlacement(
        em,
        { studentId: a.studentId, departmentId: a.departmentId, blockId: a.blockId, supervisorId: null },
        opts,
      );
      await em.query(`UPDATE placement SET allocation_run_id = $2 WHERE id = $1`, [placement.id, run.id]);
      placements.push(placement);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = (error.details?.reason as string | undefined) ?? error.code;
      throw new ConflictError(
        `Cannot publish: ${name.student(a.studentId)} at ${name.department(a.departmentId)} in ${name.block(a.blockId)}: ${error.message}`,
        {
          reason,
          studentId: a.studentId,
          blockId: a.blockId,
          departmentId: a.departmentId,
        },
      );
    }
  }
  await linkRotations(em, run.id, variation.metrics);
  await em.query(`UPDATE allocation_run SET published_variation = $2, published_at = $3, published_by = $4 WHERE id = $1`, [
    run.id,
    input.variation,
    opts.now,
    opts.meta.actorId,
  ]);
  await appendRunPublished(em, run, variation, snapshot, earlierIds, opts);
  return { run: { ...run, publishedVariation: input.variation, publishedAt: opts.now }, placements };
}

interface PublishedRun {
  id: string;
  overlap: string[];
}

/** Other runs of the school, published and not superseded, that cover one of this run's blocks (locked). */
async function publishedOverlapping(em: EntityManager, run: AllocationRunRow): Promise<PublishedRun[]> {
  return (await em.query(
    `SELECT id, ARRAY(SELECT unnest(block_ids) INTERSECT SELECT unnest($3::uuid[])) AS overlap FROM allocation_run
      WHERE school_id = $1 AND id <> $2 AND published_variation IS NOT NULL AND superseded_by IS NULL AND block_ids && $3::uuid[]
      ORDER BY published_at, id FOR UPDATE`,
    [run.schoolId, run.id, run.blockIds],
  )) as PublishedRun[];
}

/** Cancels the superseded runs' untouched proposals that the new variation does not keep, and marks the runs superseded. */
async function cancelSuperseded(
  em: EntityManager,
  runIds: string[],
  byRunId: string,
  keep: readonly { studentId: string; blockId: string; departmentId: string }[],
  opts: CommandOptions,
): Promise<void> {
  const kept = new Set(keep.map((a) => `${a.studentId}:${a.blockId}:${a.departmentId}`));
  const untouched = (await em.query(
    `SELECT p.id, p.student_id AS "studentId", p.block_id AS "blockId", p.department_id AS "departmentId" FROM placement p
      WHERE p.allocation_run_id = ANY($1::uuid[]) AND p.status = 'PROPOSED'
        AND NOT EXISTS (SELECT 1 FROM placement_event e WHERE e.placement_id = p.id AND e.kind <> 'CREATED')
      ORDER BY p.id`,
    [runIds],
  )) as { id: string; studentId: string; blockId: string; departmentId: string }[];
  for (const p of untouched) {
    if (kept.has(`${p.studentId}:${p.blockId}:${p.departmentId}`)) continue;
    await transitionPlacement(em, p.id, 'cancel', { ...opts, reason: 'superseded by a later allocation run' });
  }
  await em.query(`UPDATE allocation_run SET superseded_by = $2, superseded_at = $3 WHERE id = ANY($1::uuid[])`, [
    runIds,
    byRunId,
    opts.now,
  ]);
}

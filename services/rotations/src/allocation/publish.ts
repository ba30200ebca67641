import { AppError, ConflictError, NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type CommandOptions, createPlacement, livePlacementInBlock } from '../data/placements';
import { type Placement } from '../entities';
import { type AllocationRunRow, loadVariations, RUN_COLUMNS } from './runs';
import { type PublishAllocationRunInput } from './validation';
import { assertVariationValid } from './verify';

/**
 * Turns one variation of a finished run into PROPOSED placements, all or nothing: each
 * assignment goes through createPlacement (block in calendar, agreement coverage,
 * prerequisites, one placement per block, a free seat under the seat lock), in the caller's
 * transaction; the first refusal aborts the whole publication (the transaction rolls back)
 * with a CONFLICT naming the student. Assignments that are already live placements (the
 * run's pins) are kept as they are. A run is published once, and only after the engine's
 * independent validator accepts the variation against the run's snapshot.
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
  await assertVariationValid(em, run.id, variation);

  const placements: Placement[] = [];
  for (const a of variation.assignments) {
    const live = await livePlacementInBlock(em, a.studentId, a.blockId);
    if (live) {
      const [same] = (await em.query(`SELECT 1 FROM placement WHERE id = $1 AND department_id = $2`, [live, a.departmentId])) as unknown[];
      if (same) continue; // a pin: the placement the run started from
    }
    try {
      placements.push(
        await createPlacement(em, { studentId: a.studentId, departmentId: a.departmentId, blockId: a.blockId, supervisorId: null }, opts),
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = (error.details?.reason as string | undefined) ?? error.code;
      throw new ConflictError(`Cannot publish: student ${a.studentId} in block ${a.blockId}: ${error.message}`, {
        reason,
        studentId: a.studentId,
        blockId: a.blockId,
        departmentId: a.departmentId,
      });
    }
  }
  await em.query(`UPDATE allocation_run SET published_variation = $2, published_at = $3, published_by = $4 WHERE id = $1`, [
    run.id,
    input.variation,
    opts.now,
    opts.meta.actorId,
  ]);
  return { run: { ...run, publishedVariation: input.variation, publishedAt: opts.now }, placements };
}

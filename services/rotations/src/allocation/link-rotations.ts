import { type RotationPlacement } from '@medcollab/allocation';
import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';

/**
 * Links the placements of each rotation longer than one block that a published variation
 * contains (ADR 0027 §8): the engine lists them in `metrics.rotations`; each spanned block's
 * placement gets the rotation's id, its part number, the number of parts, the engine's name for
 * it and the whole rotation's span, so that the placement events say which rotation a placement
 * belongs to and assessment assesses the rotation once, after its last part. Runs in the
 * publication's transaction, after every placement exists.
 */
export async function linkRotations(em: EntityManager, runId: string, metrics: Record<string, unknown>): Promise<void> {
  // A proposal kept from a superseded run may carry that run's link, to a rotation this
  // variation does not have: every live placement of the run is linked afresh below, or not at all.
  await em.query(
    `UPDATE placement SET rotation_id = NULL, rotation_part = NULL, rotation_parts = NULL, rotation_name = NULL,
            rotation_starts_on = NULL, rotation_ends_on = NULL
      WHERE allocation_run_id = $1 AND rotation_id IS NOT NULL`,
    [runId],
  );
  const rotations = (metrics.rotations ?? []) as RotationPlacement[];
  for (const r of rotations) {
    if (r.blockIds.length < 2) continue;
    // Live placements only: a superseded run's cancelled proposal in the same block is not part of it.
    const parts = (await em.query(
      `SELECT p.id, p.block_id AS "blockId" FROM placement p
        WHERE p.student_id = $1 AND p.department_id = $2 AND p.block_id = ANY($3::uuid[]) AND p.status <> 'CANCELLED'`,
      [r.studentId, r.departmentId, r.blockIds],
    )) as { id: string; blockId: string }[];
    const byBlock = new Map(parts.map((p) => [p.blockId, p.id]));
    const ids = r.blockIds.map((b) => byBlock.get(b));
    if (ids.some((id) => !id)) continue;
    await em.query(
      `WITH span AS (SELECT min(starts_on) AS s, max(ends_on) AS e FROM placement WHERE id = ANY($1::uuid[]))
       UPDATE placement p SET rotation_id = $2, rotation_part = array_position($1::uuid[], p.id), rotation_parts = cardinality($1::uuid[]),
              rotation_name = $3, rotation_starts_on = span.s, rotation_ends_on = span.e
         FROM span WHERE p.id = ANY($1::uuid[])`,
      [ids, randomUUID(), r.text],
    );
  }
}

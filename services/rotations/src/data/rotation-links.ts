import { type EntityManager } from 'typeorm';
import { refusal } from '../domain/refusals';
import { type CalendarBlock, relinkedParts, type RotationPartRow, splitProblem } from '../domain/rotation-parts';
import { type PlacementTerms } from '../domain/swap-rules';
import { Placement } from '../entities';
import { publishPlacement } from './placement-audit';
import { type CommandOptions } from './placements';

/**
 * Keeps the links of a rotation longer than one block right when one of its parts is cancelled,
 * swapped or moved (ADR 0035). Runs in the change's transaction.
 */

const PART_COLUMNS = `p.id, p.status, p.department_id AS "departmentId", p.block_id AS "blockId", b.name AS "blockName",
  p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.rotation_part AS "rotationPart",
  p.rotation_parts AS "rotationParts", p.rotation_name AS "rotationName"`;

/** Every part of a rotation (cancelled ones too), locked. */
async function partsOf(em: EntityManager, rotationId: string): Promise<RotationPartRow[]> {
  return (await em.query(
    `SELECT ${PART_COLUMNS} FROM placement p JOIN rotation_block b ON b.id = p.block_id
      WHERE p.rotation_id = $1 ORDER BY p.id FOR UPDATE OF p`,
    [rotationId],
  )) as RotationPartRow[];
}

/**
 * Renumbers the live parts of each rotation 1..m in calendar order, with the span and the name of
 * what remains ("SURGERY at Surgery B (St Mary's), Block 2" once Block 3 is cancelled). When the
 * new last part has already completed (its completion event said it was not the last, so
 * assessment gave it no tasks), its PlacementCompleted is published again with the new link:
 * assessment then creates the rotation's end-of-placement tasks for what was done, once (its
 * tasks are keyed on placement and role). `formerBlockIds`: blocks a swap just moved a part out
 * of (their names may still be in the rotation's name).
 */
export async function relinkRotations(
  em: EntityManager,
  rotationIds: readonly string[],
  opts: CommandOptions,
  formerBlockIds: readonly string[] = [],
): Promise<void> {
  const formerNames = formerBlockIds.length
    ? ((await em.query(`SELECT name FROM rotation_block WHERE id = ANY($1::uuid[])`, [formerBlockIds])) as { name: string }[]).map(
        (b) => b.name,
      )
    : [];
  for (const rotationId of [...new Set(rotationIds)].sort()) {
    const parts = await partsOf(em, rotationId);
    const links = relinkedParts(parts, formerNames);
    for (const l of links) {
      await em.query(
        `UPDATE placement SET rotation_part = $2, rotation_parts = $3, rotation_name = $4, rotation_starts_on = $5, rotation_ends_on = $6
          WHERE id = $1`,
        [l.id, l.part, l.parts, l.name, l.startsOn, l.endsOn],
      );
    }
    const last = links[links.length - 1];
    const was = parts.find((p) => p.id === last?.id);
    if (last && was?.status === 'COMPLETED' && was.rotationPart < was.rotationParts) {
      const placement = await em.getRepository(Placement).findOneByOrFail({ id: last.id });
      await publishPlacement(em, placement, opts.now, opts.meta);
    }
  }
}

/** A rotation part with its link, as a swap sees it. */
type LinkedTerms = PlacementTerms & { rotationId?: string | null; rotationName?: string | null };

/**
 * Refuses a swap or move that would leave a rotation's live parts at two departments or in
 * blocks that do not follow each other (ROTATION_WOULD_SPLIT, naming the rotation). A rotation
 * whose only live part moves stays whole (see `unlinkMovedAlone`).
 */
export async function assertRotationsWhole(
  em: EntityManager,
  before: readonly LinkedTerms[],
  after: readonly PlacementTerms[],
): Promise<void> {
  for (const old of before) {
    if (!old.rotationId) continue;
    const moved = after.find((a) => a.id === old.id)!;
    if (moved.departmentId === old.departmentId && moved.blockId === old.blockId) continue;
    const live = (await partsOf(em, old.rotationId))
      .filter((p) => p.status !== 'CANCELLED')
      .map((p) => {
        const changed = after.find((a) => a.id === p.id);
        return changed ? { departmentId: changed.departmentId, blockId: changed.blockId } : p;
      });
    const calendar = (await em.query(
      `SELECT id, name, starts_on::text AS "startsOn", ends_on::text AS "endsOn" FROM rotation_block WHERE school_id = $1 ORDER BY starts_on, id`,
      [old.schoolId],
    )) as CalendarBlock[];
    const problem = splitProblem(live, calendar);
    if (!problem) continue;
    const why =
      problem === 'DEPARTMENTS'
        ? 'its parts would no longer all be at one department'
        : 'its parts would no longer be in blocks that follow each other';
    throw refusal(
      'ROTATION_WOULD_SPLIT',
      `${old.rotationName ?? 'The rotation'}: ${why}; change the rotation's parts together, or cancel the part that cannot be kept`,
      { placementId: old.id, rotationId: old.rotationId, rotationName: old.rotationName ?? null, problem },
    );
  }
}

/**
 * A rotation's only live part moved to another department is no longer that rotation (its name
 * says where it was): the link is cleared and the placement is assessed on its own, like any
 * single block. Returns whether it did.
 */
export async function unlinkMovedAlone(em: EntityManager, placementId: string, rotationId: string): Promise<boolean> {
  const live = (await partsOf(em, rotationId)).filter((p) => p.status !== 'CANCELLED');
  if (live.length !== 1 || live[0]!.id !== placementId) return false;
  await em.query(
    `UPDATE placement SET rotation_id = NULL, rotation_part = NULL, rotation_parts = NULL, rotation_name = NULL,
            rotation_starts_on = NULL, rotation_ends_on = NULL WHERE id = $1`,
    [placementId],
  );
  return true;
}

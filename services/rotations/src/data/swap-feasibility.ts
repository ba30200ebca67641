import { type EntityManager } from 'typeorm';
import { coveringAgreement } from '../domain/agreement-rules';
import { assertSeatsFit } from '../domain/capacity-rules';
import { holdsSeat } from '../domain/placement-lifecycle';
import { refusal } from '../domain/refusals';
import { type PlacementTerms } from '../domain/swap-rules';
import { agreementsForDepartment } from './projections';
import { livePlacementInBlock } from './placements';
import { assertPrerequisites } from './prerequisites';
import { assertRotationsWhole } from './rotation-links';
import { lockSeats } from './seats';

const seatKey = (p: Pick<PlacementTerms, 'departmentId' | 'blockId' | 'schoolId'>): string =>
  `${p.departmentId}|${p.blockId}|${p.schoolId}`;

/**
 * Checks that every rule still holds once `before` become `after` (same ids): an ACTIVE
 * agreement covers each new site for the whole block, a student moved to another department
 * has completed the prerequisites that apply there, no student ends up twice in a block,
 * no seat row holds more placements than it has seats, and no rotation longer than one block is
 * split across departments or non-consecutive blocks (ADR 0035). The seat rows touched are locked
 * (in a fixed order, so two swaps cannot deadlock) until the transaction ends.
 */
export async function assertSwapFeasible(
  em: EntityManager,
  before: readonly PlacementTerms[],
  after: readonly PlacementTerms[],
): Promise<void> {
  const ids = before.map((p) => p.id);
  for (const p of after) {
    coveringAgreement(await agreementsForDepartment(em, p.schoolId, p.departmentId), p);
    const old = before.find((b) => b.id === p.id);
    if (old && old.departmentId !== p.departmentId) await assertPrerequisites(em, p.studentId, p.departmentId);
    if (old && old.blockId !== p.blockId) {
      const clash = await livePlacementInBlock(em, p.studentId, p.blockId, ids);
      if (clash)
        throw refusal('ALREADY_PLACED_IN_BLOCK', 'After the swap a student would have two placements in one block', {
          existingPlacementId: clash,
        });
    }
  }
  await assertRotationsWhole(em, before, after);
  const keys = new Map<string, PlacementTerms>();
  for (const p of [...before, ...after]) keys.set(seatKey(p), p);
  for (const key of [...keys.keys()].sort()) {
    const site = keys.get(key) as PlacementTerms;
    const use = await lockSeats(em, site);
    const leaving = before.filter((p) => seatKey(p) === key && holdsSeat(p.status)).length;
    const arriving = after.filter((p) => seatKey(p) === key && holdsSeat(p.status)).length;
    if (arriving <= leaving) continue;
    assertSeatsFit({
      seats: use?.seats ?? 0,
      held: (use?.held ?? 0) - leaving + arriving,
      committed: use?.committed ?? 0,
      departmentId: site.departmentId,
      blockId: site.blockId,
    });
  }
}

import { type EventEnvelope, type PayloadOf, type StudentStatusChanged } from '@medcollab/events';
import { In, type EntityManager } from 'typeorm';
import { transitionPlacement } from '../data/placements';
import { KnownStudent, Placement, RotationBlock } from '../entities';
import { rotationsSettings } from '../settings';

/** Placements that have not begun: a deactivated student will not take them. */
const NOT_BEGUN = ['PROPOSED', 'CONFIRMED'] as const;

/**
 * A school deactivated a student (leave, graduation, withdrawal): their placements that have
 * not begun are cancelled, each through the placement lifecycle (audit line, PlacementCancelled
 * for the hospital and assessment), with a reason the coordinator sees, naming the student and
 * the block (the department's name is the network's, shown beside it). A placement already
 * running is left to the school to end on site. Reactivation restores nothing: the seats may be
 * gone, so the coordinator places the student again.
 */
export async function cancelPlacementsOfDeactivatedStudent(
  em: EntityManager,
  e: EventEnvelope<PayloadOf<typeof StudentStatusChanged>>,
): Promise<void> {
  if (e.payload.active) return;
  const placements = await em
    .getRepository(Placement)
    .find({ where: { studentId: e.payload.studentId, status: In([...NOT_BEGUN]) }, order: { id: 'ASC' } });
  if (!placements.length) return;
  const student = await em.getRepository(KnownStudent).findOneBy({ id: e.payload.studentId });
  const name = [student?.givenName, student?.familyName].filter(Boolean).join(' ') || 'The student';
  const blocks = new Map(
    (await em.getRepository(RotationBlock).findBy({ id: In([...new Set(placements.map((p) => p.blockId))]) })).map((b) => [b.id, b.name]),
  );
  const now = new Date(e.occurredAt);
  for (const placement of placements) {
    const reason =
      `${name} was deactivated by their school (${e.payload.reason}); ` +
      `the placement in ${blocks.get(placement.blockId) ?? 'its block'} had not begun and was cancelled.`;
    await transitionPlacement(em, placement.id, 'cancel', {
      meta: { requestId: e.metadata?.requestId ?? e.id, actorId: e.metadata?.actorId ?? 'network' },
      now,
      graceDays: rotationsSettings().grantDaysAfterCompletion,
      reason,
    });
  }
}

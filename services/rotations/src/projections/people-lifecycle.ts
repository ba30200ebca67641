import { type EventEnvelope, type PayloadOf, type StudentStatusChanged } from '@medcollab/events';
import { In, type EntityManager } from 'typeorm';
import { transitionPlacement } from '../data/placements';
import { Placement } from '../entities';
import { rotationsSettings } from '../settings';

/** Placements that have not begun: a deactivated student will not take them. */
const NOT_BEGUN = ['PROPOSED', 'CONFIRMED'] as const;

/**
 * A school deactivated a student (leave, graduation, withdrawal): their placements that have
 * not begun are cancelled, each through the placement lifecycle (audit line, PlacementCancelled
 * for the hospital and assessment), with a reason the coordinator sees. A placement already
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
  const reason = `The student was deactivated by their school: ${e.payload.reason}`;
  const now = new Date(e.occurredAt);
  for (const placement of placements) {
    await transitionPlacement(em, placement.id, 'cancel', {
      meta: { requestId: e.metadata?.requestId ?? e.id, actorId: e.metadata?.actorId ?? 'network' },
      now,
      graceDays: rotationsSettings().grantDaysAfterCompletion,
      reason,
    });
  }
}

import { PlacementCancelled, PlacementCompleted, PlacementConfirmed, PlacementStarted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type PlacementStatus } from '../domain/model';
import { KnownDepartment, PlacementEvent, type Placement, RotationBlock } from '../entities';
import { type EventMeta, outbox } from '../outbox';

/** What happened to a placement, in its audit trail. */
export type PlacementStep = 'CREATED' | 'CONFIRMED' | 'STARTED' | 'COMPLETED' | 'CANCELLED' | 'SWAPPED' | 'MOVED' | 'SUPERVISOR_ASSIGNED';

/** Appends one line to the placement's audit trail (same transaction as the change). */
export async function recordStep(
  em: EntityManager,
  placement: Placement,
  step: PlacementStep,
  fromStatus: PlacementStatus | null,
  meta: EventMeta & { actorId: string },
  at: Date,
  details: Record<string, unknown> = {},
): Promise<void> {
  await em.getRepository(PlacementEvent).insert({
    placementId: placement.id,
    kind: step,
    fromStatus,
    toStatus: placement.status,
    actorId: meta.actorId,
    details: { ...details, ...(meta.requestId ? { requestId: meta.requestId } : {}) },
    at,
  });
}

/**
 * What every placement event says (the block's name travels so that reminders can name it, the
 * department's specialty so that quality can count per specialty (ADR 0047); a part of a rotation
 * longer than one block says which, ADR 0027 §8).
 */
export const payloadOf = (p: Placement, at: Date, blockName: string | undefined, specialty?: string | null) => ({
  placementId: p.id,
  studentId: p.studentId,
  schoolId: p.schoolId,
  hospitalId: p.hospitalId,
  departmentId: p.departmentId,
  blockId: p.blockId,
  blockName,
  supervisorId: p.supervisorId,
  ...(specialty ? { specialty } : {}),
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  at: at.toISOString(),
  accessUntil: p.accessUntil ? p.accessUntil.toISOString() : null,
  ...(p.rotationId
    ? {
        rotation: {
          rotationId: p.rotationId,
          part: p.rotationPart!,
          parts: p.rotationParts!,
          name: p.rotationName!,
          startsOn: p.rotationStartsOn!,
          endsOn: p.rotationEndsOn!,
        },
      }
    : {}),
});

/**
 * Writes the event of the placement's current status to the outbox, in the caller's
 * transaction. PROPOSED has no event: nothing outside the school depends on a proposal.
 */
export async function publishPlacement(em: EntityManager, p: Placement, at: Date, meta: EventMeta): Promise<void> {
  if (p.status === 'PROPOSED') return;
  // The block's name travels with the event so that reminders can name it (notifications knows no calendar).
  const block = await em.getRepository(RotationBlock).findOneBy({ id: p.blockId });
  const department = await em.getRepository(KnownDepartment).findOneBy({ id: p.departmentId });
  const payload = payloadOf(p, at, block?.name, department?.specialty);
  switch (p.status) {
    case 'CONFIRMED':
      await outbox.append(em, PlacementConfirmed, p.id, payload, meta);
      return;
    case 'IN_PROGRESS':
      await outbox.append(em, PlacementStarted, p.id, payload, meta);
      return;
    case 'COMPLETED':
      await outbox.append(em, PlacementCompleted, p.id, payload, meta);
      return;
    case 'CANCELLED':
      await outbox.append(em, PlacementCancelled, p.id, { ...payload, reason: p.cancelReason ?? 'cancelled' }, meta);
      return;
    default:
      return;
  }
}

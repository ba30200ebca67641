import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { coveringAgreement } from '../domain/agreement-rules';
import { assertSeatForConfirmation, assertSeatForProposal } from '../domain/capacity-rules';
import { accessUntilAfter, nextPlacementStatus, type PlacementAction } from '../domain/placement-lifecycle';
import { refusal } from '../domain/refusals';
import { supervisorProblem } from '../domain/supervisor-rules';
import { type CreatePlacementInput } from '../domain/validation';
import { Placement, RotationBlock } from '../entities';
import { type EventMeta } from '../outbox';
import { type CreateOptions } from './blocks';
import { publishPlacement, recordStep, type PlacementStep } from './placement-audit';
import { assertPrerequisites } from './prerequisites';
import { relinkRotations } from './rotation-links';
import { agreementsForDepartment, findKnownStaff, requireKnownStudent } from './projections';
import { hospitalOfDepartment, lockSeats } from './seats';

/** What a placement command needs besides its input. */
export interface CommandOptions {
  meta: EventMeta & { actorId: string };
  now: Date;
  /** GRANT_DAYS_AFTER_COMPLETION. */
  graceDays: number;
}

/** The block must be in the student's school's calendar. */
async function blockOfSchool(em: EntityManager, blockId: string, schoolId: string): Promise<RotationBlock> {
  const block = await em.getRepository(RotationBlock).findOneBy({ id: blockId });
  if (!block) throw new NotFoundError('Rotation block', blockId);
  if (block.schoolId !== schoolId) throw refusal('BLOCK_NOT_IN_CALENDAR', "The block is not in the student's school calendar", { blockId });
  return block;
}

/** A supervisor must be an active CLINICAL_INSTRUCTOR of the placement's department (domain/supervisor-rules.ts). */
export async function assertSupervisor(
  em: EntityManager,
  supervisorId: string,
  where: { hospitalId: string; departmentId: string },
): Promise<void> {
  const problem = supervisorProblem(await findKnownStaff(em, supervisorId), where);
  if (problem === 'INACTIVE')
    throw refusal('SUPERVISOR_INACTIVE', 'The supervisor is no longer active', { field: 'supervisorId', supervisorId });
  if (problem) {
    throw refusal('SUPERVISOR_NOT_IN_DEPARTMENT', "The supervisor must be a clinical instructor of the placement's department", {
      field: 'supervisorId',
      supervisorId,
      departmentId: where.departmentId,
    });
  }
}

/** The student's live placement in the block, if any (other than `exceptIds`). */
export async function livePlacementInBlock(
  em: EntityManager,
  studentId: string,
  blockId: string,
  exceptIds: readonly string[] = [],
): Promise<string | null> {
  const [row] = (await em.query(
    `SELECT id FROM placement WHERE student_id = $1 AND block_id = $2 AND status <> 'CANCELLED' AND NOT (id = ANY($3::uuid[])) LIMIT 1`,
    [studentId, blockId, exceptIds],
  )) as { id: string }[];
  return row?.id ?? null;
}

/**
 * Proposes a placement. Checks, in order: the block is in the school's calendar, an ACTIVE
 * agreement covers the department for the whole block, the supervisor works there, the student
 * has completed the prerequisites of the requirement that applies to them for the department's
 * specialty, the student has no other live placement in the block, and a seat is free (under
 * the seat row's lock).
 */
export async function createPlacement(
  em: EntityManager,
  input: CreatePlacementInput,
  opts: CommandOptions & CreateOptions,
): Promise<Placement> {
  const student = await requireKnownStudent(em, input.studentId);
  const block = await blockOfSchool(em, input.blockId, student.schoolId);
  const hospitalId = await hospitalOfDepartment(em, input.departmentId);
  const hosting = { schoolId: student.schoolId, departmentId: input.departmentId, startsOn: block.startsOn, endsOn: block.endsOn };
  coveringAgreement(await agreementsForDepartment(em, student.schoolId, input.departmentId), hosting);
  if (input.supervisorId) await assertSupervisor(em, input.supervisorId, { hospitalId, departmentId: input.departmentId });
  await assertPrerequisites(em, student.id, input.departmentId);
  const existing = await livePlacementInBlock(em, student.id, block.id);
  if (existing)
    throw refusal('ALREADY_PLACED_IN_BLOCK', 'The student already has a placement in this block', { existingPlacementId: existing });
  assertSeatForProposal(await lockSeats(em, { ...hosting, blockId: block.id }));

  const placement = em.getRepository(Placement).create({
    id: opts.id ?? randomUUID(),
    studentId: student.id,
    schoolId: student.schoolId,
    hospitalId,
    departmentId: input.departmentId,
    blockId: block.id,
    supervisorId: input.supervisorId,
    status: 'PROPOSED',
    startsOn: block.startsOn,
    endsOn: block.endsOn,
    accessUntil: null,
    cancelReason: null,
    updatedAt: opts.now,
  });
  await em.getRepository(Placement).insert(placement);
  await recordStep(em, placement, 'CREATED', null, opts.meta, opts.now);
  return placement;
}

/** Reads a placement under a row lock, so concurrent steps of it run one after the other. */
export async function lockPlacement(em: EntityManager, id: string): Promise<Placement> {
  const placement = await em
    .getRepository(Placement)
    .createQueryBuilder('p')
    .setLock('pessimistic_write')
    .where('p.id = :id', { id })
    .getOne();
  if (!placement) throw new NotFoundError('Placement', id);
  return placement;
}

const STEP_OF: Record<PlacementAction, PlacementStep> = {
  confirm: 'CONFIRMED',
  start: 'STARTED',
  complete: 'COMPLETED',
  cancel: 'CANCELLED',
};

/**
 * One step of the lifecycle, with its audit line and its event in the same transaction.
 * `authorize` runs on the locked row (a swap may have moved the placement since the caller
 * looked). Confirming re-checks the agreement and the prerequisites (a requirement or the
 * student's track may have changed since the proposal) and takes a committed seat under the
 * seat lock. Cancelling a part of a rotation longer than one block relinks the parts left.
 */
export async function transitionPlacement(
  em: EntityManager,
  id: string,
  action: PlacementAction,
  opts: CommandOptions & { reason?: string; authorize?: (p: Placement) => void },
): Promise<Placement> {
  const placement = await lockPlacement(em, id);
  opts.authorize?.(placement);
  const from = placement.status;
  const to = nextPlacementStatus(from, action);
  if (action === 'confirm') {
    coveringAgreement(await agreementsForDepartment(em, placement.schoolId, placement.departmentId), placement);
    await assertPrerequisites(em, placement.studentId, placement.departmentId);
    assertSeatForConfirmation(await lockSeats(em, placement));
  }
  placement.status = to;
  placement.updatedAt = opts.now;
  const access = accessUntilAfter(to, opts.now, opts.graceDays);
  placement.accessUntil = access === undefined ? null : access;
  if (action === 'cancel') placement.cancelReason = opts.reason ?? 'cancelled';
  await em
    .getRepository(Placement)
    .update({ id }, { status: to, updatedAt: opts.now, accessUntil: placement.accessUntil, cancelReason: placement.cancelReason });
  await recordStep(em, placement, STEP_OF[action], from, opts.meta, opts.now, opts.reason ? { reason: opts.reason } : {});
  await publishPlacement(em, placement, opts.now, opts.meta);
  // A cancelled part of a longer rotation keeps the link it had; the parts left are renumbered and
  // the new last part is the one assessed (ADR 0035).
  if (action === 'cancel' && placement.rotationId) await relinkRotations(em, [placement.rotationId], opts);
  return placement;
}

import { randomUUID } from 'node:crypto';
import { SwapRequestChanged } from '@medcollab/events';
import { NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { refusal } from '../domain/refusals';
import {
  assertExchangePair,
  assertPlacementSwappable,
  exchangedTerms,
  initialSwapStatus,
  movedTerms,
  nextSwapStatus,
  type PlacementTerms,
} from '../domain/swap-rules';
import { type SwapStatus } from '../domain/model';
import { type RequestSwapInput } from '../domain/validation';
import { KnownDepartment, Placement, RotationBlock, SwapRequest } from '../entities';
import { publishPlacement, recordStep } from './placement-audit';
import { type CommandOptions, lockPlacement } from './placements';
import { relinkRotations, unlinkMovedAlone } from './rotation-links';
import { hospitalOfDepartment } from './seats';
import { outbox } from '../outbox';
import { assertSwapFeasible } from './swap-feasibility';

const PENDING: SwapStatus[] = ['AWAITING_PEER', 'AWAITING_COORDINATOR'];

/** Locks the placements in id order (two swaps over the same pair cannot deadlock). */
async function lockPlacements(em: EntityManager, ids: string[]): Promise<Map<string, Placement>> {
  const locked = new Map<string, Placement>();
  for (const id of [...ids].sort()) locked.set(id, await lockPlacement(em, id));
  return locked;
}

async function assertNoPendingSwap(em: EntityManager, placementIds: string[]): Promise<void> {
  const pending = await em.getRepository(SwapRequest).findOne({
    where: [
      { placementId: In(placementIds), status: In(PENDING) },
      { withPlacementId: In(placementIds), status: In(PENDING) },
    ],
  });
  if (pending)
    throw refusal('SWAP_PENDING', 'One of these placements already has a swap waiting for an answer or a decision', {
      swapRequestId: pending.id,
    });
}

/** The terms after the swap, for both placements (exchange) or the one moved. */
async function termsAfter(
  em: EntityManager,
  swap: Pick<SwapRequest, 'toDepartmentId'>,
  placements: Placement[],
): Promise<PlacementTerms[]> {
  const [a, b] = placements as [Placement, Placement | undefined];
  if (b) return exchangedTerms(a, b);
  const hospitalId = await hospitalOfDepartment(em, swap.toDepartmentId as string);
  return [movedTerms(a, { departmentId: swap.toDepartmentId as string, hospitalId })];
}

/**
 * A student (or their school's coordinator) asks to exchange their placement with another
 * student's, or to move it to another department in the same block. Both placements must
 * not have started, belong to one school and have no other swap pending; the swap must be
 * feasible now (it is checked again when the coordinator decides).
 */
export async function requestSwap(
  em: EntityManager,
  input: RequestSwapInput,
  opts: CommandOptions & { authorize: (requested: Placement) => void },
): Promise<SwapRequest> {
  const ids = [input.placementId, ...(input.withPlacementId ? [input.withPlacementId] : [])];
  const locked = await lockPlacements(em, ids);
  const placements = ids.map((id) => locked.get(id) as Placement);
  const [own, other] = placements as [Placement, Placement | undefined];
  opts.authorize(own);
  for (const p of placements) assertPlacementSwappable(p);
  if (other) assertExchangePair(own, other);
  await assertNoPendingSwap(em, ids);
  await assertSwapFeasible(em, placements, await termsAfter(em, input, placements));

  const swap = em.getRepository(SwapRequest).create({
    id: randomUUID(),
    schoolId: own.schoolId,
    placementId: own.id,
    withPlacementId: other?.id ?? null,
    toDepartmentId: input.toDepartmentId,
    status: initialSwapStatus(Boolean(other)),
    note: input.note,
    requestedBy: opts.meta.actorId,
    requestedAt: opts.now,
    respondedBy: null,
    respondedAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
  });
  await em.getRepository(SwapRequest).insert(swap);
  await publishSwap(em, swap, opts);
  return swap;
}

/**
 * SwapRequestChanged, in the transaction of each change of the request (notifications reminds
 * whoever the swap waits for). Both placements are read back for their students, departments
 * and start dates (after an approval: their new terms).
 */
async function publishSwap(em: EntityManager, swap: SwapRequest, opts: CommandOptions): Promise<void> {
  const ids = [swap.placementId, ...(swap.withPlacementId ? [swap.withPlacementId] : [])];
  const placements = await em.getRepository(Placement).findBy({ id: In(ids) });
  const own = placements.find((p) => p.id === swap.placementId) as Placement;
  const other = swap.withPlacementId ? placements.find((p) => p.id === swap.withPlacementId) : undefined;
  const specialty = (await em.getRepository(KnownDepartment).findOneBy({ id: own.departmentId }))?.specialty;
  await outbox.append(
    em,
    SwapRequestChanged,
    swap.id,
    {
      swapId: swap.id,
      schoolId: swap.schoolId,
      status: swap.status,
      studentId: own.studentId,
      placementId: own.id,
      departmentId: own.departmentId,
      hospitalId: own.hospitalId,
      blockId: own.blockId,
      ...(specialty ? { specialty } : {}),
      startsOn: own.startsOn,
      withStudentId: other?.studentId ?? null,
      withPlacementId: other?.id ?? null,
      withDepartmentId: other?.departmentId ?? null,
      toDepartmentId: swap.toDepartmentId,
      at: opts.now.toISOString(),
    },
    opts.meta,
  );
}

async function lockSwap(em: EntityManager, id: string): Promise<SwapRequest> {
  const swap = await em
    .getRepository(SwapRequest)
    .createQueryBuilder('s')
    .setLock('pessimistic_write')
    .where('s.id = :id', { id })
    .getOne();
  if (!swap) throw new NotFoundError('Swap request', id);
  return swap;
}

/** The other student accepts (on to the coordinator) or declines (final). */
export async function respondToSwap(
  em: EntityManager,
  id: string,
  accept: boolean,
  opts: CommandOptions & { authorize: (swap: SwapRequest, other: Placement) => void },
): Promise<SwapRequest> {
  const swap = await lockSwap(em, id);
  const other = swap.withPlacementId ? await em.getRepository(Placement).findOneBy({ id: swap.withPlacementId }) : null;
  if (!other) throw refusal('INVALID_TRANSITION', 'Only an exchange with another student waits for an answer', { status: swap.status });
  opts.authorize(swap, other);
  const status = nextSwapStatus(swap.status, accept ? 'accept' : 'decline');
  Object.assign(swap, { status, respondedBy: opts.meta.actorId, respondedAt: opts.now });
  await em.getRepository(SwapRequest).update({ id }, { status, respondedBy: swap.respondedBy, respondedAt: swap.respondedAt });
  await publishSwap(em, swap, opts);
  return swap;
}

/**
 * The school's coordinator approves or rejects. Approval re-checks every constraint in this
 * transaction (the world may have changed since the request), then moves the placements,
 * writes their audit lines and re-announces confirmed ones with their new terms.
 */
export async function decideSwap(
  em: EntityManager,
  id: string,
  decision: { approve: boolean; note: string | null },
  opts: CommandOptions & { authorize: (swap: SwapRequest) => void },
): Promise<SwapRequest> {
  const swap = await lockSwap(em, id);
  opts.authorize(swap);
  const status = nextSwapStatus(swap.status, decision.approve ? 'approve' : 'reject');
  if (decision.approve) await applySwap(em, swap, opts);
  Object.assign(swap, { status, decidedBy: opts.meta.actorId, decidedAt: opts.now, decisionNote: decision.note });
  await em
    .getRepository(SwapRequest)
    .update({ id }, { status, decidedBy: swap.decidedBy, decidedAt: swap.decidedAt, decisionNote: swap.decisionNote });
  await publishSwap(em, swap, opts);
  return swap;
}

async function applySwap(em: EntityManager, swap: SwapRequest, opts: CommandOptions): Promise<void> {
  const ids = [swap.placementId, ...(swap.withPlacementId ? [swap.withPlacementId] : [])];
  const locked = await lockPlacements(em, ids);
  const placements = ids.map((pid) => locked.get(pid) as Placement);
  for (const p of placements) assertPlacementSwappable(p);
  const after = await termsAfter(em, swap, placements);
  await assertSwapFeasible(em, placements, after);
  const blocks = await em.getRepository(RotationBlock).findBy({ id: In(after.map((t) => t.blockId)) });
  const moves = new Map(placements.map((p) => [p.id, p.departmentId]));
  const formerBlocks = new Set(placements.map((p) => p.blockId));
  for (const terms of after) {
    const placement = locked.get(terms.id) as Placement;
    const from = { departmentId: placement.departmentId, blockId: placement.blockId, supervisorId: placement.supervisorId };
    const block = blocks.find((b) => b.id === terms.blockId) as RotationBlock;
    const change = {
      hospitalId: terms.hospitalId,
      departmentId: terms.departmentId,
      blockId: terms.blockId,
      supervisorId: terms.supervisorId,
      startsOn: block.startsOn,
      endsOn: block.endsOn,
      updatedAt: opts.now,
    };
    Object.assign(placement, change);
    await em.getRepository(Placement).update({ id: placement.id }, change);
    await recordStep(em, placement, swap.withPlacementId ? 'SWAPPED' : 'MOVED', placement.status, opts.meta, opts.now, {
      swapRequestId: swap.id,
      from,
      to: { departmentId: terms.departmentId, blockId: terms.blockId },
    });
  }
  // A part of a longer rotation keeps its link (ADR 0035): the parts are renumbered for their new
  // blocks, or, the rotation's only live part having moved to another department, the link is cleared.
  const relink: string[] = [];
  for (const before of placements.filter((p) => p.rotationId)) {
    const now = locked.get(before.id) as Placement;
    const leftDepartment = moves.get(before.id) !== now.departmentId;
    if (!(leftDepartment && (await unlinkMovedAlone(em, now.id, before.rotationId as string)))) relink.push(before.rotationId as string);
  }
  await relinkRotations(em, relink, opts, [...formerBlocks]);
  for (const terms of after) {
    const placement = await em.getRepository(Placement).findOneByOrFail({ id: terms.id });
    if (placement.status === 'CONFIRMED') await publishPlacement(em, placement, opts.now, opts.meta);
  }
}

/** A school's swap requests, newest first, optionally in one status. */
export function listSwapRequests(ds: DataSource, schoolId: string, status: SwapStatus | null): Promise<SwapRequest[]> {
  return ds
    .getRepository(SwapRequest)
    .find({ where: { schoolId, ...(status ? { status } : {}) }, order: { requestedAt: 'DESC', id: 'ASC' } });
}

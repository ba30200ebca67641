import { type Actor, ensure, hasRole, isNetworkAdmin, parseInput, optionalRef, type IdArgs, guarded } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { decideSwap, listSwapRequests, requestSwap, respondToSwap } from '../data/swaps';
import { canActForStudent, canPlanSchoolRotations } from '../domain/access-policy';
import { decideSwapSchema, requestSwapSchema, respondToSwapSchema, swapListArgs } from '../domain/validation';
import { type Placement, type SwapRequest } from '../entities';
import { commandOptions } from './placement';
import { mayReadPlacement } from './read';

/** The two students involved, the school's planners and network admins. */
async function mayReadSwap(ctx: RotationsContext, swap: SwapRequest): Promise<boolean> {
  if (canPlanSchoolRotations(ctx.actor, swap.schoolId)) return true;
  const [own, other] = await Promise.all([
    ctx.loaders.placement.load(swap.placementId),
    swap.withPlacementId ? ctx.loaders.placement.load(swap.withPlacementId) : null,
  ]);
  return [own, other].some((p) => p?.studentId === ctx.actor.personId);
}

async function readSwap(ctx: RotationsContext, id: string): Promise<SwapRequest | null> {
  const swap = await ctx.loaders.swap.load(id);
  if (!swap) return null;
  ensure(await mayReadSwap(ctx, swap), 'You may not see this swap request');
  return swap;
}

const isStudent = (actor: Actor, studentId: string): boolean => actor.personId === studentId && hasRole(actor, 'STUDENT');

/** The placement when the caller may see it, otherwise null (the other student's placement stays private). */
async function visiblePlacement(ctx: RotationsContext, id: string | null): Promise<Placement | null> {
  const placement = id ? await ctx.loaders.placement.load(id) : null;
  return placement && (await mayReadPlacement(ctx, placement)) ? placement : null;
}

export const swapResolvers = {
  Query: {
    swapRequest: (_: unknown, { id }: IdArgs, ctx: RotationsContext) => readSwap(ctx, id),
    swapRequests: (_: unknown, args: { schoolId: string; status?: string | null }, ctx: RotationsContext) => {
      const { schoolId, status } = parseInput(swapListArgs, args);
      ensure(canPlanSchoolRotations(ctx.actor, schoolId), "Only the school's coordinators and admins may list its swap requests");
      return listSwapRequests(ctx.dataSource, schoolId, status);
    },
  },
  Mutation: {
    requestSwap: guarded({ input: requestSwapSchema }, (data, ctx: RotationsContext) => {
      return ctx.command((em) =>
        requestSwap(em, data, {
          ...commandOptions(ctx),
          authorize: (own) =>
            ensure(
              canActForStudent(ctx.actor, { id: own.studentId, schoolId: own.schoolId }),
              "Only the placement's student, or their school's coordinators, may ask to swap it",
            ),
        }),
      );
    }),
    respondToSwap: guarded({ input: respondToSwapSchema }, ({ id, accept }, ctx: RotationsContext) => {
      return ctx.command((em) =>
        respondToSwap(em, id, accept, {
          ...commandOptions(ctx),
          authorize: (_swap, other) =>
            ensure(isStudent(ctx.actor, other.studentId) || isNetworkAdmin(ctx.actor), 'Only the other student may answer this swap'),
        }),
      );
    }),
    decideSwap: guarded({ input: decideSwapSchema }, ({ id, approve, note }, ctx: RotationsContext) => {
      return ctx.command((em) =>
        decideSwap(
          em,
          id,
          { approve, note },
          {
            ...commandOptions(ctx),
            authorize: (swap) =>
              ensure(canPlanSchoolRotations(ctx.actor, swap.schoolId), "Only the school's coordinators and admins may decide swaps"),
          },
        ),
      );
    }),
  },
  SwapRequest: {
    __resolveReference: (r: IdArgs, ctx: RotationsContext) => readSwap(ctx, r.id),
    placement: (s: SwapRequest, _: unknown, ctx: RotationsContext) => visiblePlacement(ctx, s.placementId),
    withPlacement: (s: SwapRequest, _: unknown, ctx: RotationsContext) => visiblePlacement(ctx, s.withPlacementId),
    toDepartment: (s: SwapRequest) => optionalRef(s.toDepartmentId),
    offeredDepartment: async (s: SwapRequest, _: unknown, ctx: RotationsContext) =>
      optionalRef((await ctx.loaders.placement.load(s.placementId))?.departmentId ?? null),
    offeredBlock: async (s: SwapRequest, _: unknown, ctx: RotationsContext) => {
      const placement = await ctx.loaders.placement.load(s.placementId);
      return placement ? ctx.loaders.block.load(placement.blockId) : null;
    },
  },
};

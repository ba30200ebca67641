import { ensure, type IdArgs } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { canReadCapacity, canReadStaffMember, canReadStudentRecords, departmentDecides, hospitalHoldsGrant } from '../domain/access-policy';
import { actorDepartment, visiblePlacements } from './read';

/**
 * The fields rotations contributes to the network's entities. Every reference and field
 * applies the policy with rotations' own projections and placements, batched per request.
 */

/** FORBIDDEN unless the caller may read the student's rotation records. */
async function studentRecords(ctx: RotationsContext, studentId: string) {
  const [known, placements] = await Promise.all([
    ctx.loaders.knownStudent.load(studentId),
    ctx.loaders.placementsByStudent.load(studentId),
  ]);
  const grant =
    hospitalHoldsGrant(ctx.actor, placements, ctx.now) ||
    (departmentDecides(ctx.actor) && hospitalHoldsGrant(ctx.actor, placements, ctx.now, await actorDepartment(ctx)));
  ensure(
    canReadStudentRecords(ctx.actor, { id: studentId, schoolId: known?.schoolId ?? null }, grant),
    "You may not see this student's rotations",
  );
  return { known, placements };
}

export const federatedResolvers = {
  Student: {
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      await studentRecords(ctx, r.id);
      return { id: r.id };
    },
    placements: async (s: IdArgs, _: unknown, ctx: RotationsContext) =>
      visiblePlacements(ctx, (await studentRecords(ctx, s.id)).placements),
  },
  Department: {
    // Departments are a directory: any signed-in caller may reference one; fields filter.
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    capacity: async (d: IdArgs, { blockId }: { blockId: string }, ctx: RotationsContext) =>
      (await ctx.loaders.capacityByDepartment(blockId).load(d.id)).filter((c) => canReadCapacity(ctx.actor, c)),
    placements: async (d: IdArgs, { blockId }: { blockId?: string | null }, ctx: RotationsContext) =>
      visiblePlacements(ctx, await ctx.loaders.placementsByDepartment(blockId ?? null).load(d.id)),
  },
  StaffMember: {
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      ensure(canReadStaffMember(ctx.actor, r.id, await ctx.loaders.knownStaff.load(r.id)), 'You may not see this staff member');
      return { id: r.id };
    },
    supervisedPlacements: async (m: IdArgs, _: unknown, ctx: RotationsContext) =>
      visiblePlacements(ctx, await ctx.loaders.placementsBySupervisor.load(m.id)),
  },
};

import { ensure, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { setSiteCapacity } from '../data/seats';
import { canManageHospitalSeats, canReadCapacity } from '../domain/access-policy';
import { refusal } from '../domain/refusals';
import { setSiteCapacitySchema } from '../domain/validation';
import { type SiteCapacity } from '../entities';

export const capacityResolvers = {
  Mutation: {
    setSiteCapacity: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'set site capacity', input: setSiteCapacitySchema },
      async (data, ctx: RotationsContext) => {
        const department = await ctx.loaders.knownDepartment.load(data.departmentId);
        // A department no agreement (and no staff registration) names cannot host anyone.
        if (!department) throw refusal('NO_AGREEMENT', 'No agreement names this department', { departmentId: data.departmentId });
        ensure(
          canManageHospitalSeats(ctx.actor, department.institutionId),
          "Only the hospital's coordinators and admins may set its seats",
        );
        return ctx.command((em) => setSiteCapacity(em, data, ctx.actor.personId));
      },
    ),
  },
  SiteCapacity: {
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      const capacity = await ctx.loaders.capacity.load(r.id);
      if (!capacity) return null;
      ensure(canReadCapacity(ctx.actor, capacity), 'Only the school and the hospital may see these seats');
      return capacity;
    },
    department: (c: SiteCapacity) => ref(c.departmentId),
    hospital: (c: SiteCapacity) => ref(c.hospitalId),
    school: (c: SiteCapacity) => ref(c.schoolId),
    block: (c: SiteCapacity, _: unknown, ctx: RotationsContext) => ctx.loaders.block.load(c.blockId),
    heldSeats: async (c: SiteCapacity, _: unknown, ctx: RotationsContext) => (await ctx.loaders.seatCounts.load(c.id)).held,
    committedSeats: async (c: SiteCapacity, _: unknown, ctx: RotationsContext) => (await ctx.loaders.seatCounts.load(c.id)).committed,
    availableSeats: async (c: SiteCapacity, _: unknown, ctx: RotationsContext) =>
      Math.max(0, c.seats - (await ctx.loaders.seatCounts.load(c.id)).held),
  },
};

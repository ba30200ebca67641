import { ensure, parseInput, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { listRotationRequirements, setRotationRequirement } from '../data/requirements';
import { canPlanSchoolRotations } from '../domain/access-policy';
import { requirementListArgs, setRotationRequirementSchema } from '../domain/validation';
import { type RotationRequirement } from '../entities';

const READ_DENIED = "Only the school's people may see its rotation requirements";
const mayReadRequirements = (ctx: RotationsContext, schoolId: string): boolean =>
  ctx.actor.institutionId === schoolId || canPlanSchoolRotations(ctx.actor, schoolId);

export const requirementResolvers = {
  Query: {
    rotationRequirements: (_: unknown, args: { schoolId: string; programId?: string | null }, ctx: RotationsContext) => {
      const { schoolId, programId } = parseInput(requirementListArgs, args);
      ensure(mayReadRequirements(ctx, schoolId), READ_DENIED);
      return listRotationRequirements(ctx.dataSource, schoolId, programId);
    },
  },
  Mutation: {
    setRotationRequirement: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'set rotation requirements', input: setRotationRequirementSchema },
      (data, ctx: RotationsContext) => {
        ensure(
          canPlanSchoolRotations(ctx.actor, data.schoolId),
          "Only the school's coordinators and admins may set its rotation requirements",
        );
        return ctx.command((em) => setRotationRequirement(em, data, ctx.actor.personId, ctx.now));
      },
    ),
  },
  RotationRequirement: {
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      const requirement = await ctx.loaders.requirement.load(r.id);
      if (!requirement) return null;
      ensure(mayReadRequirements(ctx, requirement.schoolId), READ_DENIED);
      return requirement;
    },
    school: (r: RotationRequirement) => ref(r.schoolId),
  },
};

import { ensure, parseInput, ref, type IdArgs, guarded, type Role } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { listRotationRequirements, setRotationRequirement } from '../data/requirements';
import {
  listPrecedences,
  listRequirementGroups,
  removeRequirementRule,
  setPrecedence,
  setRequirementGroup,
} from '../data/requirement-groups';
import { canPlanSchoolRotations } from '../domain/access-policy';
import {
  removeByIdSchema,
  requirementListArgs,
  setRotationPrecedenceSchema,
  setRotationRequirementGroupSchema,
  setRotationRequirementSchema,
} from '../domain/validation';
import { RotationPrecedence, type RotationRequirement, RotationRequirementGroup } from '../entities';

const READ_DENIED = "Only the school's people may see its rotation requirements";
const PLANNERS_ONLY = "Only the school's coordinators and admins may set its rotation requirements";
const PLANNERS: { roles: Role[] } = { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'] };
const mayReadRequirements = (ctx: RotationsContext, schoolId: string): boolean =>
  ctx.actor.institutionId === schoolId || canPlanSchoolRotations(ctx.actor, schoolId);

export const requirementResolvers = {
  Query: {
    rotationRequirements: (_: unknown, args: { schoolId: string; programId?: string | null }, ctx: RotationsContext) => {
      const { schoolId, programId } = parseInput(requirementListArgs, args);
      ensure(mayReadRequirements(ctx, schoolId), READ_DENIED);
      return listRotationRequirements(ctx.dataSource, schoolId, programId);
    },
    rotationRequirementGroups: (_: unknown, args: { schoolId: string; programId?: string | null }, ctx: RotationsContext) => {
      const { schoolId, programId } = parseInput(requirementListArgs, args);
      ensure(mayReadRequirements(ctx, schoolId), READ_DENIED);
      return listRequirementGroups(ctx.dataSource, schoolId, programId);
    },
    rotationPrecedences: (_: unknown, args: { schoolId: string; programId?: string | null }, ctx: RotationsContext) => {
      const { schoolId, programId } = parseInput(requirementListArgs, args);
      ensure(mayReadRequirements(ctx, schoolId), READ_DENIED);
      return listPrecedences(ctx.dataSource, schoolId, programId);
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
    setRotationRequirementGroup: guarded(
      { ...PLANNERS, action: 'set rotation requirement groups', input: setRotationRequirementGroupSchema },
      (data, ctx: RotationsContext) => {
        ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), PLANNERS_ONLY);
        return ctx.command((em) => setRequirementGroup(em, data, ctx.actor.personId, ctx.now));
      },
    ),
    removeRotationRequirementGroup: guarded(
      { ...PLANNERS, action: 'remove rotation requirement groups', input: removeByIdSchema, from: 'args' },
      (data, ctx: RotationsContext) =>
        ctx.command((em) =>
          removeRequirementRule(em, RotationRequirementGroup, data.id, (g) =>
            ensure(canPlanSchoolRotations(ctx.actor, g.schoolId), PLANNERS_ONLY),
          ),
        ),
    ),
    setRotationPrecedence: guarded(
      { ...PLANNERS, action: 'set rotation precedences', input: setRotationPrecedenceSchema },
      (data, ctx: RotationsContext) => {
        ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), PLANNERS_ONLY);
        return ctx.command((em) => setPrecedence(em, data, ctx.actor.personId, ctx.now));
      },
    ),
    removeRotationPrecedence: guarded(
      { ...PLANNERS, action: 'remove rotation precedences', input: removeByIdSchema, from: 'args' },
      (data, ctx: RotationsContext) =>
        ctx.command((em) =>
          removeRequirementRule(em, RotationPrecedence, data.id, (p) =>
            ensure(canPlanSchoolRotations(ctx.actor, p.schoolId), PLANNERS_ONLY),
          ),
        ),
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
  RotationRequirementGroup: { school: (g: RotationRequirementGroup) => ref(g.schoolId) },
  RotationPrecedence: { school: (p: RotationPrecedence) => ref(p.schoolId) },
};

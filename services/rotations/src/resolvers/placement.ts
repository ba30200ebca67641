import {
  type ConnectionArgs,
  ensure,
  NotFoundError,
  pageRequest,
  parseInput,
  requireRole,
  optionalRef,
  ref,
  type IdArgs,
  type InputArgs,
  guarded,
} from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { listPlacements } from '../data/placement-list';
import { type CommandOptions, createPlacement, transitionPlacement } from '../data/placements';
import {
  canPlanSchoolRotations,
  canRunPlacementOnSite,
  mayAskForPlacements,
  placementListScope,
  type PlacementAsk,
} from '../domain/access-policy';
import { type PlacementAction } from '../domain/placement-lifecycle';
import { cancelPlacementSchema, createPlacementSchema, placementFilterSchema, placementIdSchema } from '../domain/validation';
import { type Placement } from '../entities';
import { actorDepartment, readPlacement } from './read';

const SCHOOL_ONLY = "Only the student's school's coordinators and admins may do this";
const SITE_ONLY = "Only the hospital's coordinators and admins, or clinical instructors of the department, may do this";

export const commandOptions = (ctx: RotationsContext): CommandOptions => ({
  meta: ctx.eventMeta,
  now: ctx.now,
  graceDays: ctx.settings.grantDaysAfterCompletion,
});

/** A placement's change, in the audit trail (ADR 0008): committed with the transition or not at all. */
const auditChange = (ctx: RotationsContext, p: Placement, change: string, reason?: string) =>
  ctx.audit.change('Placement', p.id, { studentId: p.studentId, schoolId: p.schoolId, change, fields: ['status'], reason });

/** Confirm and cancel belong to the school. */
function schoolStep(action: Extract<PlacementAction, 'confirm' | 'cancel'>) {
  return (_: unknown, { input }: InputArgs, ctx: RotationsContext) => {
    requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], `${action} placements`);
    const { id, reason } =
      action === 'cancel' ? parseInput(cancelPlacementSchema, input) : { ...parseInput(placementIdSchema, input), reason: undefined };
    return ctx.command((em) =>
      transitionPlacement(em, id, action, {
        ...commandOptions(ctx),
        reason,
        authorize: (p) => {
          ensure(canPlanSchoolRotations(ctx.actor, p.schoolId), SCHOOL_ONLY);
          auditChange(ctx, p, `${action}Placement`, reason);
        },
      }),
    );
  };
}

/** Start and complete happen on site. */
function siteStep(action: Extract<PlacementAction, 'start' | 'complete'>) {
  return async (_: unknown, { input }: InputArgs, ctx: RotationsContext) => {
    requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN', 'CLINICAL_INSTRUCTOR'], `${action} placements`);
    const { id } = parseInput(placementIdSchema, input);
    const actorStaff = await ctx.loaders.knownStaff.load(ctx.actor.personId);
    return ctx.command((em) =>
      transitionPlacement(em, id, action, {
        ...commandOptions(ctx),
        authorize: (p) => {
          ensure(canRunPlacementOnSite(ctx.actor, p, actorStaff), SITE_ONLY);
          auditChange(ctx, p, `${action}Placement`);
        },
      }),
    );
  };
}

/** FORBIDDEN when the filter names a school, hospital or student the caller may not ask about (partners loaded only then). */
async function ensureMayAsk(ctx: RotationsContext, ask: PlacementAsk): Promise<void> {
  const none: string[] = [];
  if (mayAskForPlacements(ctx.actor, ask, { ofSchool: none, ofCallerSchool: none })) return;
  const [ofSchool, ofCallerSchool] = await Promise.all([
    ask.schoolId ? ctx.loaders.partnerHospitals.load(ask.schoolId) : none,
    ask.hospitalId && ctx.actor.institutionId ? ctx.loaders.partnerHospitals.load(ctx.actor.institutionId) : none,
  ]);
  ensure(mayAskForPlacements(ctx.actor, ask, { ofSchool, ofCallerSchool }), 'You may not see the placements you asked for');
}

/**
 * The largest page of `placements`: a coordinator's block board shows a block's placements on
 * one page (issue 16: 200 rows), within the gateway's cost limit (gateway/test/cost.test.ts).
 */
export const PLACEMENT_PAGE_MAX = 200;

export const placementResolvers = {
  Query: {
    placement: (_: unknown, { id }: IdArgs, ctx: RotationsContext) => readPlacement(ctx, id),
    placements: async (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: RotationsContext) => {
      const filter = parseInput(placementFilterSchema, args.filter);
      await ensureMayAsk(ctx, filter);
      return listPlacements(
        ctx.dataSource,
        placementListScope(ctx.actor, await actorDepartment(ctx)),
        filter,
        pageRequest(args, PLACEMENT_PAGE_MAX),
        ctx.now,
      );
    },
  },
  Mutation: {
    createPlacement: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'create placements', input: createPlacementSchema },
      async (data, ctx: RotationsContext) => {
        const student = await ctx.loaders.knownStudent.load(data.studentId);
        if (!student) throw new NotFoundError('Student', data.studentId);
        ensure(canPlanSchoolRotations(ctx.actor, student.schoolId), SCHOOL_ONLY);
        return ctx.command(async (em) => {
          const placement = await createPlacement(em, data, commandOptions(ctx));
          // What the proposal set (ADR 0023): the student's record gained a placement.
          ctx.audit.change('Placement', placement.id, {
            studentId: placement.studentId,
            schoolId: placement.schoolId,
            change: 'createPlacement',
            fields: ['block', 'department', 'hospital', 'status', ...(placement.supervisorId ? ['supervisor'] : [])],
          });
          return placement;
        });
      },
    ),
    confirmPlacement: schoolStep('confirm'),
    cancelPlacement: schoolStep('cancel'),
    startPlacement: siteStep('start'),
    completePlacement: siteStep('complete'),
  },
  Placement: {
    __resolveReference: (r: IdArgs, ctx: RotationsContext) => readPlacement(ctx, r.id),
    student: (p: Placement) => ref(p.studentId),
    school: (p: Placement) => ref(p.schoolId),
    hospital: (p: Placement) => ref(p.hospitalId),
    department: (p: Placement) => ref(p.departmentId),
    supervisor: (p: Placement) => optionalRef(p.supervisorId),
    block: (p: Placement, _: unknown, ctx: RotationsContext) => ctx.loaders.block.load(p.blockId),
    hospitalAccessUntil: (p: Placement) => p.accessUntil,
  },
};

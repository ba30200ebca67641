import { ensure, guarded, ref } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { assignSupervisors } from '../data/supervisors';
import { departmentForProposal, supervisorProposal } from '../data/supervisor-proposal';
import { canAssignSupervisors, type StaffFacts } from '../domain/access-policy';
import { type ProposedSupervision, type UnsupervisedPlacement } from '../domain/supervisor-proposal';
import { assignSupervisorsSchema, proposeSupervisorsArgs } from '../domain/validation';
import { type Placement } from '../entities';
import { commandOptions } from './placement';
import { mayReadPlacement } from './read';

const DEPARTMENT_ONLY = "Only the hospital's admins and the department's coordinators may name supervisors";
const STAFF_ROLES_THAT_ASSIGN = ['COORDINATOR', 'INSTITUTION_ADMIN'] as const;

const callerStaff = (ctx: RotationsContext): Promise<StaffFacts | null> => ctx.loaders.knownStaff.load(ctx.actor.personId);

/** Supervisors of placements (issue 14): a proposal to look at, and the bulk assignment that applies one. */
export const supervisorResolvers = {
  Query: {
    proposeSupervisors: guarded(
      { roles: [...STAFF_ROLES_THAT_ASSIGN], action: 'propose supervisors', input: proposeSupervisorsArgs, from: 'args' },
      async (args, ctx: RotationsContext) => {
        const department = await departmentForProposal(ctx.dataSource, args.departmentId);
        ensure(
          canAssignSupervisors(ctx.actor, { ...department, departmentId: args.departmentId }, await callerStaff(ctx)),
          DEPARTMENT_ONLY,
        );
        return supervisorProposal(ctx.dataSource, args, department);
      },
    ),
  },
  Mutation: {
    assignPlacementSupervisors: guarded(
      { roles: [...STAFF_ROLES_THAT_ASSIGN], action: 'assign supervisors', input: assignSupervisorsSchema },
      async (data, ctx: RotationsContext) => {
        const actorStaff = await callerStaff(ctx);
        return ctx.command((em) =>
          assignSupervisors(em, data, {
            ...commandOptions(ctx),
            // A placement the caller may not see (a proposal, another hospital's) is refused without a name.
            authorize: async (p) =>
              ensure((await mayReadPlacement(ctx, p)) && canAssignSupervisors(ctx.actor, p, actorStaff), DEPARTMENT_ONLY),
            audit: (p) =>
              ctx.audit.change('Placement', p.id, {
                studentId: p.studentId,
                schoolId: p.schoolId,
                change: 'assignPlacementSupervisor',
                fields: ['supervisor'],
              }),
          }),
        );
      },
    ),
  },
  ProposedSupervision: {
    placement: (s: ProposedSupervision, _: unknown, ctx: RotationsContext): Promise<Placement | null> =>
      ctx.loaders.placement.load(s.placementId),
    supervisor: (s: ProposedSupervision) => ref(s.supervisorId),
  },
  UnsupervisedPlacement: {
    placement: (u: UnsupervisedPlacement, _: unknown, ctx: RotationsContext): Promise<Placement | null> =>
      ctx.loaders.placement.load(u.placementId),
  },
  SupervisorProposal: {
    department: (r: { departmentId: string }) => ref(r.departmentId),
  },
};

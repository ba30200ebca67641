import { type ConnectionArgs, ensure, ForbiddenError, pageRequest, parseInput, readWithPolicy, type IdArgs, guarded } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { listStaff, registerStaffMember } from '../data/staff';
import { canGrantRoles, canReadStaffMember, staffListScope } from '../domain/access-policy';
import { canManagePeople, roleChangeRefusal } from '../domain/lifecycle';
import { registerStaffMemberSchema, staffFilterSchema } from '../domain/validation';
import { type StaffMember } from '../entities';

const readStaffMember = (ctx: NetworkContext, id: string) =>
  readWithPolicy(ctx.loaders.staffMember, id, (m) => canReadStaffMember(ctx.actor, m), 'You may not see this staff member');

export const staffMemberResolvers = {
  Query: {
    staffMember: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => readStaffMember(ctx, id),
    staffMembers: (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: NetworkContext) => {
      const filter = parseInput(staffFilterSchema, args.filter);
      const page = pageRequest(args);
      return listStaff(ctx.dataSource, staffListScope(ctx.actor, filter.institutionId), filter, page);
    },
  },
  Mutation: {
    registerStaffMember: guarded(
      { roles: ['INSTITUTION_ADMIN', 'INTEGRATION'], action: 'register staff', input: registerStaffMemberSchema },
      (data, ctx: NetworkContext) => {
        ensure(
          canManagePeople(ctx.actor, data.institutionId),
          "Only the institution's own admins and integration accounts may register its staff",
        );
        ensure(canGrantRoles(ctx.actor, data.roles), 'Only a network admin may grant the NETWORK_ADMIN role');
        const refusal = roleChangeRefusal(ctx.actor, [], data.roles);
        if (refusal) throw new ForbiddenError(refusal);
        return ctx.command((em) => registerStaffMember(em, data, ctx.eventMeta));
      },
    ),
  },
  StaffMember: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readStaffMember(ctx, ref.id),
    institution: (m: StaffMember, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(m.institutionId),
    department: (m: StaffMember, _: unknown, ctx: NetworkContext) => (m.departmentId ? ctx.loaders.department.load(m.departmentId) : null),
  },
};

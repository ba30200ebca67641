import { type ConnectionArgs, ensure, ForbiddenError, pageRequest, parseInput, requireRole } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { listStaff, registerStaffMember } from '../data/staff';
import { runCommand } from '../data/transaction';
import { canGrantRoles, canReadStaffMember, staffListScope } from '../domain/access-policy';
import { canManagePeople, roleChangeRefusal } from '../domain/lifecycle';
import { registerStaffMemberSchema, staffFilterSchema } from '../domain/validation';
import { type StaffMember } from '../entities';
import { type IdArgs, type InputArgs, readWithPolicy } from './read';

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
    registerStaffMember: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'INTEGRATION'], 'register staff');
      const data = parseInput(registerStaffMemberSchema, input);
      ensure(
        canManagePeople(ctx.actor, data.institutionId),
        "Only the institution's own admins and integration accounts may register its staff",
      );
      ensure(canGrantRoles(ctx.actor, data.roles), 'Only a network admin may grant the NETWORK_ADMIN role');
      const refusal = roleChangeRefusal(ctx.actor, [], data.roles);
      if (refusal) throw new ForbiddenError(refusal);
      return runCommand(ctx.dataSource, (em) => registerStaffMember(em, data, ctx.eventMeta));
    },
  },
  StaffMember: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readStaffMember(ctx, ref.id),
    institution: (m: StaffMember, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(m.institutionId),
    department: (m: StaffMember, _: unknown, ctx: NetworkContext) => (m.departmentId ? ctx.loaders.department.load(m.departmentId) : null),
  },
};

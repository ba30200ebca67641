import { ensure, parseInput, requireRole } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { createDepartment } from '../data/departments';
import { runCommand } from '../data/transaction';
import { canManageInstitutionRecords } from '../domain/access-policy';
import { createDepartmentSchema } from '../domain/validation';
import { type Department } from '../entities';
import { type IdArgs, type InputArgs } from './read';

/** Departments are a directory: any signed-in caller may read them. */
export const departmentResolvers = {
  Query: {
    department: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => ctx.loaders.department.load(id),
  },
  Mutation: {
    createDepartment: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN'], 'create departments');
      const data = parseInput(createDepartmentSchema, input);
      ensure(canManageInstitutionRecords(ctx.actor, data.institutionId), "Only the institution's own admins may add its departments");
      return runCommand(ctx.dataSource, (em) => createDepartment(em, data));
    },
  },
  Department: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => ctx.loaders.department.load(ref.id),
    institution: (d: Department, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(d.institutionId),
  },
};

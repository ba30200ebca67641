import { ensure, type IdArgs, guarded } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { createDepartment } from '../data/departments';
import { canManageInstitutionRecords } from '../domain/access-policy';
import { createDepartmentSchema } from '../domain/validation';
import { type Department } from '../entities';

/** Departments are a directory: any signed-in caller may read them. */
export const departmentResolvers = {
  Query: {
    department: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => ctx.loaders.department.load(id),
  },
  Mutation: {
    createDepartment: guarded(
      { roles: ['INSTITUTION_ADMIN'], action: 'create departments', input: createDepartmentSchema },
      (data, ctx: NetworkContext) => {
        ensure(canManageInstitutionRecords(ctx.actor, data.institutionId), "Only the institution's own admins may add its departments");
        return ctx.command((em) => createDepartment(em, data, { meta: ctx.eventMeta }));
      },
    ),
  },
  Department: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => ctx.loaders.department.load(ref.id),
    institution: (d: Department, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(d.institutionId),
  },
};

import { type ConnectionArgs, ensure, pageRequest, parseInput, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { departmentPage } from '../data/department-pages';
import { createInstitution, listInstitutions, pageInstitutions } from '../data/institutions';
import { canCreateInstitution } from '../domain/access-policy';
import { type InstitutionKind } from '../domain/model';
import { createInstitutionSchema } from '../domain/validation';
import { type Institution } from '../entities';

/** Institutions are a directory: any signed-in caller may read them. */
export const institutionResolvers = {
  Query: {
    institution: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => ctx.loaders.institution.load(id),
    institutions: (_: unknown, { kind }: { kind?: InstitutionKind | null }, ctx: NetworkContext) => listInstitutions(ctx.dataSource, kind),
    institutionsPage: (_: unknown, args: ConnectionArgs & { kind?: InstitutionKind | null }, ctx: NetworkContext) =>
      pageInstitutions(ctx.dataSource, args.kind, pageRequest(args)),
  },
  Mutation: {
    createInstitution: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      ensure(canCreateInstitution(ctx.actor), 'Only a network admin may add institutions');
      const data = parseInput(createInstitutionSchema, input);
      return ctx.command((em) => createInstitution(em, data, { meta: ctx.eventMeta }));
    },
  },
  Institution: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => ctx.loaders.institution.load(ref.id),
    departments: (i: Institution, _: unknown, ctx: NetworkContext) => ctx.loaders.departmentsByInstitution.load(i.id),
    departmentsPage: (i: Institution, args: ConnectionArgs, ctx: NetworkContext) =>
      departmentPage(ctx.loaders.departmentPagesOfInstitution, i.id, pageRequest(args)),
  },
};

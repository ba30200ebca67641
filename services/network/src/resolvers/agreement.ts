import { type ConnectionArgs, ensure, NotFoundError, pageRequest, parseInput, type IdArgs, guarded, readWithPolicy } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { departmentPage } from '../data/department-pages';
import { activateAgreement, endAgreement, listAgreements, pageAgreements, proposeAgreement } from '../data/agreements';
import { agreementListScope, canManageAgreement, canReadAgreement } from '../domain/access-policy';
import { activateAgreementSchema, agreementFilterSchema, endAgreementSchema, proposeAgreementSchema } from '../domain/validation';
import { type CollaborationAgreement } from '../entities';

const readAgreement = (ctx: NetworkContext, id: string) =>
  readWithPolicy(ctx.loaders.agreement, id, (a) => canReadAgreement(ctx.actor, a), 'Only staff of the two parties may see this agreement');

const MANAGE_DENIED = "Only admins and coordinators of the agreement's school or hospital may change it";

/** Loads the agreement a transition names and checks the caller may change it. */
async function agreementToChange(ctx: NetworkContext, id: string): Promise<CollaborationAgreement> {
  const agreement = await ctx.loaders.agreement.load(id);
  if (!agreement) throw new NotFoundError('Agreement', id);
  ensure(canManageAgreement(ctx.actor, agreement), MANAGE_DENIED);
  return agreement;
}

/** Which agreements the caller may list with this filter (FORBIDDEN for another institution's side). */
async function agreementScopeOf(ctx: NetworkContext, filter: { schoolId?: string | null; hospitalId?: string | null }) {
  const own = ctx.actor.institutionId ? await ctx.loaders.institution.load(ctx.actor.institutionId) : null;
  return agreementListScope(ctx.actor, own, filter);
}

export const agreementResolvers = {
  Query: {
    agreement: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => readAgreement(ctx, id),
    agreements: async (_: unknown, args: { filter?: unknown }, ctx: NetworkContext) => {
      const filter = parseInput(agreementFilterSchema, args.filter);
      return listAgreements(ctx.dataSource, await agreementScopeOf(ctx, filter), filter);
    },
    agreementsPage: async (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: NetworkContext) => {
      const filter = parseInput(agreementFilterSchema, args.filter);
      const page = pageRequest(args);
      return pageAgreements(ctx.dataSource, await agreementScopeOf(ctx, filter), filter, page);
    },
  },
  Mutation: {
    proposeAgreement: guarded(
      { roles: ['INSTITUTION_ADMIN', 'COORDINATOR'], action: 'propose agreements', input: proposeAgreementSchema },
      (data, ctx: NetworkContext) => {
        ensure(canManageAgreement(ctx.actor, data), MANAGE_DENIED);
        return ctx.command((em) => proposeAgreement(em, data));
      },
    ),
    activateAgreement: guarded(
      { roles: ['INSTITUTION_ADMIN', 'COORDINATOR'], action: 'activate agreements', input: activateAgreementSchema },
      async ({ id }, ctx: NetworkContext) => {
        await agreementToChange(ctx, id);
        return ctx.command((em) => activateAgreement(em, id, ctx.eventMeta));
      },
    ),
    endAgreement: guarded(
      { roles: ['INSTITUTION_ADMIN', 'COORDINATOR'], action: 'end agreements', input: endAgreementSchema },
      async ({ id, endedOn }, ctx: NetworkContext) => {
        await agreementToChange(ctx, id);
        return ctx.command((em) => endAgreement(em, id, endedOn, ctx.eventMeta));
      },
    ),
  },
  CollaborationAgreement: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readAgreement(ctx, ref.id),
    school: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(a.schoolId),
    hospital: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(a.hospitalId),
    departments: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.departmentsByAgreement.load(a.id),
    // The agreement itself was read under its policy (a root field or __resolveReference): its departments come with it.
    departmentsPage: (a: CollaborationAgreement, args: ConnectionArgs, ctx: NetworkContext) =>
      departmentPage(ctx.loaders.departmentPagesOfAgreement, a.id, pageRequest(args)),
  },
};

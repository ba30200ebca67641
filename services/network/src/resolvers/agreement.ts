import { ensure, NotFoundError, parseInput, requireRole } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { activateAgreement, endAgreement, listAgreements, proposeAgreement } from '../data/agreements';
import { runCommand } from '../data/transaction';
import { agreementListScope, canManageAgreement, canReadAgreement } from '../domain/access-policy';
import { activateAgreementSchema, agreementFilterSchema, endAgreementSchema, proposeAgreementSchema } from '../domain/validation';
import { type CollaborationAgreement } from '../entities';
import { type IdArgs, type InputArgs, readWithPolicy } from './read';

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

export const agreementResolvers = {
  Query: {
    agreement: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => readAgreement(ctx, id),
    agreements: async (_: unknown, args: { filter?: unknown }, ctx: NetworkContext) => {
      const filter = parseInput(agreementFilterSchema, args.filter);
      const own = ctx.actor.institutionId ? await ctx.loaders.institution.load(ctx.actor.institutionId) : null;
      return listAgreements(ctx.dataSource, agreementListScope(ctx.actor, own, filter), filter);
    },
  },
  Mutation: {
    proposeAgreement: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'COORDINATOR'], 'propose agreements');
      const data = parseInput(proposeAgreementSchema, input);
      ensure(canManageAgreement(ctx.actor, data), MANAGE_DENIED);
      return runCommand(ctx.dataSource, (em) => proposeAgreement(em, data));
    },
    activateAgreement: async (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'COORDINATOR'], 'activate agreements');
      const { id } = parseInput(activateAgreementSchema, input);
      await agreementToChange(ctx, id);
      return runCommand(ctx.dataSource, (em) => activateAgreement(em, id, ctx.eventMeta));
    },
    endAgreement: async (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'COORDINATOR'], 'end agreements');
      const { id, endedOn } = parseInput(endAgreementSchema, input);
      await agreementToChange(ctx, id);
      return runCommand(ctx.dataSource, (em) => endAgreement(em, id, endedOn, ctx.eventMeta));
    },
  },
  CollaborationAgreement: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readAgreement(ctx, ref.id),
    school: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(a.schoolId),
    hospital: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(a.hospitalId),
    departments: (a: CollaborationAgreement, _: unknown, ctx: NetworkContext) => ctx.loaders.departmentsByAgreement.load(a.id),
  },
};

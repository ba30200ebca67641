import { randomUUID } from 'node:crypto';
import { ensure, guarded, hasRole, type Actor } from '@medcollab/kit';
import { z } from 'zod';
import { type QualityContext } from '../context';
import { evaluateRule } from '../data/alerts';
import { teacherOf } from '../domain/metrics';
import { PERIOD_KINDS } from '../domain/periods';
import { reportMetricSchema } from '../domain/validation';
import { QualityAlert, QualityAlertRule } from '../entities';
import { scopeView } from './report';

const OFFICE = ['QUALITY_OFFICER', 'INSTITUTION_ADMIN'] as const;
const mayManage = (actor: Actor, institutionId: string): boolean =>
  hasRole(actor, 'NETWORK_ADMIN') || (actor.institutionId === institutionId && OFFICE.some((r) => hasRole(actor, r)));
const NOT_YOURS = "Only the institution's quality office and network admins may see or set its alert rules";

const ruleInput = z.object({
  institutionId: z.uuid(),
  metric: reportMetricSchema,
  scopeKind: z.enum(['INSTITUTION', 'DEPARTMENT', 'TEACHER']),
  periodKind: z.enum(PERIOD_KINDS),
  direction: z.enum(['BELOW', 'ABOVE']),
  threshold: z.number().finite(),
});

export const alertResolvers = {
  Query: {
    qualityAlertRules: guarded(
      { input: z.object({ institutionId: z.uuid() }), from: 'args' },
      async ({ institutionId }, ctx: QualityContext) => {
        ensure(mayManage(ctx.actor, institutionId), NOT_YOURS);
        return ctx.dataSource.getRepository(QualityAlertRule).find({ where: { institutionId }, order: { createdAt: 'ASC' } });
      },
    ),
    qualityAlerts: guarded(
      { input: z.object({ institutionId: z.uuid(), first: z.number().int().min(1).max(200).nullish() }), from: 'args' },
      async ({ institutionId, first }, ctx: QualityContext) => {
        ensure(mayManage(ctx.actor, institutionId), NOT_YOURS);
        return ctx.dataSource
          .getRepository(QualityAlert)
          .find({ where: { institutionId }, order: { raisedAt: 'DESC', id: 'ASC' }, take: first ?? 50 });
      },
    ),
  },
  Mutation: {
    createQualityAlertRule: guarded(
      { roles: ['QUALITY_OFFICER', 'INSTITUTION_ADMIN'], action: 'set quality alert rules', input: ruleInput },
      async (data, ctx: QualityContext) => {
        ensure(mayManage(ctx.actor, data.institutionId), NOT_YOURS);
        // Judged at once against the figures already there; from then on the worker judges it as they change.
        return ctx.command(async (em) => {
          const rule = await em
            .getRepository(QualityAlertRule)
            .save({ id: randomUUID(), ...data, createdBy: ctx.actor.personId, createdAt: ctx.now });
          await evaluateRule(em, rule, ctx.settings.minEvaluators, ctx.now);
          return rule;
        });
      },
    ),
  },
  QualityAlert: {
    rule: (a: QualityAlert, _: unknown, ctx: QualityContext) =>
      ctx.loaders.memo(`rule:${a.ruleId}`, () => ctx.dataSource.getRepository(QualityAlertRule).findOneByOrFail({ id: a.ruleId })),
    scope: (a: QualityAlert) => scopeView({ kind: a.scopeKind, id: a.scopeId }),
    period: (a: QualityAlert & { rule?: QualityAlertRule }, _: unknown, ctx: QualityContext) =>
      ctx.loaders
        .memo(`rule:${a.ruleId}`, () => ctx.dataSource.getRepository(QualityAlertRule).findOneByOrFail({ id: a.ruleId }))
        .then((r) => ({ kind: r.periodKind, id: a.periodId })),
    teacherId: (a: QualityAlert) => (a.scopeKind === 'TEACHER' ? teacherOf(a.scopeId) : null),
  },
};

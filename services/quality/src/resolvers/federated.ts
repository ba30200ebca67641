import { ensure, type IdArgs, parseInput } from '@medcollab/kit';
import { z } from 'zod';
import { type QualityContext } from '../context';
import { scopeCells } from '../data/cells';
import { peerPercentile } from '../data/peers';
import { DENIED, readableRow, requireCohort, resolveScope } from '../data/reports';
import { mayReadOwnTeaching } from '../domain/access-policy';
import { ALL_SCHOOLS, REPORT_METRICS } from '../domain/metrics';
import { buildReport } from '../domain/report';
import { metricsSchema, periodSchema, reportMetricSchema } from '../domain/validation';

const departmentArgs = z.object({ period: periodSchema, metrics: metricsSchema });
const peerArgs = z.object({ period: periodSchema, metric: reportMetricSchema });

/** The figures quality adds to the network's Department and StaffMember. */
export const federatedResolvers = {
  Department: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    quality: async (d: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period, metrics } = parseInput(departmentArgs, args);
      return readableRow(ctx, await resolveScope(ctx, { kind: 'DEPARTMENT', id: d.id }), period, metrics ?? REPORT_METRICS);
    },
    peerPercentile: async (d: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period, metric } = parseInput(peerArgs, args);
      await requireCohort(ctx, await resolveScope(ctx, { kind: 'DEPARTMENT', id: d.id }));
      return peerPercentile(ctx, d.id, metric, period);
    },
  },
  StaffMember: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    /**
     * The teacher's own evaluations across departments: one cell per item, released only with
     * k distinct evaluators (nothing to add up against here: the teacher sees no other cell).
     */
    teachingQuality: async (s: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period } = parseInput(z.object({ period: periodSchema }), args);
      ensure(mayReadOwnTeaching(ctx.actor, s.id), DENIED);
      const cells = await ctx.loaders.memo(`staff|${period.kind}:${period.id}`, () =>
        scopeCells(ctx.dataSource.manager, 'STAFF', [s.id], ALL_SCHOOLS, period, ['TEACHER_SCORE']),
      );
      const own = cells
        .filter((c) => c.scopeId === s.id)
        .map((c) => ({ ...c, scopeKind: 'NETWORK' as const, scopeId: 'self', parent: null }));
      return buildReport({ kind: 'NETWORK', id: 'self' }, own, ['TEACHER_SCORE'], ctx.settings.minEvaluators).figures;
    },
  },
};

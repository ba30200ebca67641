import { guarded, type IdArgs, optionalRef, parseInput, ref } from '@medcollab/kit';
import { type QualityContext } from '../context';
import { readableRow, resolveScope } from '../data/reports';
import { METRICS, NETWORK_ID, teacherOf } from '../domain/metrics';
import { flatten, type ReportRow } from '../domain/report';
import { reportArgsSchema, trendArgsSchema } from '../domain/validation';

/** The scope of a row, with references the gateway resolves in the network subgraph. */
export function scopeView(row: { kind: string; id: string }, parentDepartment: string | null = null) {
  switch (row.kind) {
    case 'INSTITUTION':
      return { kind: row.kind, id: row.id, institution: ref(row.id), department: null, teacher: null };
    case 'DEPARTMENT':
      return { kind: row.kind, id: row.id, institution: null, department: ref(row.id), teacher: null };
    case 'TEACHER': {
      const [departmentId, teacherId] = row.id.split('/');
      return {
        kind: row.kind,
        id: teacherOf(row.id),
        institution: null,
        department: optionalRef(departmentId ?? parentDepartment),
        teacher: ref(teacherId as string),
      };
    }
    default:
      return { kind: 'NETWORK', id: NETWORK_ID, institution: null, department: null, teacher: null };
  }
}

export const reportResolvers = {
  Query: {
    qualityReport: guarded({ input: reportArgsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const root = await readableRow(ctx, scope, args.period, args.metrics ?? METRICS);
      return { scope: scopeView(root), period: args.period, minimumEvaluators: ctx.settings.minEvaluators, root, rows: flatten(root) };
    }),
    qualityTrend: guarded({ input: trendArgsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const rows = await Promise.all(args.periods.map((period) => readableRow(ctx, scope, period, [args.metric])));
      return rows.map((row, i) => ({ period: args.periods[i], figure: row.figures.find((f) => f.item === null) ?? row.figures[0] }));
    }),
  },
  QualityRow: {
    scope: (row: ReportRow) => scopeView(row),
  },
  Institution: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    quality: async (i: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period, metrics } = parseInput(reportArgsSchema.pick({ period: true, metrics: true }), args);
      const scope = await resolveScope(ctx, { kind: 'INSTITUTION', id: i.id });
      return readableRow(ctx, scope, period, metrics ?? METRICS);
    },
  },
};

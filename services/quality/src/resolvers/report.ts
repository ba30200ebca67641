import { ensure, guarded, type IdArgs, optionalRef, parseInput, ref } from '@medcollab/kit';
import { type QualityContext } from '../context';
import { DENIED, mayReadProgram, readableReport, readableRow, resolveScope } from '../data/reports';
import { revisionsOf } from '../data/snapshots';
import { cohortOf, LEARNER_METRICS, moduleOf, NETWORK_ID, REPORT_METRICS, teacherOf } from '../domain/metrics';
import { figureTable, packedFigureTableScalar } from '../domain/figure-table';
import { moduleOutcomes, programOfRow } from '../domain/module-outcomes';
import { flatten, type ReportRow } from '../domain/report';
import { reportArgsSchema, reportQuerySchema, rowsArgsSchema, trendArgsSchema } from '../domain/validation';
import { rowsDownTo } from '../domain/report-slice';
import { signExport } from '../domain/export-link';
import { EXPORT_PATH } from '../routes/export-route';

/** The scope of a row, with references the gateway resolves in the network subgraph. */
export function scopeView(row: { kind: string; id: string }, parentDepartment: string | null = null) {
  switch (row.kind) {
    case 'INSTITUTION':
      return { kind: row.kind, id: row.id, institution: ref(row.id), department: null, teacher: null, program: null };
    case 'DEPARTMENT':
      return { kind: row.kind, id: row.id, institution: null, department: ref(row.id), teacher: null, program: null };
    case 'PROGRAM':
      return { kind: row.kind, id: row.id, institution: null, department: null, teacher: null, program: ref(row.id) };
    case 'COHORT': {
      const { programId, cohortYear } = cohortOf(row.id);
      return { kind: row.kind, id: programId, institution: null, department: null, teacher: null, program: ref(programId), cohortYear };
    }
    case 'MODULE': {
      const { programId, moduleId } = moduleOf(row.id);
      return { kind: row.kind, id: programId, institution: null, department: null, teacher: null, program: ref(programId), moduleId };
    }
    case 'SPECIALTY':
      // A specialty across the network's hospitals (an allocation run's drill-down, ADR 0043): its name is its id.
      return { kind: row.kind, id: row.id, institution: null, department: null, teacher: null, program: null, specialty: row.id };
    case 'TEACHER': {
      const [departmentId, teacherId] = row.id.split('/');
      return {
        kind: row.kind,
        id: teacherOf(row.id),
        institution: null,
        department: optionalRef(departmentId ?? parentDepartment),
        teacher: ref(teacherId as string),
        program: null,
      };
    }
    default:
      return { kind: 'NETWORK', id: NETWORK_ID, institution: null, department: null, teacher: null, program: null };
  }
}

/** The released figures that differ between two revisions of the same report (a figure hidden in either is not compared). */
export function figureChanges(before: ReportRow, after: ReportRow) {
  const was = new Map(flatten(before).flatMap((r) => r.figures.map((f) => [`${r.key}|${f.metric}|${f.item ?? ''}`, f] as const)));
  return flatten(after).flatMap((r) =>
    r.figures.flatMap((f) => {
      const old = was.get(`${r.key}|${f.metric}|${f.item ?? ''}`);
      if (!old?.released || !f.released || (old.count === f.count && old.mean === f.mean)) return [];
      return [
        {
          rowKey: r.key,
          metric: f.metric,
          item: f.item,
          countBefore: old.count,
          countAfter: f.count,
          meanBefore: old.mean,
          meanAfter: f.mean,
        },
      ];
    }),
  );
}

export const reportResolvers = {
  Query: {
    qualityReport: guarded({ input: reportQuerySchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const metrics = args.metrics ?? REPORT_METRICS;
      const { row: root, source } = await readableReport(ctx, scope, args.period, metrics, args.revision ?? null);
      // What changed since the revision before: released figures on both sides only.
      const before =
        source.revision !== null && source.revision > 0
          ? (await readableReport(ctx, scope, args.period, metrics, source.revision - 1)).row
          : null;
      const revisions = source.latestRevision === null ? [] : await revisionsOf(ctx.dataSource.manager, args.period);
      return {
        scope: scopeView(root),
        period: args.period,
        minimumEvaluators: ctx.settings.minEvaluators,
        source: { ...source, revisions },
        changes: before ? figureChanges(before, root) : [],
        root,
      };
    }),
    /** Checks access now (a link is only handed to who may read the report), then signs a short-lived link. */
    qualityReportExport: guarded({ input: reportArgsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      await readableRow(ctx, await resolveScope(ctx, args.scope), args.period, args.metrics ?? REPORT_METRICS);
      const exp = Math.floor(ctx.now.getTime() / 1000) + ctx.settings.exportTtlSeconds;
      const token = signExport(
        { actor: ctx.actor, scope: args.scope, period: args.period, metrics: args.metrics ?? null, exp },
        ctx.settings.exportSecret,
      );
      return { url: `${ctx.settings.publicUrl}${EXPORT_PATH}?token=${token}`, expiresAt: new Date(exp * 1000) };
    }),
    qualityTrend: guarded({ input: trendArgsSchema, from: 'args' }, async (args, ctx: QualityContext) => {
      const scope = await resolveScope(ctx, args.scope);
      const rows = await Promise.all(args.periods.map((period) => readableRow(ctx, scope, period, [args.metric])));
      return rows.map((row, i) => ({ period: args.periods[i], figure: row.figures.find((f) => f.item === null) ?? row.figures[0] }));
    }),
  },
  QualityReport: {
    rows: (report: { root: ReportRow }, args: unknown) => rowsDownTo(report.root, parseInput(rowsArgsSchema, args).maxDepth ?? null),
    /** Built once per cached row (domain/figure-table.ts), whoever asks next for the same report. */
    figureTable: (report: { root: ReportRow }) => figureTable(report.root),
    /** The same object, as one scalar: serialized by JSON.stringify, with no GraphQL execution per item. */
    packedFigureTable: (report: { root: ReportRow }) => figureTable(report.root),
  },
  QualityPackedFigureTable: packedFigureTableScalar,
  QualityRow: {
    scope: (row: ReportRow) => scopeView(row),
    /**
     * A program's or cohort's learner outcomes per module of the program's latest publication. The
     * row was authorized with its report; the modules are one batched statement for every row.
     */
    modules: async (row: ReportRow, _args: unknown, ctx: QualityContext) => {
      const programId = programOfRow(row);
      if (!programId) return [];
      const program = await ctx.loaders.curriculumProgram.load(programId);
      return moduleOutcomes(row, program?.modules ?? []);
    },
  },
  Program: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    quality: async (p: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period, metrics } = parseInput(reportArgsSchema.pick({ period: true, metrics: true }), args);
      const scope = await resolveScope(ctx, { kind: 'PROGRAM', id: p.id });
      // Another school's program: refused outright (its figures hold none of the caller's students anyway).
      ensure(await mayReadProgram(ctx, p.id), DENIED);
      return readableRow(ctx, scope, period, metrics ?? [...LEARNER_METRICS]);
    },
  },
  Institution: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    quality: async (i: IdArgs, args: unknown, ctx: QualityContext) => {
      const { period, metrics } = parseInput(reportArgsSchema.pick({ period: true, metrics: true }), args);
      const scope = await resolveScope(ctx, { kind: 'INSTITUTION', id: i.id });
      return readableRow(ctx, scope, period, metrics ?? REPORT_METRICS);
    },
  },
};

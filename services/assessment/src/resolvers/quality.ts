import DataLoader from 'dataloader';
import { ensure, isNetworkAdmin, parseInput, ref, type IdArgs } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { type DepartmentQualityView, qualityReport, type QualityCellView, type QualityReportView } from '../data/quality-report';
import { teachingEvaluations, type TeachingEvaluationView } from '../data/teaching-evaluation';
import { canReadQuality, canReadTeachingEvaluation } from '../domain/access-policy';
import { academicYearSchema, isUuid } from '../domain/validation';

const QUALITY_DENIED = "Only quality officers of the hospital or of its partner schools see its evaluations' aggregates";

/** The hospital's report for the year, computed once per request whatever number of fields slice it. */
function report(ctx: AssessmentContext, hospitalId: string, year: string): Promise<QualityReportView> {
  return ctx.loaders.memo(`quality:${hospitalId}:${year}`, () => qualityReport(ctx.dataSource, hospitalId, year, ctx.settings));
}

async function requireQualityReader(ctx: AssessmentContext, hospitalId: string): Promise<void> {
  const partners = isNetworkAdmin(ctx.actor) ? [] : await ctx.loaders.partners.load(hospitalId);
  ensure(canReadQuality(ctx.actor, hospitalId, partners), QUALITY_DENIED);
}

const EMPTY: QualityCellView = { released: true, suppression: null, evaluationCount: 0, evaluatorCount: 0, overallMean: null, items: [] };

/** Teachers' released aggregates, all teachers of a response in one batch. */
function teachingLoader(ctx: AssessmentContext): DataLoader<string, TeachingEvaluationView> {
  const withheld: TeachingEvaluationView = {
    released: false,
    withheldReason: 'TOO_FEW_EVALUATORS',
    minimumEvaluators: ctx.settings.minEvaluators,
    minimumBlocks: ctx.settings.teacherMinBlocks,
    evaluatorCount: null,
    blockCount: null,
    releasedThrough: null,
    items: [],
  };
  return ctx.loaders.memo(
    'teaching-evaluation',
    () =>
      new DataLoader<string, TeachingEvaluationView>(async (ids) => {
        const views = await teachingEvaluations(ctx.dataSource, ids.filter(isUuid), ctx.settings);
        return ids.map((id) => views.get(id) ?? withheld);
      }),
  );
}

export const qualityResolvers = {
  Query: {
    evaluationReport: async (_: unknown, args: { hospitalId: string; academicYear: string }, ctx: AssessmentContext) => {
      const { academicYear } = parseInput(academicYearSchema, { academicYear: args.academicYear });
      ensure(isUuid(args.hospitalId), QUALITY_DENIED);
      await requireQualityReader(ctx, args.hospitalId);
      return report(ctx, args.hospitalId, academicYear);
    },
  },
  Department: {
    evaluationQuality: async (d: IdArgs, args: { academicYear: string }, ctx: AssessmentContext): Promise<DepartmentQualityView> => {
      const { academicYear } = parseInput(academicYearSchema, args);
      const hospitalId = await ctx.loaders.hospitalOfDepartment.load(d.id);
      if (!hospitalId) {
        ensure(isNetworkAdmin(ctx.actor), QUALITY_DENIED);
        return { departmentId: d.id, academicYear, blockIds: [], cells: [], total: EMPTY };
      }
      await requireQualityReader(ctx, hospitalId);
      const full = await report(ctx, hospitalId, academicYear);
      return (
        full.rows.find((r) => r.departmentId === d.id) ?? {
          departmentId: d.id,
          academicYear,
          blockIds: full.blockIds,
          cells: full.blockIds.map(() => EMPTY),
          total: EMPTY,
        }
      );
    },
  },
  StaffMember: {
    teachingEvaluation: async (m: IdArgs, _: unknown, ctx: AssessmentContext) => {
      const staff = await ctx.loaders.knownStaff.load(m.id);
      const partners =
        staff && !isNetworkAdmin(ctx.actor) && ctx.actor.personId !== m.id ? await ctx.loaders.partners.load(staff.institutionId) : [];
      ensure(
        canReadTeachingEvaluation(ctx.actor, m.id, staff, partners),
        "Only the teacher, their institution's and its partners' quality officers see this",
      );
      return teachingLoader(ctx).load(m.id);
    },
  },
  EvaluationReport: {
    hospital: (r: QualityReportView) => ref(r.hospitalId),
    blocks: (r: QualityReportView) => r.blockIds.map(ref),
  },
  DepartmentQuality: {
    department: (r: DepartmentQualityView) => ref(r.departmentId),
    blocks: (r: DepartmentQualityView) => r.blockIds.map(ref),
  },
};

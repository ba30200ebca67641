import {
  type ConnectionArgs,
  encodeCursor,
  ensure,
  hasRole,
  isNetworkAdmin,
  pageRequest,
  parseInput,
  requireRole,
  ref,
  guarded,
} from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { publishAllocationRun } from '../allocation/publish';
import {
  type AllocationRunRow,
  cancelAllocationRun,
  findAllocationRun,
  loadVariations,
  queueAllocationRun,
  type VariationRow,
} from '../allocation/runs';
import { publishAllocationRunSchema, runIdSchema, startAllocationRunSchema } from '../allocation/validation';
import { canPlanSchoolRotations } from '../domain/access-policy';
import { commandOptions } from './placement';

const PLANNERS_ONLY = "Only the school's coordinators and admins may run allocations";
const READ_DENIED = "Only the school's coordinators and admins, and its students (their own assignments), may see this run";

/** A run as one caller may see it: `onlyStudentId` narrows assignments and reasons to that student. */
interface RunView extends AllocationRunRow {
  onlyStudentId: string | null;
  variationsLoaded?: Promise<VariationRow[]>;
}
interface VariationView extends VariationRow {
  onlyStudentId: string | null;
}
type Assignment = VariationRow['assignments'][number];
interface AssignmentView extends Assignment {
  explanation: string | null;
  rotation: string | null;
}

type Reason = { studentIds?: string[]; kind?: string; conflict?: ConflictDetail };
type ConflictDetail = { seats: { departmentId: string; blockId: string; seats: number }[]; minimal: boolean; parts?: ConflictPart[] };
type ConflictPart = { studentIds?: string[]; departmentId?: string; hospitalId?: string; blockId?: string };

/**
 * Reasons as one caller may see them: planners all; a student only those that name them, and
 * in those only themselves (a reason about several students must not reveal the others, e.g.
 * that a classmate was barred from a department).
 */
const visibleReasons = <R extends Reason>(reasons: R[], onlyStudentId: string | null): R[] =>
  onlyStudentId === null
    ? reasons
    : reasons
        .filter((r) => (r.studentIds ?? []).includes(onlyStudentId))
        .map((r) =>
          r.kind === 'CONFLICTING_SET'
            ? // Its words name classmates' requirements: a student reads only that theirs is part of it.
              { ...r, studentIds: [onlyStudentId], message: CONFLICT_FOR_STUDENT, conflict: undefined }
            : { ...r, studentIds: [onlyStudentId] },
        );
const CONFLICT_FOR_STUDENT =
  "Your requirement is part of a set of requirements and seat limits that cannot all be met together; your school's coordinators see the whole set.";

/** Planners see all; the school's students see the run, but only their own assignments. */
function viewOf(ctx: RotationsContext, run: AllocationRunRow): RunView {
  if (canPlanSchoolRotations(ctx.actor, run.schoolId)) return { ...run, onlyStudentId: null };
  ensure(!isNetworkAdmin(ctx.actor) && hasRole(ctx.actor, 'STUDENT') && ctx.actor.institutionId === run.schoolId, READ_DENIED);
  return { ...run, onlyStudentId: ctx.actor.personId };
}

function variationsOf(ctx: RotationsContext, run: RunView): Promise<VariationView[]> {
  run.variationsLoaded ??= loadVariations(ctx.dataSource, run.id);
  return run.variationsLoaded.then((vs) => vs.map((v) => ({ ...v, onlyStudentId: run.onlyStudentId })));
}

const explanationOf = (v: VariationRow, a: Assignment): string | null => {
  const student = v.explanations.find((e) => e.studentId === a.studentId) as
    { text: string; assignments?: { blockId: string; text: string; rank: number }[] } | undefined;
  const forBlock = student?.assignments?.find((x) => x.blockId === a.blockId);
  return forBlock?.text || null;
};

/** The multi-block rotation an assignment belongs to, as the engine named it (ADR 0027); null otherwise. */
const rotationOf = (v: VariationRow, a: Assignment): string | null => {
  const student = v.explanations.find((e) => e.studentId === a.studentId) as
    { assignments?: { blockId: string; rotation?: string }[] } | undefined;
  return student?.assignments?.find((x) => x.blockId === a.blockId)?.rotation ?? null;
};

async function readRun(ctx: RotationsContext, id: string): Promise<RunView | null> {
  const run = await findAllocationRun(ctx.dataSource, id);
  return run ? viewOf(ctx, run) : null;
}

export const allocationResolvers = {
  Query: {
    allocationRun: (_: unknown, args: unknown, ctx: RotationsContext) => readRun(ctx, parseInput(runIdSchema, args).id),
  },
  Mutation: {
    startAllocationRun: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'start allocation runs', input: startAllocationRunSchema },
      async (data, ctx: RotationsContext) => {
        ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), PLANNERS_ONLY);
        const run = await ctx.command((em) => queueAllocationRun(em, data, ctx.actor.personId));
        return viewOf(ctx, run);
      },
    ),
    cancelAllocationRun: async (_: unknown, args: unknown, ctx: RotationsContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'cancel allocation runs');
      const { id } = parseInput(runIdSchema, args);
      const run = await ctx.command((em) =>
        cancelAllocationRun(em, id, (r) => ensure(canPlanSchoolRotations(ctx.actor, r.schoolId), PLANNERS_ONLY)),
      );
      return viewOf(ctx, run);
    },
    publishAllocationRun: async (_: unknown, args: unknown, ctx: RotationsContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'publish allocation runs');
      const data = parseInput(publishAllocationRunSchema, args);
      const { run } = await ctx.command((em) =>
        publishAllocationRun(em, data, {
          ...commandOptions(ctx),
          authorize: (r) => ensure(canPlanSchoolRotations(ctx.actor, r.schoolId), PLANNERS_ONLY),
        }),
      );
      return viewOf(ctx, run);
    },
  },
  AllocationRun: {
    __resolveReference: (r: { id: string }, ctx: RotationsContext) => readRun(ctx, r.id),
    school: (r: RunView) => ref(r.schoolId),
    blocks: async (r: RunView, _: unknown, ctx: RotationsContext) => {
      const blocks = await Promise.all(r.blockIds.map((id) => ctx.loaders.block.load(id)));
      return blocks.filter((b) => b !== null && b !== undefined);
    },
    metrics: async (r: RunView, _: unknown, ctx: RotationsContext) =>
      (await variationsOf(ctx, r)).find((v) => v.mechanism === r.mechanism)?.metrics ?? null,
    variations: (r: RunView, _: unknown, ctx: RotationsContext) => variationsOf(ctx, r),
    infeasibility: (r: RunView) =>
      r.status === 'INFEASIBLE' && r.infeasibility
        ? { ...r.infeasibility, reasons: visibleReasons((r.infeasibility as { reasons: Reason[] }).reasons, r.onlyStudentId) }
        : null,
    supersededBy: (r: RunView, _: unknown, ctx: RotationsContext) => (r.supersededBy ? readRun(ctx, r.supersededBy) : null),
    progressDetail: (r: RunView) =>
      r.progressPhase
        ? {
            phase: r.progressPhase,
            incumbentTotalRank: r.progressDetail?.incumbent ?? null,
            gap: r.progressDetail?.gap ?? null,
            worstRank: r.progressDetail?.worstRank ?? null,
            heartbeatAt: r.heartbeatAt,
          }
        : null,
  },
  AllocationInfeasibility: {
    reasons: (i: { reasons: Reason[] }) => i.reasons,
  },
  AllocationReason: {
    studentIds: (r: { studentIds?: string[] }) => r.studentIds ?? [],
    conflictingSeats: (r: Reason) => r.conflict?.seats ?? null,
    minimal: (r: Reason) => r.conflict?.minimal ?? null,
    // Sets stored before they were refined have no parts: null, like for students.
    conflictingParts: (r: Reason) => r.conflict?.parts ?? null,
    department: (r: { departmentId?: string }) => (r.departmentId ? ref(r.departmentId) : null),
    block: (r: { blockId?: string }, _: unknown, ctx: RotationsContext) => (r.blockId ? ctx.loaders.block.load(r.blockId) : null),
  },
  ConflictingPart: {
    students: (p: ConflictPart) => (p.studentIds ?? []).map(ref),
    department: (p: ConflictPart) => (p.departmentId ? ref(p.departmentId) : null),
    hospital: (p: ConflictPart) => (p.hospitalId ? ref(p.hospitalId) : null),
    block: (p: ConflictPart, _: unknown, ctx: RotationsContext) => (p.blockId ? ctx.loaders.block.load(p.blockId) : null),
  },
  ConflictingSeat: {
    department: (x: { departmentId: string }) => ref(x.departmentId),
    block: (x: { blockId: string }, _: unknown, ctx: RotationsContext) => ctx.loaders.block.load(x.blockId),
  },
  AllocationVariation: {
    reasons: (v: VariationView) => visibleReasons(v.reasons as Reason[], v.onlyStudentId),
    assignments: (v: VariationView, args: ConnectionArgs) => {
      const { limit, afterKey } = pageRequest(args);
      const visible = v.onlyStudentId ? v.assignments.filter((a) => a.studentId === v.onlyStudentId) : v.assignments;
      const start = afterKey === null ? 0 : Number(afterKey) + 1;
      const page = visible.slice(start, start + limit).map((a, i) => ({
        cursor: encodeCursor(String(start + i)),
        node: { ...a, explanation: explanationOf(v, a), rotation: rotationOf(v, a) },
      }));
      return {
        edges: page,
        pageInfo: { hasNextPage: start + limit < visible.length, endCursor: page.at(-1)?.cursor ?? null },
        totalCount: visible.length,
      };
    },
  },
  AllocationMetrics: {
    rankDistribution: (m: { rankDistribution: Record<string, number> }) =>
      Object.entries(m.rankDistribution)
        .map(([rank, count]) => ({ rank: Number(rank), count }))
        .sort((a, b) => a.rank - b.rank),
  },
  SchoolFairness: { school: (s: { schoolId: string }) => ref(s.schoolId) },
  HospitalFill: { hospital: (h: { hospitalId: string }) => ref(h.hospitalId) },
  AllocationAssignment: {
    student: (a: AssignmentView) => ref(a.studentId),
    department: (a: AssignmentView) => ref(a.departmentId),
    hospital: (a: AssignmentView) => ref(a.hospitalId),
    block: (a: AssignmentView, _: unknown, ctx: RotationsContext) => ctx.loaders.block.load(a.blockId),
  },
};

import { ensure, NotFoundError, parseInput, requireRole, type IdArgs, type InputArgs, guarded } from '@medcollab/kit';
import { type CurriculumContext } from '../context';
import { changeTrack, enrollStudent, recordModuleCompletion, withdrawStudent } from '../data/enrollments';
import { canChangeOwnTrack, canManageEnrolments, canRecordResults, CURRICULUM_AUTHORS, ENROLMENT_MANAGERS } from '../domain/access-policy';
import { changeTrackSchema, enrollStudentSchema, recordCompletionSchema, withdrawStudentSchema } from '../domain/validation/enrollments';
import { type Enrollment, type ModuleResult, type Program, type TrackChange } from '../entities';

/** An enrolment's change, in the audit trail (ADR 0008): committed with the change or not at all. */
function recordEnrolment(
  ctx: CurriculumContext,
  e: Enrollment,
  change: string,
  fields: string[],
  reason: string | null = null,
): Enrollment {
  ctx.audit.change('Enrollment', e.id, { studentId: e.studentId, schoolId: e.schoolId, change, fields, reason });
  return e;
}

const MANAGE_DENIED = "Only the school's admins and coordinators (or a network admin) may manage its enrolments";

async function programOfInput(ctx: CurriculumContext, programId: string): Promise<Program> {
  const program = await ctx.loaders.program.load(programId);
  if (!program) throw new NotFoundError('Program (programId)', programId);
  return program;
}

export const enrollmentResolvers = {
  Mutation: {
    enrollStudent: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, ENROLMENT_MANAGERS, 'enrol students');
      const data = parseInput(enrollStudentSchema, input);
      ensure(canManageEnrolments(ctx.actor, (await programOfInput(ctx, data.programId)).schoolId), MANAGE_DENIED);
      return ctx.command(async (em) =>
        recordEnrolment(ctx, await enrollStudent(em, data, ctx.actor.personId, ctx.eventMeta), 'enrollStudent', [
          'program',
          'status',
          'track',
        ]),
      );
    },
    changeTrack: guarded(
      { roles: [...ENROLMENT_MANAGERS, 'STUDENT'], action: 'change tracks', input: changeTrackSchema },
      async (data, ctx: CurriculumContext) => {
        const program = await programOfInput(ctx, data.programId);
        ensure(
          canChangeOwnTrack(ctx.actor, data.studentId, program.schoolId),
          "Only the school's enrolment managers or the student themself may change this track",
        );
        return ctx.command(async (em) =>
          recordEnrolment(ctx, await changeTrack(em, data, ctx.actor.personId, ctx.eventMeta), 'changeTrack', ['track'], data.reason),
        );
      },
    ),
    withdrawStudent: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, ENROLMENT_MANAGERS, 'withdraw students');
      const data = parseInput(withdrawStudentSchema, input);
      ensure(canManageEnrolments(ctx.actor, (await programOfInput(ctx, data.programId)).schoolId), MANAGE_DENIED);
      return ctx.command(async (em) =>
        recordEnrolment(ctx, await withdrawStudent(em, data, ctx.eventMeta), 'withdrawStudent', ['status'], data.reason ?? null),
      );
    },
    recordModuleCompletion: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'record module results');
      const data = parseInput(recordCompletionSchema, input);
      const module = await ctx.loaders.module.load(data.moduleId);
      if (!module) throw new NotFoundError('Module (moduleId)', data.moduleId);
      const program = await ctx.access.programOf(module);
      ensure(canRecordResults(ctx.actor, program.schoolId), "Only the school's admins and teachers may record module results");
      const today = ctx.now.toISOString().slice(0, 10);
      return ctx.command(async (em) => {
        const result = await recordModuleCompletion(em, data, ctx.actor.personId, today, ctx.eventMeta);
        ctx.audit.change('Enrollment', result.enrollmentId, {
          studentId: result.studentId,
          schoolId: program.schoolId,
          change: 'recordModuleCompletion',
          fields: ['results'],
        });
        return result;
      });
    },
  },
  Student: {
    // A stub: the network owns the student; the fields below check the caller per field.
    __resolveReference: (ref: IdArgs) => ({ id: ref.id }),
    enrollments: async (s: IdArgs, _: unknown, ctx: CurriculumContext) => {
      await ctx.access.requireReadStudent(s.id);
      return ctx.loaders.enrollmentsByStudent.load(s.id);
    },
    track: async (s: IdArgs, _: unknown, ctx: CurriculumContext) => {
      await ctx.access.requireReadStudent(s.id);
      const current = (await ctx.loaders.enrollmentsByStudent.load(s.id)).find((e) => e.status === 'ACTIVE' && e.trackId);
      return current?.trackId ? ctx.loaders.track.load(current.trackId) : null;
    },
    moduleResults: async (s: IdArgs, _: unknown, ctx: CurriculumContext) => {
      await ctx.access.requireReadStudent(s.id);
      return ctx.loaders.resultsByStudent.load(s.id);
    },
  },
  Enrollment: {
    __resolveReference: async (ref: IdArgs, ctx: CurriculumContext) => {
      const enrollment = await ctx.loaders.enrollment.load(ref.id);
      if (enrollment) await ctx.access.requireReadStudent(enrollment.studentId);
      return enrollment;
    },
    student: (e: Enrollment) => ({ id: e.studentId }),
    program: (e: Enrollment, _: unknown, ctx: CurriculumContext) => ctx.loaders.program.load(e.programId),
    track: (e: Enrollment, _: unknown, ctx: CurriculumContext) => (e.trackId ? ctx.loaders.track.load(e.trackId) : null),
    trackHistory: (e: Enrollment, _: unknown, ctx: CurriculumContext) => ctx.loaders.trackChangesByEnrollment.load(e.id),
  },
  TrackChange: {
    from: (c: TrackChange, _: unknown, ctx: CurriculumContext) => (c.fromTrackId ? ctx.loaders.track.load(c.fromTrackId) : null),
    to: (c: TrackChange, _: unknown, ctx: CurriculumContext) => ctx.loaders.track.load(c.toTrackId),
    changedById: (c: TrackChange) => c.changedBy,
  },
  ModuleResult: {
    module: (r: ModuleResult, _: unknown, ctx: CurriculumContext) => ctx.loaders.module.load(r.moduleId),
  },
};

import { ensure, NotFoundError, parseInput, optionalRef, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { findPreferenceWindow, openPreferenceWindow, preferenceProgress, submitPreferences } from '../data/preferences';
import { canActForStudent, canPlanSchoolRotations, canReadPreferences } from '../domain/access-policy';
import { windowOpen } from '../domain/preference-rules';
import { academicYearArgs, openPreferenceWindowSchema, submitPreferencesSchema } from '../domain/validation';
import { type PreferenceWindow, type RotationPreference } from '../entities';

const PLANNERS_ONLY = "Only the school's coordinators and admins may do this";

/** A student's preferences, or FORBIDDEN: the student, their school's staff, network admins. */
async function readablePreferencesOf(ctx: RotationsContext, studentId: string): Promise<void> {
  const known = await ctx.loaders.knownStudent.load(studentId);
  // Unknown to rotations: no preferences can exist, the empty answer is no secret.
  ensure(known === null || canReadPreferences(ctx.actor, known), "You may not see this student's preferences");
}

export const preferenceResolvers = {
  Query: {
    preferenceWindow: async (_: unknown, args: { schoolId: string; academicYear: string }, ctx: RotationsContext) => {
      const { schoolId, academicYear } = parseInput(academicYearArgs, args);
      ensure(
        ctx.actor.institutionId === schoolId || canPlanSchoolRotations(ctx.actor, schoolId),
        "Only the school's people may see its preference windows",
      );
      return findPreferenceWindow(ctx.dataSource, schoolId, academicYear);
    },
    preferenceStatus: async (_: unknown, args: { schoolId: string; academicYear: string }, ctx: RotationsContext) => {
      const { schoolId, academicYear } = parseInput(academicYearArgs, args);
      ensure(canPlanSchoolRotations(ctx.actor, schoolId), PLANNERS_ONLY);
      const [window, progress] = await Promise.all([
        findPreferenceWindow(ctx.dataSource, schoolId, academicYear),
        preferenceProgress(ctx.dataSource, schoolId, academicYear),
      ]);
      return { window, submittedCount: progress.submitted, studentsWithoutPreferences: progress.missingStudentIds.map(ref) };
    },
  },
  Mutation: {
    openPreferenceWindow: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'open preference windows', input: openPreferenceWindowSchema },
      (data, ctx: RotationsContext) => {
        ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), PLANNERS_ONLY);
        return ctx.command((em) => openPreferenceWindow(em, data, { now: ctx.now, meta: ctx.eventMeta }));
      },
    ),
    submitPreferences: guarded({ input: submitPreferencesSchema }, async (data, ctx: RotationsContext) => {
      const student = await ctx.loaders.knownStudent.load(data.studentId);
      if (!student) throw new NotFoundError('Student', data.studentId);
      ensure(canActForStudent(ctx.actor, student), "Only the student, or their school's coordinators, may submit their preferences");
      return ctx.command((em) => submitPreferences(em, student, data, ctx.now, ctx.eventMeta));
    }),
  },
  PreferenceWindow: {
    // Other subgraphs (notifications' reminders) reference a window by id: the same rule as the root field.
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      const window = await ctx.loaders.preferenceWindow.load(r.id);
      if (!window) return null;
      ensure(
        ctx.actor.institutionId === window.schoolId || canPlanSchoolRotations(ctx.actor, window.schoolId),
        "Only the school's people may see its preference windows",
      );
      return window;
    },
    school: (w: PreferenceWindow) => ref(w.schoolId),
    isOpen: (w: PreferenceWindow, _: unknown, ctx: RotationsContext) => windowOpen(w, ctx.now),
  },
  RotationPreference: {
    __resolveReference: async (r: IdArgs, ctx: RotationsContext) => {
      const preference = await ctx.loaders.preference.load(r.id);
      if (!preference) return null;
      await readablePreferencesOf(ctx, preference.studentId);
      return preference;
    },
    department: (p: RotationPreference) => optionalRef(p.departmentId),
    block: (p: RotationPreference, _: unknown, ctx: RotationsContext) => (p.blockId ? ctx.loaders.block.load(p.blockId) : null),
  },
  Student: {
    preferences: async (s: IdArgs, { academicYear }: { academicYear?: string | null }, ctx: RotationsContext) => {
      await readablePreferencesOf(ctx, s.id);
      return ctx.loaders.preferencesByStudent(academicYear ?? null).load(s.id);
    },
  },
};

import { ensure, NotFoundError, ref, type IdArgs } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { parseProgressId, type CompetencyProgressView, studentProgress } from '../data/progress';
import { readiness } from '../data/readiness';
import { canReadStudentRecord } from '../domain/access-policy';
import { type CompetencyDomain } from '../domain/model';

import { mentorsOf } from './read';

const DENIED = "You may not see this student's assessment record";

/**
 * FORBIDDEN unless the caller may read the student's record as a whole (not hospitals: only
 * their placements' tasks). Mentor grants are loaded (batched) only when the other rules refuse.
 */
async function requireStudentRecord(ctx: AssessmentContext, studentId: string): Promise<void> {
  const known = await ctx.loaders.knownStudent.load(studentId);
  const student = { id: studentId, schoolId: known?.schoolId ?? null };
  if (canReadStudentRecord(ctx.actor, student)) return;
  ensure(canReadStudentRecord(ctx.actor, student, await mentorsOf(ctx, studentId)), DENIED);
}

/** Computed once per student and request: each `CompetencyProgress` reference of a student slices the same list. */
function progressOfStudent(ctx: AssessmentContext, studentId: string): Promise<CompetencyProgressView[]> {
  return ctx.loaders.memo(`progress:${studentId}`, async () => {
    await requireStudentRecord(ctx, studentId);
    const [observations, competencies] = await Promise.all([ctx.loaders.observationsByStudent.load(studentId), ctx.loaders.competencies()]);
    return studentProgress(studentId, observations, competencies);
  });
}

export const progressResolvers = {
  Student: {
    competencyProgress: async (s: IdArgs, { domain }: { domain?: CompetencyDomain | null }, ctx: AssessmentContext) =>
      (await progressOfStudent(ctx, s.id)).filter((p) => !domain || p.domain === domain),
    readiness: async (s: IdArgs, { postProfileId }: { postProfileId: string }, ctx: AssessmentContext) => {
      await requireStudentRecord(ctx, s.id);
      const profile = await ctx.loaders.knownPostProfile.load(postProfileId);
      if (!profile) throw new NotFoundError('Post profile (published to assessment)', postProfileId);
      const [observations, competencies] = await Promise.all([ctx.loaders.observationsByStudent.load(s.id), ctx.loaders.competencies()]);
      return readiness(s.id, profile, observations, competencies);
    },
  },
  CompetencyProgress: {
    __resolveReference: async (r: IdArgs, ctx: AssessmentContext) => {
      const parsed = parseProgressId(r.id);
      if (!parsed) return null;
      return (await progressOfStudent(ctx, parsed.studentId)).find((p) => p.competencyId === parsed.competencyId) ?? null;
    },
    student: (p: CompetencyProgressView) => ref(p.studentId),
    competency: (p: CompetencyProgressView) => ref(p.competencyId),
  },
};

/** Readiness and its gaps refer to the curriculum's entities. */
export const readinessResolvers = {
  Readiness: {
    student: (r: { studentId: string }) => ref(r.studentId),
    postProfile: (r: { postProfileId: string }) => ref(r.postProfileId),
  },
  CompetencyGap: {
    competency: (g: { competencyId: string }) => ref(g.competencyId),
  },
};

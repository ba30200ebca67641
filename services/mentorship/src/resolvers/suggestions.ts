import { ensure, NotFoundError, parseInput, ref } from '@medcollab/kit';
import { z } from 'zod';
import { type MentorshipContext } from '../context';
import { loadSchoolReach, loadStudentFacts } from '../data/candidates';
import { canSeeSuggestions } from '../domain/access-policy';
import { rankMentors, type Suggestion } from '../domain/matching-score';
import { firstSchema } from '../domain/validation';

const argsSchema = z.object({ studentId: z.uuid('must be a UUID'), first: firstSchema(50, 10) });

export const suggestionResolvers = {
  Query: {
    /** Scores every mentor within the student's reach with the same function matching runs use. */
    mentorSuggestions: async (_: unknown, args: unknown, ctx: MentorshipContext) => {
      const { studentId, first } = parseInput(argsSchema, args);
      const known = await ctx.loaders.knownStudent.load(studentId);
      ensure(
        canSeeSuggestions(ctx.actor, { id: studentId, schoolId: known?.schoolId ?? null }),
        "Only the student and their school's admins and coordinators may see mentor suggestions",
      );
      if (!known) throw new NotFoundError('Student', studentId);
      const em = ctx.dataSource.manager;
      const [[student], { partners, mentors }] = await Promise.all([
        loadStudentFacts(em, [studentId]),
        loadSchoolReach(em, known.schoolId),
      ]);
      const ranked = rankMentors(student!, mentors, partners, first);
      const profiles = await ctx.loaders.profileByStaff.loadMany(ranked.map((s) => s.mentorId));
      return ranked.map((s: Suggestion, i) => ({ mentor: ref(s.mentorId), profile: profiles[i], score: s.score, reasons: s.reasons }));
    },
  },
};

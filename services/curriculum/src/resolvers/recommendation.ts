import { BadUserInputError, NotFoundError, parseInput } from '@medcollab/kit';
import { z } from 'zod';
import { type CurriculumContext } from '../context';
import { recommendTrack } from '../domain/track-recommendation';
import { id } from '../domain/validation/common';

const recommendationArgs = z.object({ studentId: id, programId: id });

export const recommendationResolvers = {
  Query: {
    /** Advice only: nothing is written, the student's track stays as it is. */
    trackRecommendation: async (_: unknown, args: unknown, ctx: CurriculumContext) => {
      const { studentId, programId } = parseInput(recommendationArgs, args);
      await ctx.access.requireReadStudent(studentId);
      const student = await ctx.loaders.knownStudent.load(studentId);
      if (!student) throw new NotFoundError('Student (not registered, or the registration has not reached the curriculum yet)', studentId);
      const program = await ctx.loaders.program.load(programId);
      if (!program) throw new NotFoundError('Program (programId)', programId);
      if (program.schoolId !== student.schoolId)
        throw new BadUserInputError("programId must name a program of the student's school", { field: 'programId' });
      const tracks = await ctx.loaders.tracksByProgram.load(program.id);
      // Curriculum's table has always kept it (NOT NULL); the shared entity allows null for services that did not.
      if (student.priorClinicalYears === null)
        throw new NotFoundError("Student's prior clinical experience (not yet known to the curriculum)", studentId);
      const advice = recommendTrack(student.priorClinicalYears, tracks);
      return {
        student: { id: student.id },
        program,
        kind: advice.kind,
        track: tracks.find((t) => t.id === advice.trackId) ?? null,
        focusAreas: advice.focusAreas,
        mentorship: advice.mentorship,
        reasons: advice.reasons,
        priorClinicalYears: student.priorClinicalYears,
      };
    },
  },
};

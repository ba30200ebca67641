import { type CurriculumContext } from '../context';
import { type Competency } from '../entities';

/**
 * `Competency.addressedBy(programId)`: the modules of a program that address a competency, e.g.
 * for each gap of a student's readiness (assessment returns the gap's competency as a reference;
 * the gateway asks here). Silently empty when the program does not exist or the caller may not
 * read its school's curriculum. Batched per program: one statement for every competency of a
 * response, plus one for the modules.
 */
export const competencyModuleResolvers = {
  Competency: {
    addressedBy: async (c: Competency, { programId }: { programId: string }, ctx: CurriculumContext) => {
      const program = await ctx.loaders.program.load(programId);
      if (!program || !(await ctx.access.canReadSchool(program.schoolId))) return [];
      const moduleIds = await ctx.loaders.modulesAddressing(programId).load(c.id);
      return (await ctx.loaders.module.loadMany(moduleIds)).filter((m) => m && !(m instanceof Error));
    },
  },
};

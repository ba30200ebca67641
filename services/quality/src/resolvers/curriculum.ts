import { ensure, type IdArgs } from '@medcollab/kit';
import { type QualityContext } from '../context';
import { DENIED } from '../data/reports';
import { mayReadProgramCurriculum } from '../domain/access-policy';
import { curriculumFigures, type CurriculumProfile } from '../domain/curriculum-figures';
import { type CurriculumProgram } from '../loaders';

/**
 * Program.curriculumQuality (the latest publication, with its modules for the drill-down
 * program → module) and Program.curriculumHistory (every publication kept, oldest first). Its
 * school's quality office and admins, and network admins; anyone else is refused (a program
 * nobody may read is refused the same, known or not).
 */
async function readable(ctx: QualityContext, programId: string): Promise<CurriculumProgram | null> {
  const program = await ctx.loaders.curriculumProgram.load(programId);
  ensure(mayReadProgramCurriculum(ctx.actor, program?.schoolId ?? null), DENIED);
  return program;
}

/** Profiles are network-wide reference data: read once per request. */
const profilesOf = (ctx: QualityContext): Promise<CurriculumProfile[]> =>
  ctx.loaders.memo(
    'curriculum-profiles',
    async () =>
      (await ctx.dataSource.query(
        `SELECT profile_id::text AS id, title, competency_ids::text[] AS "competencyIds" FROM curriculum_profile ORDER BY title, profile_id`,
      )) as CurriculumProfile[],
  );

export const curriculumResolvers = {
  Program: {
    curriculumQuality: async (p: IdArgs, _args: unknown, ctx: QualityContext) => {
      const program = await readable(ctx, p.id);
      return program ? curriculumFigures(program, await profilesOf(ctx)) : null;
    },
    curriculumHistory: async (p: IdArgs, _args: unknown, ctx: QualityContext) => {
      await readable(ctx, p.id);
      const [versions, profiles] = await Promise.all([ctx.loaders.curriculumVersions.load(p.id), profilesOf(ctx)]);
      return versions.map((v) => curriculumFigures(v, profiles));
    },
  },
};

import { ensure, type IdArgs } from '@medcollab/kit';
import { type QualityContext } from '../context';
import { DENIED } from '../data/reports';
import { mayReadProgramCurriculum } from '../domain/access-policy';
import { curriculumFigures, type CurriculumProfile, type ParentOf } from '../domain/curriculum-figures';
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

/** The competency hierarchy of every framework curriculum published (network-wide): read once per request. */
const hierarchyOf = (ctx: QualityContext): Promise<ParentOf> =>
  ctx.loaders.memo('curriculum-hierarchy', async () => {
    const rows = (await ctx.dataSource.query(
      `SELECT c->>'id' AS id, c->>'parentId' AS parent FROM curriculum_framework, jsonb_array_elements(competencies) c`,
    )) as { id: string; parent: string | null }[];
    return new Map(rows.map((r) => [r.id, r.parent]));
  });

export const curriculumResolvers = {
  Program: {
    curriculumQuality: async (p: IdArgs, _args: unknown, ctx: QualityContext) => {
      const program = await readable(ctx, p.id);
      if (!program) return null;
      const [profiles, parentOf] = await Promise.all([profilesOf(ctx), hierarchyOf(ctx)]);
      return curriculumFigures(program, profiles, parentOf);
    },
    curriculumHistory: async (p: IdArgs, _args: unknown, ctx: QualityContext) => {
      await readable(ctx, p.id);
      const [versions, profiles, parentOf] = await Promise.all([
        ctx.loaders.curriculumVersions.load(p.id),
        profilesOf(ctx),
        hierarchyOf(ctx),
      ]);
      return versions.map((v) => curriculumFigures(v, profiles, parentOf));
    },
  },
};

import { ensure, hasRole, type IdArgs } from '@medcollab/kit';
import { type QualityContext } from '../context';
import { DENIED } from '../data/reports';
import { methodBlend, profileCoverage } from '../domain/curriculum-figures';

/**
 * Program.curriculumQuality: the program's teaching-method blend and post-profile coverage, as
 * curriculum last published it. Its school's quality office and admins, and network admins;
 * anyone else is refused (a program nobody may read is refused the same, known or not).
 */
export const curriculumResolvers = {
  Program: {
    curriculumQuality: async (p: IdArgs, _args: unknown, ctx: QualityContext) => {
      const program = await ctx.loaders.curriculumProgram.load(p.id);
      const admin = hasRole(ctx.actor, 'NETWORK_ADMIN');
      const office = hasRole(ctx.actor, 'QUALITY_OFFICER', 'INSTITUTION_ADMIN') && program?.schoolId === ctx.actor.institutionId;
      ensure(admin || office, DENIED);
      if (!program) return null;
      // Profiles are network-wide reference data: read once per request.
      const profiles = await ctx.loaders.memo(
        'curriculum-profiles',
        async () =>
          (await ctx.dataSource.query(
            `SELECT profile_id::text AS id, title, competency_ids::text[] AS "competencyIds" FROM curriculum_profile ORDER BY title, profile_id`,
          )) as { id: string; title: string; competencyIds: string[] }[],
      );
      const minutes = program.teachingMinutes.reduce((s, m) => s + m.minutes, 0);
      return {
        publishedAt: program.publishedAt,
        teachingHours: Math.round((minutes / 60) * 1000) / 1000,
        methodBlend: methodBlend(program.teachingMinutes),
        profileCoverage: profiles.map((profile) => profileCoverage(program.competencyIds, profile)),
      };
    },
  },
};

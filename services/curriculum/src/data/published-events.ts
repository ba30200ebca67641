import { CompetencyFrameworkPublished, PostProfilePublished, ProgramPublished } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type CompetencyDomain } from '../domain/model';
import { type PostProfile } from '../entities';
import { type EventMeta, outbox } from '../outbox';

/**
 * Reference data other services project: assessment needs competencies' domains and hierarchy
 * (readiness rolls evidence up to the competency a post profile requires) and post profiles'
 * requirements. Appended in the transaction of the change that publishes them.
 */

/** The framework with every competency it has now (a consumer replaces what it knew). */
export async function publishFramework(em: EntityManager, frameworkId: string, meta: EventMeta = {}): Promise<void> {
  const [framework] = (await em.query(`SELECT name, version FROM competency_framework WHERE id = $1`, [frameworkId])) as {
    name: string;
    version: string;
  }[];
  if (!framework) return;
  const competencies = (await em.query(
    `SELECT id, code, domain, parent_id AS "parentId" FROM competency WHERE framework_id = $1 ORDER BY position, id`,
    [frameworkId],
  )) as { id: string; code: string; domain: CompetencyDomain; parentId: string | null }[];
  await outbox.append(
    em,
    CompetencyFrameworkPublished,
    frameworkId,
    { frameworkId, name: framework.name, version: framework.version, competencies },
    meta,
  );
}

export async function publishPostProfile(
  em: EntityManager,
  profile: PostProfile,
  requirements: readonly { competencyId: string; level: number }[],
  meta: EventMeta = {},
): Promise<void> {
  await outbox.append(
    em,
    PostProfilePublished,
    profile.id,
    {
      postProfileId: profile.id,
      title: profile.title,
      scale: { name: profile.scaleName, min: profile.scaleMin, max: profile.scaleMax },
      requirements: requirements.map((r) => ({ competencyId: r.competencyId, level: r.level })),
    },
    meta,
  );
}

/**
 * The program's teaching content as this transaction leaves it: the competencies its objectives
 * address and its scheduled minutes per teaching method, for the program and for each module. Sent by every command that adds an
 * objective or a session, under the program's lock.
 */
export async function publishProgram(em: EntityManager, programId: string, meta: EventMeta = {}): Promise<void> {
  const [program] = (await em.query('SELECT school_id AS "schoolId", title FROM program WHERE id = $1', [programId])) as {
    schoolId: string;
    title: string;
  }[];
  if (!program) return;
  const competencies = (await em.query(
    `SELECT DISTINCT oc.competency_id AS id FROM objective_competency oc
       JOIN learning_objective o ON o.id = oc.objective_id JOIN curriculum_module m ON m.id = o.module_id
      WHERE m.program_id = $1 ORDER BY 1`,
    [programId],
  )) as { id: string }[];
  const minutes = (await em.query(
    `SELECT s.method, SUM(s.duration_minutes)::int AS minutes FROM teaching_session s JOIN curriculum_module m ON m.id = s.module_id
      WHERE m.program_id = $1 GROUP BY s.method ORDER BY s.method`,
    [programId],
  )) as { method: string; minutes: number }[];
  // The same per module: one statement each for the modules, their competencies, their minutes and their disciplines.
  const modules = (await em.query(
    'SELECT id AS "moduleId", title FROM curriculum_module WHERE program_id = $1 ORDER BY year, position, id',
    [programId],
  )) as { moduleId: string; title: string }[];
  const moduleCompetencies = (await em.query(
    `SELECT DISTINCT o.module_id AS "moduleId", oc.competency_id AS id FROM objective_competency oc
       JOIN learning_objective o ON o.id = oc.objective_id JOIN curriculum_module m ON m.id = o.module_id
      WHERE m.program_id = $1 ORDER BY 1, 2`,
    [programId],
  )) as { moduleId: string; id: string }[];
  const moduleMinutes = (await em.query(
    `SELECT s.module_id AS "moduleId", s.method, SUM(s.duration_minutes)::int AS minutes
       FROM teaching_session s JOIN curriculum_module m ON m.id = s.module_id
      WHERE m.program_id = $1 GROUP BY s.module_id, s.method ORDER BY 1, 2`,
    [programId],
  )) as { moduleId: string; method: string; minutes: number }[];
  const moduleDisciplines = (await em.query(
    `SELECT d.module_id AS "moduleId", d.discipline FROM module_discipline d JOIN curriculum_module m ON m.id = d.module_id
      WHERE m.program_id = $1 AND d.hours > 0 ORDER BY 1, d.position`,
    [programId],
  )) as { moduleId: string; discipline: string }[];
  await outbox.append(
    em,
    ProgramPublished,
    programId,
    {
      programId,
      schoolId: program.schoolId,
      title: program.title,
      competencyIds: competencies.map((c) => c.id),
      teachingMinutes: minutes,
      modules: modules.map((m) => ({
        moduleId: m.moduleId,
        title: m.title,
        competencyIds: moduleCompetencies.filter((c) => c.moduleId === m.moduleId).map((c) => c.id),
        teachingMinutes: moduleMinutes.filter((x) => x.moduleId === m.moduleId).map((x) => ({ method: x.method, minutes: x.minutes })),
        disciplines: moduleDisciplines.filter((d) => d.moduleId === m.moduleId).map((d) => d.discipline),
      })),
      publishedAt: new Date().toISOString(),
    },
    meta,
  );
}

import { type DataSource } from 'typeorm';
import { type MapCompetency, type ProgramGraph } from '../domain/curriculum-map';
import {
  type Competency,
  CurriculumModule,
  LearningObjective,
  ModuleDiscipline,
  ModulePrerequisite,
  ObjectiveCompetency,
  type Program,
  SessionObjective,
  TeachingSession,
} from '../entities';

/**
 * Everything of one program the map and the exports need, loaded with a fixed number of
 * statements whatever the program's size (one per table, joined on the program id).
 */
export interface ProgramRecords {
  program: Program;
  modules: CurriculumModule[];
  disciplines: ModuleDiscipline[];
  prerequisites: ModulePrerequisite[];
  objectives: LearningObjective[];
  objectiveCompetencies: ObjectiveCompetency[];
  sessions: TeachingSession[];
  sessionObjectives: SessionObjective[];
}

export async function loadProgramRecords(ds: DataSource, program: Program): Promise<ProgramRecords> {
  const inProgram = (alias: string, moduleColumn: string) =>
    `${alias}.${moduleColumn} IN (SELECT m.id FROM curriculum_module m WHERE m.program_id = :programId)`;
  const params = { programId: program.id };
  const [modules, disciplines, prerequisites, objectives, objectiveCompetencies, sessions, sessionObjectives] = await Promise.all([
    ds.getRepository(CurriculumModule).find({ where: { programId: program.id }, order: { year: 'ASC', position: 'ASC', id: 'ASC' } }),
    ds
      .getRepository(ModuleDiscipline)
      .createQueryBuilder('d')
      .where(inProgram('d', 'module_id'), params)
      .orderBy('d.position', 'ASC')
      .getMany(),
    ds
      .getRepository(ModulePrerequisite)
      .createQueryBuilder('p')
      .where(inProgram('p', 'module_id'), params)
      .orderBy('p.prerequisite_id', 'ASC')
      .getMany(),
    ds
      .getRepository(LearningObjective)
      .createQueryBuilder('o')
      .where(inProgram('o', 'module_id'), params)
      .orderBy('o.position', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany(),
    ds
      .getRepository(ObjectiveCompetency)
      .createQueryBuilder('oc')
      .where(
        'oc.objective_id IN (SELECT o.id FROM learning_objective o JOIN curriculum_module m ON m.id = o.module_id WHERE m.program_id = :programId)',
        params,
      )
      .orderBy('oc.competency_id', 'ASC')
      .getMany(),
    ds
      .getRepository(TeachingSession)
      .createQueryBuilder('s')
      .where(inProgram('s', 'module_id'), params)
      .orderBy('s.position', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany(),
    ds
      .getRepository(SessionObjective)
      .createQueryBuilder('so')
      .where(
        'so.session_id IN (SELECT s.id FROM teaching_session s JOIN curriculum_module m ON m.id = s.module_id WHERE m.program_id = :programId)',
        params,
      )
      .orderBy('so.objective_id', 'ASC')
      .getMany(),
  ]);
  // Modules in program order, so sessions and objectives follow their module.
  const moduleRank = new Map(modules.map((m, i) => [m.id, i]));
  const byModule = <T extends { moduleId: string }>(rows: T[]) =>
    rows.sort((a, b) => (moduleRank.get(a.moduleId) ?? 0) - (moduleRank.get(b.moduleId) ?? 0));
  return {
    program,
    modules,
    disciplines,
    prerequisites,
    objectives: byModule(objectives),
    objectiveCompetencies,
    sessions: byModule(sessions),
    sessionObjectives,
  };
}

/** The competencies given and all their ancestors, in one recursive statement. */
export async function loadCompetenciesWithAncestors(ds: DataSource, ids: readonly string[]): Promise<Competency[]> {
  if (!ids.length) return [];
  return (await ds.query(
    `WITH RECURSIVE up AS (
       SELECT c.* FROM competency c WHERE c.id = ANY($1::uuid[])
       UNION
       SELECT p.* FROM competency p JOIN up ON up.parent_id = p.id
     )
     SELECT id, framework_id AS "frameworkId", parent_id AS "parentId", code, title, description, domain, category, position,
            created_at AS "createdAt"
       FROM up`,
    [ids],
  )) as Competency[];
}

/** The pure map's view of the records. */
export function toProgramGraph(r: ProgramRecords): ProgramGraph {
  const group = <T>(rows: T[], key: (row: T) => string, value: (row: T) => string) => {
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), value(row)]);
    return map;
  };
  const disciplines = new Map<string, ModuleDiscipline[]>();
  for (const d of r.disciplines) disciplines.set(d.moduleId, [...(disciplines.get(d.moduleId) ?? []), d]);
  const prerequisites = group(
    r.prerequisites,
    (p) => p.moduleId,
    (p) => p.prerequisiteId,
  );
  const competencies = group(
    r.objectiveCompetencies,
    (l) => l.objectiveId,
    (l) => l.competencyId,
  );
  const objectives = group(
    r.sessionObjectives,
    (l) => l.sessionId,
    (l) => l.objectiveId,
  );
  return {
    modules: r.modules.map((m) => ({
      id: m.id,
      code: m.code,
      title: m.title,
      disciplines: (disciplines.get(m.id) ?? []).map((d) => ({ discipline: d.discipline, hours: d.hours })),
      prerequisiteIds: prerequisites.get(m.id) ?? [],
    })),
    objectives: r.objectives.map((o) => ({
      id: o.id,
      moduleId: o.moduleId,
      statement: o.statement,
      competencyIds: competencies.get(o.id) ?? [],
    })),
    sessions: r.sessions.map((s) => ({
      id: s.id,
      moduleId: s.moduleId,
      title: s.title,
      method: s.method,
      delivery: s.delivery,
      durationMinutes: s.durationMinutes,
      objectiveIds: objectives.get(s.id) ?? [],
    })),
  };
}

export const toMapCompetency = (c: Competency): MapCompetency => ({
  id: c.id,
  code: c.code,
  frameworkId: c.frameworkId,
  parentId: c.parentId,
});

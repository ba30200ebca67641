import { NotFoundError, parseInput } from '@medcollab/kit';
import { z } from 'zod';
import { type CurriculumContext } from '../context';
import {
  loadCompetenciesWithAncestors,
  loadProgramRecords,
  type ProgramRecords,
  toMapCompetency,
  toProgramGraph,
} from '../data/program-graph';
import { computeCurriculumMap } from '../domain/curriculum-map';
import { id, optionalId } from '../domain/validation/common';
import { type Competency } from '../entities';
import { readProgram } from './program';

const mapArgs = z.object({ programId: id, postProfileId: optionalId });

/** Puts the loaded records into the request's loaders, so the map's nested fields cost no further statements. */
function primeLoaders(ctx: CurriculumContext, r: ProgramRecords, competencies: Competency[]): void {
  const { loaders } = ctx;
  const group = <T>(rows: T[], key: (row: T) => string, ids: string[]) => {
    const map = new Map<string, T[]>(ids.map((i) => [i, []]));
    for (const row of rows) map.get(key(row))?.push(row);
    return map;
  };
  const moduleIds = r.modules.map((m) => m.id);
  loaders.modulesByProgram.prime(r.program.id, r.modules);
  for (const m of r.modules) loaders.module.prime(m.id, m);
  for (const o of r.objectives) loaders.objective.prime(o.id, o);
  for (const s of r.sessions) loaders.session.prime(s.id, s);
  for (const c of competencies) loaders.competency.prime(c.id, c);
  for (const [k, v] of group(r.disciplines, (d) => d.moduleId, moduleIds)) loaders.disciplinesByModule.prime(k, v);
  for (const [k, v] of group(r.prerequisites, (p) => p.moduleId, moduleIds)) loaders.prerequisitesByModule.prime(k, v);
  for (const [k, v] of group(r.objectives, (o) => o.moduleId, moduleIds)) loaders.objectivesByModule.prime(k, v);
  for (const [k, v] of group(r.sessions, (s) => s.moduleId, moduleIds)) loaders.sessionsByModule.prime(k, v);
  for (const [k, v] of group(
    r.objectiveCompetencies,
    (l) => l.objectiveId,
    r.objectives.map((o) => o.id),
  ))
    loaders.competencyLinksByObjective.prime(k, v);
  for (const [k, v] of group(
    r.sessionObjectives,
    (l) => l.sessionId,
    r.sessions.map((s) => s.id),
  ))
    loaders.objectiveLinksBySession.prime(k, v);
}

export const curriculumMapResolvers = {
  Query: {
    /**
     * Loads the program in a fixed number of statements, computes the map in memory (pure
     * domain function) and hands out the loaded rows for the nested fields.
     */
    curriculumMap: async (_: unknown, args: unknown, ctx: CurriculumContext) => {
      const { programId, postProfileId } = parseInput(mapArgs, args);
      const program = await readProgram(ctx, programId);
      if (!program) throw new NotFoundError('Program (programId)', programId);
      const profile = postProfileId ? await ctx.loaders.postProfile.load(postProfileId) : null;
      if (postProfileId && !profile) throw new NotFoundError('Post profile (postProfileId)', postProfileId);
      const [records, requirements] = await Promise.all([
        loadProgramRecords(ctx.dataSource, program),
        profile ? ctx.loaders.requirementsByProfile.load(profile.id) : [],
      ]);
      const wanted = [
        ...new Set([...records.objectiveCompetencies.map((l) => l.competencyId), ...requirements.map((r) => r.competencyId)]),
      ];
      const competencies = await loadCompetenciesWithAncestors(ctx.dataSource, wanted);
      primeLoaders(ctx, records, competencies);

      const map = computeCurriculumMap(
        toProgramGraph(records),
        profile ? requirements : null,
        new Map(competencies.map((c) => [c.id, toMapCompetency(c)])),
      );
      const competency = new Map(competencies.map((c) => [c.id, c]));
      const modules = new Map(records.modules.map((m) => [m.id, m]));
      const objectives = new Map(records.objectives.map((o) => [o.id, o]));
      const sessions = new Map(records.sessions.map((s) => [s.id, s]));
      const pick = <T>(from: Map<string, T>, ids: string[]) => ids.map((i) => from.get(i)).filter((x): x is T => x !== undefined);
      return {
        program,
        postProfile: profile,
        coverage: map.coverage
          .filter((c) => competency.has(c.competencyId))
          .map((c) => ({
            competency: competency.get(c.competencyId),
            requiredLevel: c.requiredLevel,
            modules: pick(modules, c.moduleIds),
            objectives: pick(objectives, c.objectiveIds),
            sessions: pick(sessions, c.sessionIds),
            hours: c.hours,
            methods: c.methods,
          })),
        uncoveredCompetencies: pick(competency, map.uncoveredCompetencyIds),
        integrityIssues: map.integrityIssues,
        blend: {
          byMethod: map.blend.byMethod.map((s) => ({ method: s.key, hours: s.hours, share: s.share })),
          byDelivery: map.blend.byDelivery.map((s) => ({ delivery: s.key, hours: s.hours, share: s.share })),
          totalHours: map.blend.totalHours,
        },
        totalDisciplineHours: map.totalDisciplineHours,
      };
    },
  },
};

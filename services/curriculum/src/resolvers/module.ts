import { ensure, NotFoundError, parseInput, requireRole, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type CurriculumContext } from '../context';
import { addModule, setModulePrerequisites } from '../data/programs';
import { addLearningObjective, addTeachingSession } from '../data/teaching';
import { canChangeCurriculum, CURRICULUM_AUTHORS } from '../domain/access-policy';
import { roundHours } from '../domain/curriculum-map';
import { addModuleSchema, addObjectiveSchema, addSessionSchema, setPrerequisitesSchema } from '../domain/validation/programs';
import { type CurriculumModule, type LearningObjective, type TeachingSession } from '../entities';

import { CHANGE_DENIED, programToChange, readProgram } from './program';

/** The module a write names, after checking the caller may change its school's curriculum. */
async function moduleToChange(ctx: CurriculumContext, moduleId: string): Promise<CurriculumModule> {
  const module = await ctx.loaders.module.load(moduleId);
  if (!module) throw new NotFoundError('Module (moduleId)', moduleId);
  const program = await ctx.access.programOf(module);
  ensure(canChangeCurriculum(ctx.actor, program.schoolId), CHANGE_DENIED);
  return module;
}

/** A module-owned record behind an entity reference: returned only when its program may be read. */
async function readThroughModule<T extends { moduleId: string }>(ctx: CurriculumContext, record: T | null): Promise<T | null> {
  if (!record) return null;
  const module = await ctx.loaders.module.load(record.moduleId);
  if (module) await readProgram(ctx, module.programId);
  return record;
}

const nonNull = <T>(rows: (T | null | Error)[]): T[] => rows.filter((r): r is T => r !== null && !(r instanceof Error));

export const moduleResolvers = {
  Mutation: {
    addModule: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'add modules');
      const data = parseInput(addModuleSchema, input);
      await programToChange(ctx, data.programId);
      return ctx.command((em) => addModule(em, data));
    },
    setModulePrerequisites: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'change module prerequisites');
      const data = parseInput(setPrerequisitesSchema, input);
      await moduleToChange(ctx, data.moduleId);
      return ctx.command((em) => setModulePrerequisites(em, data));
    },
    addLearningObjective: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'add learning objectives');
      const data = parseInput(addObjectiveSchema, input);
      await moduleToChange(ctx, data.moduleId);
      return ctx.command((em) => addLearningObjective(em, data, { meta: ctx.eventMeta }));
    },
    addTeachingSession: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'add teaching sessions');
      const data = parseInput(addSessionSchema, input);
      await moduleToChange(ctx, data.moduleId);
      return ctx.command((em) => addTeachingSession(em, data, { meta: ctx.eventMeta }));
    },
  },
  Module: {
    __resolveReference: async (ref: IdArgs, ctx: CurriculumContext) => {
      const module = await ctx.loaders.module.load(ref.id);
      if (module) await readProgram(ctx, module.programId);
      return module;
    },
    program: (m: CurriculumModule, _: unknown, ctx: CurriculumContext) => ctx.loaders.program.load(m.programId),
    disciplines: (m: CurriculumModule, _: unknown, ctx: CurriculumContext) => ctx.loaders.disciplinesByModule.load(m.id),
    totalHours: async (m: CurriculumModule, _: unknown, ctx: CurriculumContext) =>
      roundHours((await ctx.loaders.disciplinesByModule.load(m.id)).reduce((sum, d) => sum + d.hours, 0)),
    prerequisites: async (m: CurriculumModule, _: unknown, ctx: CurriculumContext) => {
      const links = await ctx.loaders.prerequisitesByModule.load(m.id);
      return nonNull(await ctx.loaders.module.loadMany(links.map((l) => l.prerequisiteId)));
    },
    objectives: (m: CurriculumModule, _: unknown, ctx: CurriculumContext) => ctx.loaders.objectivesByModule.load(m.id),
    sessions: (m: CurriculumModule, _: unknown, ctx: CurriculumContext) => ctx.loaders.sessionsByModule.load(m.id),
  },
  LearningObjective: {
    __resolveReference: async (ref: IdArgs, ctx: CurriculumContext) => readThroughModule(ctx, await ctx.loaders.objective.load(ref.id)),
    module: (o: LearningObjective, _: unknown, ctx: CurriculumContext) => ctx.loaders.module.load(o.moduleId),
    competencies: async (o: LearningObjective, _: unknown, ctx: CurriculumContext) => {
      const links = await ctx.loaders.competencyLinksByObjective.load(o.id);
      return nonNull(await ctx.loaders.competency.loadMany(links.map((l) => l.competencyId)));
    },
  },
  TeachingSession: {
    __resolveReference: async (ref: IdArgs, ctx: CurriculumContext) => readThroughModule(ctx, await ctx.loaders.session.load(ref.id)),
    module: (s: TeachingSession, _: unknown, ctx: CurriculumContext) => ctx.loaders.module.load(s.moduleId),
    objectives: async (s: TeachingSession, _: unknown, ctx: CurriculumContext) => {
      const links = await ctx.loaders.objectiveLinksBySession.load(s.id);
      return nonNull(await ctx.loaders.objective.loadMany(links.map((l) => l.objectiveId)));
    },
  },
};

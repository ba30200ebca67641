import { ensure, NotFoundError, parseInput, requireRole, optionalRef, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type CurriculumContext } from '../context';
import { addCompetency, createFramework, listFrameworks } from '../data/frameworks';
import { canWriteReferenceData, CURRICULUM_AUTHORS } from '../domain/access-policy';
import { addCompetencySchema, createFrameworkSchema } from '../domain/validation/frameworks';
import { type Competency, type CompetencyFramework } from '../entities';
import { referenceOwner, refuseHospitalOwner } from './common';

const WRITE_DENIED = "Only the owning institution's admins and teachers (or a network admin) may change this framework";

/** Frameworks and competencies are network-wide reference data: any signed-in caller reads them. */
export const frameworkResolvers = {
  Query: {
    competencyFrameworks: (_: unknown, __: unknown, ctx: CurriculumContext) => listFrameworks(ctx.dataSource),
    competencyFramework: (_: unknown, { id }: IdArgs, ctx: CurriculumContext) => ctx.loaders.framework.load(id),
  },
  Mutation: {
    createCompetencyFramework: (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'create competency frameworks');
      const data = parseInput(createFrameworkSchema, input);
      const owner = referenceOwner(ctx.actor, data.ownerInstitutionId);
      ensure(canWriteReferenceData(ctx.actor, owner), 'You may only create frameworks for your own institution');
      return ctx.command(async (em) => {
        await refuseHospitalOwner(em, owner);
        return createFramework(em, data, owner, { meta: ctx.eventMeta });
      });
    },
    addCompetency: async (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'add competencies');
      const data = parseInput(addCompetencySchema, input);
      const framework = await ctx.loaders.framework.load(data.frameworkId);
      if (!framework) throw new NotFoundError('Competency framework (frameworkId)', data.frameworkId);
      ensure(canWriteReferenceData(ctx.actor, framework.ownerInstitutionId), WRITE_DENIED);
      return ctx.command((em) => addCompetency(em, data, { meta: ctx.eventMeta }));
    },
  },
  CompetencyFramework: {
    __resolveReference: (ref: IdArgs, ctx: CurriculumContext) => ctx.loaders.framework.load(ref.id),
    owner: (f: CompetencyFramework) => optionalRef(f.ownerInstitutionId),
    competencies: (f: CompetencyFramework, _: unknown, ctx: CurriculumContext) => ctx.loaders.competenciesByFramework.load(f.id),
    roots: async (f: CompetencyFramework, _: unknown, ctx: CurriculumContext) =>
      (await ctx.loaders.competenciesByFramework.load(f.id)).filter((c) => c.parentId === null),
  },
  Competency: {
    __resolveReference: (ref: IdArgs, ctx: CurriculumContext) => ctx.loaders.competency.load(ref.id),
    framework: (c: Competency, _: unknown, ctx: CurriculumContext) => ctx.loaders.framework.load(c.frameworkId),
    parent: (c: Competency, _: unknown, ctx: CurriculumContext) => (c.parentId ? ctx.loaders.competency.load(c.parentId) : null),
    children: (c: Competency, _: unknown, ctx: CurriculumContext) => ctx.loaders.childrenOfCompetency.load(c.id),
  },
};

import { BadUserInputError, ensure, NotFoundError, parseInput, requireRole, type IdArgs, type InputArgs } from '@medcollab/kit';
import { z } from 'zod';
import { type CurriculumContext } from '../context';
import { createFramework } from '../data/frameworks';
import { loadCompetenciesWithAncestors, loadProgramRecords, toProgramGraph } from '../data/program-graph';
import { canWriteReferenceData, CURRICULUM_AUTHORS } from '../domain/access-policy';
import { fromCasePackage, toCasePackage } from '../domain/case';
import { buildCurriculumInventory, inventoryGap, reportingPeriod } from '../domain/curriculum-inventory';
import { roundHours } from '../domain/curriculum-map';
import { id, isoDate, optionalId, optionalText } from '../domain/validation/common';
import { referenceOwner, refuseHospitalOwner } from './common';
import { readProgram } from './program';

/** A CASE package is JSON text; 5 MB holds thousands of competencies. */
const MAX_CASE_BYTES = 5 * 1024 * 1024;

const importSchema = z.object({
  document: z.string().min(2, 'must be a CASE package (JSON text)').max(MAX_CASE_BYTES, 'must be at most 5 MB'),
  ownerInstitutionId: optionalId,
});

const inventoryArgs = z
  .object({
    programId: id,
    institutionName: optionalText(300),
    reportingStartDate: isoDate.nullish().transform((v) => v ?? null),
    reportingEndDate: isoDate.nullish().transform((v) => v ?? null),
  })
  .refine((v) => !v.reportingStartDate || !v.reportingEndDate || v.reportingEndDate >= v.reportingStartDate, {
    path: ['reportingEndDate'],
    message: 'must not be before reportingStartDate',
  });

export const exportResolvers = {
  Query: {
    /** Reference data: any signed-in caller may export a framework. */
    competencyFrameworkCase: async (_: unknown, { id: frameworkId }: IdArgs, ctx: CurriculumContext) => {
      const framework = await ctx.loaders.framework.load(frameworkId);
      if (!framework) return null;
      const competencies = await ctx.loaders.competenciesByFramework.load(framework.id);
      const pkg = toCasePackage({
        id: framework.id,
        name: framework.name,
        version: framework.version,
        description: framework.description,
        ownerId: framework.ownerInstitutionId,
        lastChange: framework.createdAt,
        competencies,
      });
      return JSON.stringify(pkg, null, 2);
    },
    /** The program's curriculum as the AAMC expects it; read like the program. */
    curriculumInventory: async (_: unknown, args: unknown, ctx: CurriculumContext) => {
      const input = parseInput(inventoryArgs, args);
      const program = await readProgram(ctx, input.programId);
      if (!program) throw new NotFoundError('Program (programId)', input.programId);
      const records = await loadProgramRecords(ctx.dataSource, program);
      const graph = toProgramGraph(records);
      const gap = inventoryGap({ program, sessions: graph.sessions, objectives: graph.objectives });
      if (gap) throw new BadUserInputError(gap, { field: 'programId' });
      const competencies = await loadCompetenciesWithAncestors(ctx.dataSource, [
        ...new Set(records.objectiveCompetencies.map((l) => l.competencyId)),
      ]);
      const reportDate = ctx.now.toISOString().slice(0, 10);
      const period = reportingPeriod(records.sessions, reportDate, { start: input.reportingStartDate, end: input.reportingEndDate });
      if (period.end < period.start)
        throw new BadUserInputError('reportingEndDate must not be before reportingStartDate', { field: 'reportingEndDate' });
      const startsAt = new Map(records.sessions.map((s) => [s.id, s.startsAt]));
      const xml = buildCurriculumInventory({
        program,
        institutionName: input.institutionName ?? `Institution ${program.schoolId}`,
        reportDate,
        reportingStartDate: period.start,
        reportingEndDate: period.end,
        modules: graph.modules.map((m, i) => ({
          ...m,
          year: records.modules[i]?.year ?? 1,
          totalHours: roundHours(m.disciplines.reduce((sum, d) => sum + d.hours, 0)),
        })),
        objectives: graph.objectives,
        sessions: graph.sessions.map((s) => ({ ...s, startsAt: startsAt.get(s.id) ?? null })),
        competencies: [...competencies].sort((a, b) => a.frameworkId.localeCompare(b.frameworkId) || a.position - b.position),
      });
      return { fileName: `curriculum-inventory-${program.id}.xml`, contentType: 'application/xml', xml };
    },
  },
  Mutation: {
    importCompetencyFrameworkCase: (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'import competency frameworks');
      const data = parseInput(importSchema, input);
      const owner = referenceOwner(ctx.actor, data.ownerInstitutionId);
      ensure(canWriteReferenceData(ctx.actor, owner), 'You may only import frameworks for your own institution');
      const framework = fromCasePackage(data.document);
      return ctx.command(async (em) => {
        await refuseHospitalOwner(em, owner);
        return createFramework(em, framework, owner, { meta: ctx.eventMeta });
      });
    },
  },
};

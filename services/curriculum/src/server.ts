import { auditSink } from '@medcollab/events';
import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createCurriculumContext, type CurriculumContext } from './context';
import { type CurriculumContext as Ctx } from './context';
import { type Enrollment, entities, type ModuleResult } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The curriculum subgraph: frameworks, post profiles, programs, maps, tracks and enrolments. */
export const curriculumSubgraph: SubgraphModule<CurriculumContext> = {
  name: 'curriculum',
  defaultPort: 4002,
  typeDefs: readSchema(__dirname),
  resolvers,
  entities,
  migrations,
  uniqueRefusals,
  // Who read or changed which student record (ADR 0008): a student's enrolments, their track and results.
  audit: auditSink(),
  audited: {
    Enrollment: (e: Enrollment) => ({ id: e.id, studentId: e.studentId, schoolId: e.schoolId }),
    // A result names no school: its enrolment's (batched, cached per request).
    ModuleResult: async (r: ModuleResult, ctx: Ctx) => {
      const e = await ctx.loaders.enrollment.load(r.enrollmentId);
      return e ? { id: `${r.studentId}/${r.moduleId}`, studentId: r.studentId, schoolId: e.schoolId } : null;
    },
  },
  context: (base) => createCurriculumContext(base),
};

export type { CurriculumContext };

import { auditSink } from '@medcollab/events';
import { uniqueRefusals } from './data/unique-refusals';
import { type SubgraphModule, readSchema } from '@medcollab/kit';
import { createAssessmentContext, type AssessmentContext } from './context';
import { auditedTypes } from './audited';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { assessmentSettings, type AssessmentSettings } from './settings';

const typeDefs = readSchema(__dirname);

/** The assessment subgraph with the given settings (tests lower k, the caps…). */
export function createAssessmentSubgraph(settings?: AssessmentSettings): SubgraphModule<AssessmentContext> {
  return {
    name: 'assessment',
    defaultPort: 4004,
    typeDefs,
    resolvers,
    entities,
    migrations,
    uniqueRefusals,
    // Who read or changed which student record (ADR 0008): AuditRecorded events in this service's outbox.
    audit: auditSink(),
    // Tasks, submissions, progress and readiness: the records of the students they name (src/audited.ts).
    audited: auditedTypes,
    context: (base) => createAssessmentContext(base, settings ?? assessmentSettings()),
  };
}

/** The assessment subgraph: instruments, tasks, submissions, progress, readiness and evaluation aggregates. */
export const assessmentSubgraph = createAssessmentSubgraph();

export type { AssessmentContext };

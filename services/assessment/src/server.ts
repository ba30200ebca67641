import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SubgraphModule } from '@medcollab/kit';
import { parse } from 'graphql';
import { createAssessmentContext, type AssessmentContext } from './context';
import { entities } from './entities';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { assessmentSettings, type AssessmentSettings } from './settings';

const typeDefs = parse(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));

/** The assessment subgraph with the given settings (tests lower k, the caps…). */
export function createAssessmentSubgraph(settings?: AssessmentSettings): SubgraphModule<AssessmentContext> {
  return {
    name: 'assessment',
    defaultPort: 4004,
    typeDefs,
    resolvers,
    entities,
    migrations,
    context: (base, deps) => createAssessmentContext(base, deps, settings ?? assessmentSettings()),
  };
}

/** The assessment subgraph: instruments, tasks, submissions, progress, readiness and evaluation aggregates. */
export const assessmentSubgraph = createAssessmentSubgraph();

export type { AssessmentContext };

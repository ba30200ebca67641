import { createLogger, runSubgraph } from '@medcollab/kit';
import { curriculumSubgraph } from './server';

runSubgraph(curriculumSubgraph, { handleSignals: true }).catch((error: unknown) => {
  const { message } = error as { message?: string };
  createLogger('curriculum').fatal({ err: error }, `curriculum subgraph failed to start: ${message ?? String(error)}`);
  process.exit(1);
});

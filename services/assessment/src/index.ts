import { createLogger, runSubgraph } from '@medcollab/kit';
import { assessmentSubgraph } from './server';

runSubgraph(assessmentSubgraph, { handleSignals: true }).catch((error: unknown) => {
  createLogger('assessment').fatal(
    { err: error },
    `assessment subgraph failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

import { createLogger, runSubgraph } from '@medcollab/kit';
import { rotationsSubgraph } from './server';

runSubgraph(rotationsSubgraph, { handleSignals: true }).catch((error: unknown) => {
  createLogger('rotations').fatal(
    { err: error },
    `rotations subgraph failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});

import { createLogger, runSubgraph } from '@medcollab/kit';
import { networkSubgraph } from './server';
import { describeStartupError } from './startup-error';

runSubgraph(networkSubgraph, { handleSignals: true }).catch((error: unknown) => {
  createLogger('network').fatal({ err: error }, describeStartupError(error));
  process.exit(1);
});

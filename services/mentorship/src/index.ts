import { createLogger, runSubgraph } from '@medcollab/kit';
import { describeStartupError } from '@medcollab/network/src/startup-error';
import { mentorshipSubgraph } from './server';

runSubgraph(mentorshipSubgraph, { handleSignals: true }).catch((error: unknown) => {
  createLogger('mentorship').fatal({ err: error }, describeStartupError(error).replace('network subgraph', 'mentorship subgraph'));
  process.exit(1);
});

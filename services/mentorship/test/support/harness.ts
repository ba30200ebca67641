import { startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { mentorshipSubgraph } from '../../src/server';

export { codes, ok, type GraphQLResponse } from '@medcollab/testing';

/** Starts the mentorship subgraph in-process on a fresh database and a free port. */
export function startMentorship(): Promise<SubgraphHarness> {
  return startSubgraphUnderTest(mentorshipSubgraph);
}

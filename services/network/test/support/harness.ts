import { startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { networkSubgraph } from '../../src/server';

export { codes, ok, TEST_SECRET, type GraphQLError, type GraphQLResponse } from '@medcollab/testing';

export type NetworkHarness = SubgraphHarness;

/** Starts the network subgraph in-process on a fresh database and a free port. */
export function startNetwork(opts: { auditStrict?: boolean } = {}): Promise<NetworkHarness> {
  return startSubgraphUnderTest(networkSubgraph, opts);
}

import { type Consumer, createConsumer } from '@medcollab/events';
import { type GraphQLResponse, startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { rotationsEventHandlers } from '../../src/projections';
import { rotationsSubgraph } from '../../src/server';

export { codes, ok, type GraphQLError, type GraphQLResponse } from '@medcollab/testing';

export interface RotationsHarness extends SubgraphHarness {
  /** Where the subgraph answers, without /graphql (calendar feeds live beside it). */
  baseUrl: string;
  /** The inbox side of rotations: tests feed network events through it, as the worker would. */
  consumer: Consumer;
}

/** Starts the rotations subgraph in-process on a fresh database and a free port. */
export async function startRotations(): Promise<RotationsHarness> {
  const base = await startSubgraphUnderTest(rotationsSubgraph);
  const consumer = createConsumer({ service: 'rotations', dataSource: base.dataSource, handlers: rotationsEventHandlers });
  return { ...base, baseUrl: base.url.replace(/\/graphql$/, ''), consumer };
}

/** `code/reason` of the first error, e.g. `CONFLICT/OVER_CAPACITY` ('none' when there is none). */
export const refusalOf = (response: GraphQLResponse): string => {
  const e = response.errors?.[0]?.extensions;
  return e ? `${e.code}/${(e.reason as string | undefined) ?? '-'}` : 'none';
};

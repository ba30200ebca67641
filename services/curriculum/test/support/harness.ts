import { type GraphQLResponse, startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { curriculumSubgraph } from '../../src/server';

export { codes, ok, TEST_SECRET, type GraphQLError, type GraphQLResponse } from '@medcollab/testing';

export type CurriculumHarness = SubgraphHarness;

/** Starts the curriculum subgraph in-process on a fresh database and a free port. */
export function startCurriculum(): Promise<CurriculumHarness> {
  return startSubgraphUnderTest(curriculumSubgraph);
}

/** The fields named by a BAD_USER_INPUT error: `field`, or the paths of `fields`. */
export function badFields(response: GraphQLResponse): string[] {
  const error = response.errors?.[0];
  expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
  const ext = error?.extensions as { field?: string; fields?: { path: string }[] } | undefined;
  return ext?.field ? [ext.field] : (ext?.fields ?? []).map((f) => f.path);
}

import { type Consumer, createConsumer } from '@medcollab/events';
import { type GraphQLResponse, startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { assessmentEventHandlers } from '../../src/projections';
import { createAssessmentSubgraph } from '../../src/server';
import { type AssessmentSettings } from '../../src/settings';

export { codes, ok, type GraphQLError, type GraphQLResponse } from '@medcollab/testing';

/** Settings of the subgraph-level tests: the defaults, with small caps so the limits are reachable. */
export const TEST_SETTINGS: AssessmentSettings = {
  dueDays: 14,
  declineLimit: 2,
  weeklyCap: 10,
  minEvaluators: 5,
  teacherMinBlocks: 2,
  academicYearStartMonth: 9,
  expiryIntervalMs: 60_000,
};

export interface AssessmentHarness extends SubgraphHarness {
  /** The inbox side of assessment: tests feed other services' events through it, as the worker would. */
  consumer: Consumer;
  settings: AssessmentSettings;
}

/** Starts the assessment subgraph in-process on a fresh database and a free port. */
export async function startAssessment(overrides: Partial<AssessmentSettings> = {}): Promise<AssessmentHarness> {
  const settings = { ...TEST_SETTINGS, ...overrides };
  const base = await startSubgraphUnderTest(createAssessmentSubgraph(settings));
  const consumer = createConsumer({ service: 'assessment', dataSource: base.dataSource, handlers: assessmentEventHandlers(settings) });
  return { ...base, consumer, settings };
}

/** `code/reason` of the first error, e.g. `CONFLICT/DECLINE_LIMIT_REACHED` ('none' when there is none). */
export const refusalOf = (response: GraphQLResponse): string => {
  const e = response.errors?.[0]?.extensions;
  return e ? `${e.code}/${(e.reason as string | undefined) ?? '-'}` : 'none';
};

/** The fields named by a BAD_USER_INPUT error: `field`, or the paths of `fields`. */
export function badFields(response: GraphQLResponse): string[] {
  const error = response.errors?.[0];
  if (error?.extensions?.code !== 'BAD_USER_INPUT')
    throw new Error(`Expected BAD_USER_INPUT, got ${JSON.stringify(response.errors ?? response.data)}`);
  const ext = error.extensions as { field?: string; fields?: { path: string }[] };
  return ext.fields ? ext.fields.map((f) => f.path) : ext.field ? [ext.field] : [];
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { type GraphQLSchema } from 'graphql';
import { DASHBOARD_OPERATIONS, type AnyDashboardOperation } from '@medcollab/operations';
import { enumsWithHiddenValues, singleFetchRoute, type NotSingleFetch, type SingleFetchRoute } from '../src/single-fetch-route';

/**
 * The single-fetch path's decision (ADR 0039) on the committed supergraph, without any subgraph:
 * the gateway plans in process and the route is decided from each plan. Pins which dashboard
 * operations take the path, so a schema change that moves one off it fails here.
 */
const SUPERGRAPH = readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');

let server: ApolloServer;
let last: SingleFetchRoute | NotSingleFetch | undefined;
let apiSchema: GraphQLSchema | undefined;

beforeAll(async () => {
  const gateway = new ApolloGateway({
    supergraphSdl: SUPERGRAPH,
    buildService: () => ({ process: () => Promise.resolve({ data: null }) }),
    experimental_didResolveQueryPlan: ({ queryPlan, operationContext }) => {
      apiSchema = operationContext.schema;
      last = singleFetchRoute(queryPlan, operationContext, enumsWithHiddenValues(SUPERGRAPH, operationContext.schema));
    },
  });
  server = new ApolloServer({ gateway });
  await server.start();
});
afterAll(() => server?.stop());

async function decide(query: string, variables: Record<string, unknown> = {}) {
  last = undefined;
  await server.executeOperation({ query, variables });
  expect(last).toBeDefined();
  return last!;
}

const id = '00000000-0000-4000-8000-000000000001';
const subjects: Record<string, Record<string, unknown>> = {
  blockBoard: { blockId: id, first: 100 },
  portfolio: { studentId: id, postProfileId: id },
  departmentPage: { departmentId: id, academicYear: '2026-2027' },
  taskInbox: { first: 50 },
  qualityReport: { hospitalId: id, academicYear: '2026-2027' },
  institutionsAgreements: { first: 50 },
  studentsPage: { first: 50 },
};

describe('which operations take the single-fetch path', () => {
  it.each(DASHBOARD_OPERATIONS.map((op) => [op.title, op as AnyDashboardOperation] as const))('%s', async (_title, op) => {
    const decision = await decide(op.query, op.variables(subjects[op.key]!));
    if (op.owner) {
      // The operations one subgraph answers: their fetch is the client's own selection.
      expect(decision).toMatchObject({ fetch: { serviceName: op.owner } });
    } else {
      expect(decision).toEqual({ reason: 'the plan is not one fetch' });
    }
  });

  it('keeps mutations on the planned path', async () => {
    const decision = await decide('mutation ($input: ActivateAgreementInput!) { activateAgreement(input: $input) { id status } }', {
      input: { id },
    });
    expect(decision).toEqual({ reason: 'not a query' });
  });

  it('refuses a root __typename, which the gateway answers itself', async () => {
    expect(await decide('{ __typename institutions { id } }')).toEqual({ reason: '__typename or introspection at the root' });
  });

  it("keeps a plan with an entity fetch on the planned path (the student's placements come from rotations)", async () => {
    const decision = await decide('query ($id: ID!) { student(id: $id) { givenName placements { id } } }', { id });
    expect(decision).toEqual({ reason: 'the plan is not one fetch' });
  });

  it('finds no enum with hidden values in the committed supergraph, and finds one when a value is @inaccessible', () => {
    const api = apiSchema!;
    expect([...enumsWithHiddenValues(SUPERGRAPH, api)]).toEqual([]);
    const withHidden = SUPERGRAPH.replace(/enum PlacementStatus[^{]*\{/, (head) => `${head}\n  SECRET @inaccessible`);
    expect(withHidden).not.toBe(SUPERGRAPH);
    expect([...enumsWithHiddenValues(withHidden, api)]).toEqual(['PlacementStatus']);
  });
});

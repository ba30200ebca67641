import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { BLOCK_BOARD, PORTFOLIO } from '@medcollab/operations';

/**
 * How many subgraph calls @apollo/gateway plans for the dashboard operations of issue #16
 * (@medcollab/operations, the documents the bench sends), on the committed supergraph. Each fetch node is one subgraph request per client request (and a
 * signature check, a replay-guard write and an audit row there), so these counts are the
 * gateway's share of the work: a schema change that splits a step into more calls fails here.
 */
const SUPERGRAPH = readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');

interface PlanNode {
  kind: string;
  serviceName?: string;
  node?: PlanNode;
  nodes?: PlanNode[];
  ifClause?: PlanNode;
  elseClause?: PlanNode;
  primary?: { node?: PlanNode };
  deferred?: { node?: PlanNode }[];
}

/** The subgraph of every Fetch node, in plan order. */
function fetches(node: PlanNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'Fetch') return [node.serviceName ?? '?'];
  return [
    ...(node.nodes ?? []).flatMap(fetches),
    ...fetches(node.node),
    ...fetches(node.ifClause),
    ...fetches(node.elseClause),
    ...fetches(node.primary?.node),
    ...(node.deferred ?? []).flatMap((d) => fetches(d.node)),
  ];
}

let server: ApolloServer;
let lastPlan: PlanNode | undefined;

beforeAll(async () => {
  const gateway = new ApolloGateway({
    supergraphSdl: SUPERGRAPH,
    // No subgraph is reached: the plan is what is tested, so every fetch answers nothing.
    buildService: () => ({ process: () => Promise.resolve({ data: null }) }),
    experimental_didResolveQueryPlan: ({ queryPlan }) => {
      lastPlan = queryPlan.node as PlanNode | undefined;
    },
  });
  server = new ApolloServer({ gateway });
  await server.start();
});
afterAll(() => server?.stop());

async function planFor(query: string, variables: Record<string, unknown>): Promise<string[]> {
  lastPlan = undefined;
  await server.executeOperation({ query, variables });
  expect(lastPlan).toBeDefined();
  return fetches(lastPlan);
}

const id = '00000000-0000-4000-8000-000000000001';

describe('query plans of the dashboard operations', () => {
  it("plans the block board as one rotations call and one network call for the placements' people and places", async () => {
    // Before ADR 0024: rotations, then network three times (Student, Department, Institution).
    expect(await planFor(BLOCK_BOARD.query, BLOCK_BOARD.variables({ blockId: id, first: 100 }))).toEqual(['rotations', 'network']);
  });

  it("plans the student portfolio's placements with one network call for their departments and hospitals", async () => {
    // Before ADR 0024: seven, the placements' departments and hospitals in two network calls.
    expect(await planFor(PORTFOLIO.query, PORTFOLIO.variables({ studentId: id, postProfileId: id }))).toEqual([
      'network', // the student
      'mentorship',
      'network', // the mentors
      'assessment',
      'rotations',
      'network', // the placements' departments and hospitals
    ]);
  });
});

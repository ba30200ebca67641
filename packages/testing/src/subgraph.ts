import { type Actor, type RequestContext, runSubgraph, signActorHeaders, type SubgraphModule } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createTestDatabase } from './database';
import { testServices } from './services';
import { SqlCounter } from './sql-counter';

/** The gateway's signing secret as far as subgraph-level tests are concerned. */
export const TEST_SECRET = 'subgraph-test-signing-secret-0123456789';

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}
// Response data is whatever the query asked for; each test reads the fields it selected.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: GraphQLError[];
}

export interface SubgraphHarness {
  url: string;
  dataSource: DataSource;
  /** Counts the SQL statements the subgraph sends (reset it before the operation you measure). */
  counter: SqlCounter;
  /** Calls /graphql as `actor`, with headers signed like the gateway signs them. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call<T = any>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Posts without any gateway signature (or with the given headers); returns the raw response. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

let requestCounter = 0;

/**
 * Starts a subgraph in this process on a fresh database (cloned from its migrated template)
 * and a free port: the subgraph-level counterpart of startSupergraph.
 */
export async function startSubgraphUnderTest<C extends RequestContext>(
  mod: SubgraphModule<C>,
  opts: { auditStrict?: boolean } = {},
): Promise<SubgraphHarness> {
  const db = await createTestDatabase(mod.name, { entities: mod.entities, migrations: mod.migrations });
  const counter = new SqlCounter();
  const running = await runSubgraph(mod, {
    databaseUrl: db.url,
    redisUrl: testServices().redisUrl,
    port: 0,
    secret: TEST_SECRET,
    ormLogger: counter,
    auditStrict: opts.auditStrict ?? false,
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return {
    url: running.url,
    dataSource: running.dataSource,
    counter,
    post,
    async call(actor, query, variables) {
      const body = JSON.stringify({ query, variables });
      const headers = signActorHeaders(actor, { secret: TEST_SECRET, requestId: `test-${++requestCounter}`, body });
      const response = await fetch(running.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return (await response.json()) as GraphQLResponse;
    },
    async stop() {
      await running.stop();
      await db.drop();
    },
  };
}

/** The error codes of a response, in order. */
export const codes = (response: GraphQLResponse): (string | undefined)[] => (response.errors ?? []).map((e) => e.extensions?.code);

/** Returns `data`, failing the test with the server's errors if there were any. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

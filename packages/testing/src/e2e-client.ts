import { type DataSource } from 'typeorm';
import { type RunningSupergraph } from './supergraph';

/**
 * What nearly every end-to-end test needs: operations through the gateway as one of the test's
 * named callers, and row counts in a service's database. Names, not tokens, in the tests: the
 * token map is filled in `beforeAll`, once the test knows its people.
 */
export interface E2eClient {
  /** The gateway's answer (its JSON body: `data` and/or `errors`) to `query` sent with `who`'s token. */
  // Response bodies are whatever the query selected; each test reads the fields it asked for.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  gql(who: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** The answer's `data`; fails the test naming `who` and the errors when there are any. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data(who: string, query: string, variables?: Record<string, unknown>): Promise<any>;
}

/**
 * A client of the gateway the test starts later: `supergraph` is read at each call (it is
 * started in `beforeAll`), `tokens` maps the test's names for its callers to their tokens (a
 * name without a token sends no Authorization header).
 */
export function e2eClient(supergraph: () => RunningSupergraph, tokens: Record<string, string>): E2eClient {
  const gql: E2eClient['gql'] = async (who, query, variables = {}) =>
    (await supergraph().request(query, { token: tokens[who], variables })).body;
  return {
    gql,
    async data(who, query, variables = {}) {
      const body = await gql(who, query, variables);
      if (body.errors) throw new Error(`${who}: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
  };
}

/** The `n` of a query such as `SELECT count(*)::int AS n FROM …` (the first row's). */
export async function countRows(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  return ((await dataSource.query(sql, params)) as { n: number }[])[0]!.n;
}

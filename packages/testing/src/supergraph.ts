import { readFileSync } from 'node:fs';
import { type GraphQLFormattedError } from 'graphql';
import { DEV_INTERNAL_SECRET, DEV_JWT_SECRET, type Logger } from '@medcollab/kit';
// Types only at the top: the gateway (with @apollo/gateway and composition) is loaded by
// startSupergraph, so the many subgraph-level test files that import this package do not pay
// for it (about a quarter of their module loading, which Jest repeats for every file).
import type { GatewayConfig, Gateway } from '@medcollab/gateway';
import { composeCached } from './composition-cache';

export interface SupergraphSubgraph {
  name: string;
  /** Where the running subgraph answers, e.g. `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** Its SDL; default services/<name>/schema.graphql. */
  sdl?: string;
}

export interface StartSupergraphOptions {
  subgraphs: SupergraphSubgraph[];
  /** INTERNAL_SIGNING_SECRET shared with the subgraphs; default the development one. */
  secret?: string;
  /** JWT_SECRET the gateway verifies tokens with; default the development one (what `tokenFor` signs with). */
  jwtSecret?: string;
  /** Any other gateway setting (limits, NODE_ENV, JWKS_URL…). */
  gatewayConfig?: Partial<GatewayConfig>;
  log?: Logger;
}

export interface GraphQLResponseBody<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

export interface SupergraphResponse<TData> {
  status: number;
  body: GraphQLResponseBody<TData>;
  headers: Headers;
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export interface RunningSupergraph {
  /** The gateway's /graphql URL. */
  url: string;
  gateway: Gateway;
  supergraphSdl: string;
  /** One GraphQL operation through the gateway, as a client sends it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<TData = any>(query: string, opts?: RequestOptions): Promise<SupergraphResponse<TData>>;
  /** Any JSON body (e.g. a batch) to the gateway, with the same headers as `request`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  post<TData = any>(body: unknown, opts?: Omit<RequestOptions, 'variables' | 'operationName'>): Promise<SupergraphResponse<TData>>;
  /** Stops the gateway (the subgraphs belong to the caller). */
  stop(): Promise<void>;
}

/**
 * Subgraphs whose SDL another one cannot be composed without: network resolves a placement's
 * student, department and hospital from ids it `@requires` of rotations' Placement (ADR 0024).
 */
const COMPOSE_DEPENDENCIES: Record<string, readonly string[]> = { network: ['rotations'] };
/** Where a subgraph that is composed but not started points: the discard port, refused at once. */
const NOT_STARTED_URL = 'http://127.0.0.1:9/graphql';

/**
 * The SDL of the dependencies a test did not start, composed with an unreachable URL: a subset
 * of the subgraphs composes as the whole does in production, and the plans of the started ones'
 * fields do not change (the dependency's own fields are the only ones it adds).
 */
function composeOnly(started: readonly string[], schemaPath: (name: string) => string): { name: string; url: string; sdl: string }[] {
  const missing = new Set(started.flatMap((name) => COMPOSE_DEPENDENCIES[name] ?? []).filter((name) => !started.includes(name)));
  return [...missing].map((name) => ({ name, url: NOT_STARTED_URL, sdl: readFileSync(schemaPath(name), 'utf8') }));
}

/**
 * The supergraph in this process: composes the given subgraphs' SDL with the URLs they
 * listen on (port 0 servers; once per run for each set of SDLs, see composeCached), and starts the real gateway on a free port in front of them.
 * Model: apollographql/federation gateway-js testUtils.
 */
export async function startSupergraph(opts: StartSupergraphOptions): Promise<RunningSupergraph> {
  const { composeSupergraph, createGateway, schemaPath } = await import('@medcollab/gateway');
  const running = opts.subgraphs.map(({ name, url, sdl }) => ({ name, url, sdl: sdl ?? readFileSync(schemaPath(name), 'utf8') }));
  const names = running.map((s) => s.name);
  const sources = [...running, ...composeOnly(names, schemaPath)];
  const composed = composeCached(sources, composeSupergraph);
  if (!composed.ok) throw new Error(`The test supergraph does not compose:\n${composed.errors.map((e) => `  - ${e}`).join('\n')}`);

  const gateway = await createGateway({
    supergraphSdl: composed.supergraphSdl,
    // Explicit URLs win over SUBGRAPH_<NAME>_URL, so a developer's shell cannot redirect tests.
    subgraphUrls: Object.fromEntries(sources.map((s) => [s.name, s.url])),
    config: {
      INTERNAL_SIGNING_SECRET: opts.secret ?? DEV_INTERNAL_SECRET,
      JWT_SECRET: opts.jwtSecret ?? DEV_JWT_SECRET,
      // Tests assert behaviour, not speed: on a loaded CI machine a publish or a large page may
      // need longer than production's 15 s (the timeout's own tests set theirs).
      REQUEST_TIMEOUT_MS: 90_000,
      ...opts.gatewayConfig,
    },
    log: opts.log,
  });
  const port = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;

  const post = async <TData>(body: unknown, ro: RequestOptions = {}): Promise<SupergraphResponse<TData>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...ro.headers };
    if (ro.token) headers.authorization = `Bearer ${ro.token}`;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    let parsed: GraphQLResponseBody<TData>;
    try {
      parsed = JSON.parse(text) as GraphQLResponseBody<TData>;
    } catch {
      throw new Error(`The gateway answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    url,
    gateway,
    supergraphSdl: composed.supergraphSdl,
    request: (query, ro = {}) => post({ query, variables: ro.variables, operationName: ro.operationName }, ro),
    post: (body, ro) => post(body, ro),
    stop: () => gateway.stop(),
  };
}

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ACTOR_HEADER, encodeActor, OPERATION_HEADER, REQUEST_ID_HEADER, signEncodedActor, type Logger } from '@medcollab/kit';
import { type GatewayContext } from './context';
import { type FetchOutcome } from './metrics';
import { rawDataOf } from './raw-answer';
import { postToSubgraph } from './subgraph-http';
import { GatewayTimeoutError, isAbortError } from './timeout';

/**
 * Carries the operation's deadline to the fetcher (which sees headers but not the context);
 * subgraphs may read it too, to give up on work nobody waits for any more.
 */
export const DEADLINE_HEADER = 'x-medcollab-deadline';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type CachePolicy = Extract<
  GraphQLDataSourceProcessOptions<GatewayContext>,
  { incomingRequestContext: unknown }
>['incomingRequestContext']['overallCachePolicy'];
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/**
 * A fetch whose caller hands the subgraph's `data` on unchanged (the single-fetch path): its
 * answer may come back as the subgraph's bytes (a RawData, ./raw-answer) instead of parsed.
 */
export type RawDataProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext> & { acceptRawData?: boolean };

export interface SignedDataSourceOptions {
  name: string;
  url: string;
  secret: string;
  timeoutMs: number;
  log: Logger;
  /** Told the duration and outcome of every fetch (the gateway's /metrics). */
  observeFetch?: (subgraph: string, outcome: FetchOutcome, seconds: number) => void;
}

/**
 * Signs the request with its final body (only the fetcher sees the bytes that are sent), then
 * sends it over a kept-alive node:http socket (./subgraph-http) with whatever is left of the
 * operation's time budget. `willSendRequest` has put the actor, request id and operation name in the headers.
 */
function signingFetcher(secret: string, timeoutMs: number): Fetcher {
  return async (url, init) => {
    const headers = { ...((init?.headers ?? {}) as Record<string, string>) };
    const remaining = Number(headers[DEADLINE_HEADER]) - Date.now();
    if (!(remaining > 0)) throw new GatewayTimeoutError(timeoutMs);
    const actorB64 = headers[ACTOR_HEADER];
    if (!actorB64) throw new Error('refusing to call a subgraph without an authenticated actor');
    Object.assign(
      headers,
      signEncodedActor(actorB64, {
        secret,
        requestId: headers[REQUEST_ID_HEADER] ?? '',
        operationName: headers[OPERATION_HEADER],
        body: typeof init?.body === 'string' ? init.body : '',
      }),
    );
    try {
      const body = typeof init?.body === 'string' ? init.body : '';
      const response = await postToSubgraph(url, { method: init?.method, headers, body, timeoutMs: remaining });
      return response as unknown as FetcherResponse;
    } catch (error) {
      throw isAbortError(error) ? new GatewayTimeoutError(timeoutMs) : error;
    }
  };
}

/**
 * Forwards an operation to one subgraph with the caller signed into the headers, bound to
 * the body and a nonce (ADR 0002), within the operation's deadline.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly opts: SignedDataSourceOptions;

  constructor(opts: SignedDataSourceOptions) {
    super({ url: opts.url });
    this.opts = opts;
    this.fetcher = signingFetcher(opts.secret, opts.timeoutMs);
  }

  /** Times every fetch, from the request to its parsed answer, for the fetch histogram. */
  override async process(options: RawDataProcessOptions): Promise<GatewayGraphQLResponse> {
    const observe = this.opts.observeFetch;
    if (!observe) return this.send(options);
    const started = performance.now();
    let outcome: FetchOutcome = 'ok';
    try {
      const response = await this.send(options);
      if (response.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_HTTP_ERROR')) outcome = 'http_error';
      return response;
    } catch (error) {
      outcome =
        error instanceof GatewayTimeoutError
          ? 'timeout'
          : (error as GraphQLError).extensions?.code === 'SUBGRAPH_HTTP_ERROR'
            ? 'http_error'
            : 'error';
      throw error;
    } finally {
      observe(this.opts.name, outcome, (performance.now() - started) / 1000);
    }
  }

  /**
   * What RemoteGraphQLDataSource's `process` does for a fetch (no APQ, which we never turn on),
   * without the node-fetch `Headers` and `Request` it builds for every fetch only to hand them to
   * hooks we do not use: in a CPU profile of the student portfolio through the gateway, node-fetch
   * was about 5 % of the gateway's busy time (bench/README.md, issue 16 session 6).
   */
  private async send(options: RawDataProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as GatewayContext | undefined;
    // Static supergraph: every fetch belongs to a client operation, so there is always an actor.
    if (!context?.actor) throw new Error(`refusing to call subgraph ${this.opts.name} without an authenticated actor`);
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    for (const [name, value] of request.http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    // Signed in the fetcher, together with the exact body (ADR 0002).
    headers[ACTOR_HEADER] = encodeActor(context.actor);
    headers[REQUEST_ID_HEADER] = context.requestId;
    headers[OPERATION_HEADER] = request.operationName ?? '';
    headers[DEADLINE_HEADER] = String(context.deadline);
    const { http: _http, query, ...rest } = request;
    const body = JSON.stringify({ query, ...rest });

    const response = await this.fetcher(this.url, { method: 'POST', headers, body });
    if (!response.ok) throw await this.errorFromResponse(response);
    const raw = options.acceptRawData && isJson(response.headers.get('content-type')) ? rawDataOf(await response.text()) : undefined;
    const parsed = raw ? { data: raw } : await this.parseBody(response, undefined, context);
    if (typeof parsed !== 'object' || parsed === null) {
      throw new Error(`Expected JSON response body, but received: ${String(parsed)}`);
    }
    if ('incomingRequestContext' in options)
      restrictCachePolicy(options.incomingRequestContext.overallCachePolicy, response.headers.get('cache-control'));
    return { ...(parsed as GatewayGraphQLResponse), http: response } as GatewayGraphQLResponse;
  }

  /** The body can still be streaming when the deadline passes. */
  override async parseBody(...args: Parameters<RemoteGraphQLDataSource<GatewayContext>['parseBody']>): Promise<object | string> {
    try {
      return await super.parseBody(...args);
    } catch (error) {
      throw isAbortError(error) ? new GatewayTimeoutError(this.opts.timeoutMs) : error;
    }
  }

  /**
   * A non-2xx answer from a subgraph is our fault (e.g. a signing-secret mismatch gives 401),
   * never the caller's: log it in full, and hand the client nothing it could act on or learn from.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await response.text().catch(() => '');
    this.opts.log.error(
      { subgraph: this.opts.name, status: response.status, body: body.slice(0, 2_000) },
      'subgraph answered with an HTTP error',
    );
    return new GraphQLError(`Subgraph ${this.opts.name} answered HTTP ${response.status}`, { extensions: { code: 'SUBGRAPH_HTTP_ERROR' } });
  }
}

/** The content types RemoteGraphQLDataSource's parseBody reads as JSON. */
const isJson = (contentType: string | null) =>
  !!contentType && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json'));

/**
 * As RemoteGraphQLDataSource (honorSubgraphCacheControlHeader, its default): the operation's
 * cache policy may be no looser than each subgraph's Cache-Control. Subgraphs turn cache
 * control off (the kit), so in practice this restricts to max-age 0.
 */
function restrictCachePolicy(policy: CachePolicy | undefined, header: string | null): void {
  if (!policy || !('restrict' in policy)) return;
  const maxAge = /(?:^|,)\s*max-age=(\d+)\s*(?:,|$)/i.exec(header ?? '')?.[1];
  const scope = /(?:^|,)\s*private\s*(?:,|$)/i.test(header ?? '')
    ? 'PRIVATE'
    : /(?:^|,)\s*public\s*(?:,|$)/i.test(header ?? '')
      ? 'PUBLIC'
      : undefined;
  policy.restrict({ maxAge: maxAge === undefined ? 0 : Number(maxAge), ...(scope ? { scope } : {}) });
}

import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ACTOR_HEADER, encodeActor, OPERATION_HEADER, REQUEST_ID_HEADER, signEncodedActor, type Logger } from '@medcollab/kit';
import { type GatewayContext } from './context';
import { type FetchOutcome } from './metrics';
import { postToSubgraph } from './subgraph-http';
import { GatewayTimeoutError, isAbortError } from './timeout';

/**
 * Carries the operation's deadline to the fetcher (which sees headers but not the context);
 * subgraphs may read it too, to give up on work nobody waits for any more.
 */
export const DEADLINE_HEADER = 'x-medcollab-deadline';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

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

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Static supergraph: every fetch belongs to a client operation, so there is always an actor.
    if (!context?.actor) throw new Error(`refusing to call subgraph ${this.opts.name} without an authenticated actor`);
    const headers = request.http!.headers;
    // Signed in the fetcher, together with the exact body (ADR 0002).
    headers.set(ACTOR_HEADER, encodeActor(context.actor));
    headers.set(REQUEST_ID_HEADER, context.requestId);
    headers.set(OPERATION_HEADER, request.operationName ?? '');
    headers.set(DEADLINE_HEADER, String(context.deadline));
  }

  /** Times every fetch, from the request to its parsed answer, for the fetch histogram. */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const observe = this.opts.observeFetch;
    if (!observe) return super.process(options);
    const started = performance.now();
    let outcome: FetchOutcome = 'ok';
    try {
      const response = await super.process(options);
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

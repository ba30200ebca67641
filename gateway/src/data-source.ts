import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { signActorHeaders, type Logger } from '@medcollab/kit';
import { type GatewayContext } from './context';
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
}

/** Node's fetch with an AbortSignal for whatever is left of the operation's time budget. */
function deadlineFetcher(timeoutMs: number): Fetcher {
  return async (url, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const remaining = Number(headers[DEADLINE_HEADER]) - Date.now();
    if (!(remaining > 0)) throw new GatewayTimeoutError(timeoutMs);
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(remaining) } as RequestInit);
      return response as unknown as FetcherResponse;
    } catch (error) {
      throw isAbortError(error) ? new GatewayTimeoutError(timeoutMs) : error;
    }
  };
}

/**
 * Forwards an operation to one subgraph with the caller signed into the headers
 * (ADR 0002), within the operation's deadline.
 */
export class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly opts: SignedDataSourceOptions;

  constructor(opts: SignedDataSourceOptions) {
    super({ url: opts.url });
    this.opts = opts;
    this.fetcher = deadlineFetcher(opts.timeoutMs);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Static supergraph: every fetch belongs to a client operation, so there is always an actor.
    if (!context?.actor) throw new Error(`refusing to call subgraph ${this.opts.name} without an authenticated actor`);
    const headers = request.http!.headers;
    for (const [name, value] of Object.entries(
      signActorHeaders(context.actor, { secret: this.opts.secret, requestId: context.requestId }),
    )) {
      headers.set(name, value);
    }
    headers.set(DEADLINE_HEADER, String(context.deadline));
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

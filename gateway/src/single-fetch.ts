import {
  type ApolloGateway,
  type Experimental_DidResolveQueryPlanCallback,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { RawData } from './raw-answer';
import { enumsWithHiddenValues, singleFetchRoute, type NotSingleFetch, type SingleFetchRoute } from './single-fetch-route';

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/** GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported from the package root). */
const INCOMING_OPERATION = 'incoming operation' as Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>['kind'];

/** A route with the data source it calls, or why the operation keeps the gateway's normal path. */
export type Route = SingleFetchRoute & { dataSource: GraphQLDataSource };
type Entry = Route | NotSingleFetch;

export interface SingleFetchOptions {
  /** The composed supergraph (to find enums with values hidden from the API schema). */
  supergraphSdl: string;
  /** Documents remembered (least recently used forgotten first). Default 2,000. */
  maxEntries?: number;
  /**
   * Hand a subgraph answer that is nothing but data on as its bytes, unparsed (ADR 0059;
   * SINGLE_FETCH_RAW_DATA). Default true.
   */
  rawData?: boolean;
  /** Told of every operation this path served through Apollo Server (the operation fast path learns from it). */
  onServed?: (requestContext: RequestContext, route: Route) => void;
}

/** What one fetch of a route gave: the data source's answer, or what it threw. */
export type Fetched = { response: Awaited<ReturnType<GraphQLDataSource['process']>> } | { thrown: unknown };

/**
 * A fetch already made for a request (by the operation fast path) whose answer still needs
 * Apollo Server's shaping: errors to mask and count, cache hints the data source gave.
 */
export interface Prefetched {
  fetched: Fetched;
  cacheHints: readonly CacheHint[];
}
/** A cache hint as the data source gives it (Apollo Server's CacheHint). */
export interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

export interface SingleFetchPath {
  /** For ApolloGateway's `experimental_didResolveQueryPlan`: learns each operation's route from its plan. */
  didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback;
  /** Wraps the gateway's executor: operations with a route skip its plan execution and result shaping. */
  wrap(executor: Executor): Executor;
  /** How many operations each path served, and how many answers went on as bytes (tests and the bench read it). */
  readonly served: { singleFetch: number; planned: number; rawData: number };
  /** The decision for one operation once it has been planned: `single-fetch`, or why not (undefined before). */
  decision(queryHash: string, operationName: string | undefined | null): string | undefined;
  /** Hands the next operation run with this context a fetch already made, instead of fetching again. */
  prefetch(context: object, prefetched: Prefetched): void;
}

/**
 * Where a prefetched fetch waits on the request's context: a property, not a WeakMap keyed by the
 * context, since Apollo Server hands the executor a shallow copy of the context (which keeps it).
 */
const PREFETCHED = Symbol('prefetched single fetch');

const key = (queryHash: string, operationName: string | undefined | null) => `${queryHash}\u0000${operationName ?? '\u0001'}`;

/**
 * The single-fetch path (ADR 0039). @apollo/gateway spends as much CPU on a read that one
 * subgraph answers alone as the subgraph itself: for every request it builds an `Operation` of the
 * whole document (`operationFromDocument`), walks the plan and re-shapes the subgraph's answer
 * field by field (`computeResponse`). When the plan is one fetch whose selection is exactly the
 * client's (single-fetch-route.ts), the answer needs none of that: this path sends the same
 * request to the same data source (so signing, deadlines and fetch metrics are unchanged) and
 * hands on the subgraph's `data` and errors as @apollo/gateway would. Authentication, limits,
 * the safelist, masking and logging are Apollo Server plugins and run as before.
 *
 * An operation's first request takes the normal path; its plan tells which path the next ones take.
 */
export function singleFetchPath(opts: SingleFetchOptions): SingleFetchPath {
  const maxEntries = opts.maxEntries ?? 2_000;
  const entries = new Map<string, Entry>();
  const served = { singleFetch: 0, planned: 0, rawData: 0 };
  const rawData = opts.rawData ?? true;
  const hiddenEnums = new WeakMap<GraphQLSchema, ReadonlySet<string>>();
  const hiddenEnumsOf = (schema: GraphQLSchema) => {
    let set = hiddenEnums.get(schema);
    if (!set) hiddenEnums.set(schema, (set = enumsWithHiddenValues(opts.supergraphSdl, schema)));
    return set;
  };

  const remember = (k: string, entry: Entry) => {
    entries.set(k, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };

  return {
    served,
    didResolveQueryPlan: ({ queryPlan, serviceMap, operationContext, requestContext }) => {
      const k = key(requestContext.queryHash, requestContext.request.operationName);
      if (entries.has(k)) return;
      const route = singleFetchRoute(queryPlan, operationContext, hiddenEnumsOf(operationContext.schema));
      if (!('fetch' in route)) return remember(k, route);
      const dataSource = serviceMap[route.fetch.serviceName];
      remember(k, dataSource ? { ...route, dataSource } : { reason: `no data source for ${route.fetch.serviceName}` });
    },
    wrap: (executor) => async (requestContext) => {
      const k = key(requestContext.queryHash, requestContext.request.operationName);
      const entry = entries.get(k);
      if (!entry || !('fetch' in entry)) {
        served.planned++;
        return executor(requestContext);
      }
      // Most recently used last, so the first key is the one to forget.
      entries.delete(k);
      entries.set(k, entry);
      served.singleFetch++;
      const carrier = requestContext.context as { [PREFETCHED]?: Prefetched };
      const prefetched = carrier[PREFETCHED];
      if (prefetched) delete carrier[PREFETCHED];
      for (const hint of prefetched?.cacheHints ?? []) requestContext.overallCachePolicy.restrict(hint);
      const fetched = prefetched?.fetched ?? (await fetchSingle(entry, requestContext, requestContext.request.variables, rawData));
      const result = singleFetchResult(entry, fetched, requestContext);
      if (result.data instanceof RawData) served.rawData++;
      opts.onServed?.(requestContext, entry);
      return result;
    },
    prefetch: (context, prefetched) => void ((context as { [PREFETCHED]?: Prefetched })[PREFETCHED] = prefetched),
    decision: (queryHash, operationName) => {
      const entry = entries.get(key(queryHash, operationName));
      return entry && ('fetch' in entry ? 'single-fetch' : entry.reason);
    },
  };
}

/**
 * The fetch @apollo/gateway's executeQueryPlan makes for a plan of one root fetch: the variables
 * the fetch uses, the same `process` call on the same data source.
 */
export async function fetchSingle(
  entry: Route,
  incoming: Pick<RequestContext, 'context' | 'overallCachePolicy'>,
  provided: Record<string, unknown> | undefined,
  acceptRawData: boolean,
): Promise<Fetched> {
  const { fetch, dataSource } = entry;
  const variables = Object.create(null) as Record<string, unknown>;
  for (const name of fetch.variableUsages ?? []) {
    if (provided && Object.prototype.hasOwnProperty.call(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
  }
  try {
    const options = {
      kind: INCOMING_OPERATION,
      // The same keys in the same order as the gateway's: the body, and so its signature, are the same.
      request: { query: fetch.operation, variables, operationName: fetch.operationName, http: undefined },
      // Our SignedDataSource reads only the cache policy of it (the fast path has no full request context).
      incomingRequestContext: incoming as RequestContext,
      context: incoming.context,
      document: fetch.operationDocumentNode,
      pathInIncomingRequest: [],
      // Only our SignedDataSource reads it: the answer's data may come back unparsed (ADR 0059).
      acceptRawData,
    };
    return { response: await dataSource.process(options) };
  } catch (error) {
    return { thrown: error };
  }
}

/**
 * What @apollo/gateway's executeQueryPlan makes of a plan of one root fetch, given that its
 * result shaping would return the answer unchanged: the fetch's errors as `downstreamServiceError`
 * makes them, and for an answer without data what `computeResponse` makes of an empty result.
 */
export function singleFetchResult(entry: Route, fetched: Fetched, requestContext: Pick<RequestContext, 'metrics'>): ExecutionResult {
  const { fetch, empty } = entry;
  // The gateway records a failed fetch as it was thrown; Apollo Server wraps and masks it.
  if ('thrown' in fetched) return { errors: [fetched.thrown as GraphQLError], data: emptyData(empty) };
  const { response } = fetched;
  const errors = (response.errors ?? []).map((error) => downstreamServiceError(error, fetch.serviceName));
  if (response.errors && !response.extensions?.ftv1) {
    const paths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
    const metrics = requestContext.metrics;
    if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
    else metrics.nonFtv1ErrorPaths = paths;
  }
  if (response.data) return errors.length ? { errors, data: response.data } : { data: response.data };
  if (errors.length) return { errors, data: emptyData(empty) };
  // No data and no error: the gateway's shaping reports the first non-null root field it could not fill.
  if (empty.firstNonNull === undefined) return { data: emptyData(empty) };
  const nullError = new GraphQLError(`Cannot return null for non-nullable field Query.${empty.firstNonNull}.`, {
    path: [empty.firstNonNull],
    extensions: { code: 'INVALID_GRAPHQL' },
  });
  return { extensions: { valueCompletion: [nullError] }, data: null };
}

const emptyData = (empty: SingleFetchRoute['empty']) => (empty.data ? { ...empty.data } : null);

/** As @apollo/gateway's `downstreamServiceError` for a root fetch (its path is the subgraph's). */
function downstreamServiceError(original: GraphQLFormattedError, serviceName: string): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const extensions: Record<string, unknown> = { ...original.extensions, serviceName };
  if (!original.extensions?.code) extensions.code = 'DOWNSTREAM_SERVICE_ERROR';
  return new GraphQLError(message, {
    originalError: original as unknown as Error,
    path: original.path ? [...original.path] : undefined,
    extensions,
  });
}

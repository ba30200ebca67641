import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { getVariableValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { type Actor } from '@medcollab/kit';
import { type Authenticate } from './auth';
import { type GatewayContext } from './context';
import { operationCost } from './cost';
import { RawData } from './raw-answer';
import { fetchSingle, type CacheHint, type Route, type SingleFetchOptions, type SingleFetchPath } from './single-fetch';
import { trustedOperationRefusal, type TrustedOperations } from './trusted-operations';

/**
 * The operation fast path (ADR 0062). Once a document (its text and operation name) has gone
 * through Apollo Server and been served by the single-fetch path (ADR 0039), it has passed
 * parsing, validation and the document's limits (depth, aliases, directives, tokens). A later
 * request with the same document then needs only what depends on the request: the caller's
 * token (the verified-token cache, ADR 0033), the safelist for that caller, the variables
 * coerced to their types, the cost with those variables. When all of these pass, the request is
 * signed and forwarded as the single-fetch path would, and an answer that is nothing but data
 * (ADR 0059) goes back with Apollo Server's status and headers, its request log line and its
 * metrics, without Apollo Server's request pipeline, which was most of the gateway's own CPU
 * per request on these reads.
 *
 * Anything else takes the normal path, so its answer is Apollo Server's by construction: a
 * refusal of any kind is left to the normal path to find again (nothing has been sent yet), and
 * an answer with errors or a cacheable policy is handed to Apollo Server together with the fetch
 * already made (SingleFetchPath.prefetch), which shapes, masks, logs and counts it as always.
 */
export interface OperationFastPathOptions {
  singleFetch: SingleFetchPath;
  authenticate: Authenticate;
  /** The request's context, as the normal path builds it once the actor is known. */
  context: (actor: Actor, requestId: string, startedAt: number) => GatewayContext;
  trusted: TrustedOperations | null;
  maxCost: number;
  acceptRawData: boolean;
  /** The plugins whose per-request effects the fast path keeps (metrics, request log), called as Apollo Server calls them. */
  observers: ApolloServerPlugin<GatewayContext>[];
  /** Documents remembered (least recently used forgotten first). Default 2,000. */
  maxEntries?: number;
}

interface Known {
  route: Route;
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
}

export interface OperationFastPath {
  /** For SingleFetchOptions.onServed: learns each document the single-fetch path served. */
  learn: NonNullable<SingleFetchOptions['onServed']>;
  /** Serves the request and resolves true, or resolves false for the normal path to serve it. */
  serve(req: IncomingMessage, res: ServerResponse, body: unknown, requestId: string, startedAt: number): Promise<boolean>;
  /** The context the fast path made for a request it handed back after fetching (the normal path reuses it). */
  contextOf(req: IncomingMessage): GatewayContext | undefined;
  /** How many requests the fast path answered, and how many it handed back after fetching. */
  readonly served: { fast: number; handedBack: number };
}

/** Apollo Server's content types for an answer (its MEDIA_TYPES). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_CONTENT_TYPE = 'application/graphql-response+json; charset=utf-8';
/**
 * The content type Apollo Server's negotiation (`chooseContentTypeForSingleResultResponse`) gives
 * an answer for these exact Accept headers; a request with any other goes the normal path, which
 * negotiates. No Accept header is application/json. Apollo Client 4 sends
 * `application/graphql-response+json,application/json;q=0.9` by default, browsers' fetch the wildcard type.
 */
const CONTENT_TYPE_FOR_ACCEPT = new Map<string, string>([
  ['', JSON_CONTENT_TYPE],
  ['*/*', JSON_CONTENT_TYPE],
  ['application/json', JSON_CONTENT_TYPE],
  [JSON_CONTENT_TYPE, JSON_CONTENT_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_CONTENT_TYPE],
  [GRAPHQL_RESPONSE_CONTENT_TYPE, GRAPHQL_RESPONSE_CONTENT_TYPE],
  ['application/graphql-response+json,application/json;q=0.9', GRAPHQL_RESPONSE_CONTENT_TYPE],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_CONTENT_TYPE],
]);
const BODY_KEYS = new Set(['query', 'variables', 'operationName']);

const key = (query: string, operationName: string | undefined | null) => `${operationName ?? '\u0001'}\u0000${query}`;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's query, variables and operation name, when it has nothing else Apollo Server would read. */
function plainRequest(body: unknown) {
  if (!isRecord(body)) return undefined;
  for (const name of Object.keys(body)) if (!BODY_KEYS.has(name)) return undefined;
  const { query, variables, operationName } = body;
  if (typeof query !== 'string') return undefined;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  return { query, variables: variables ?? undefined, operationName: operationName ?? undefined };
}

export function operationFastPath(opts: OperationFastPathOptions): OperationFastPath {
  const maxEntries = opts.maxEntries ?? 2_000;
  const known = new Map<string, Known>();
  const handedBack = new WeakMap<IncomingMessage, GatewayContext>();
  const served = { fast: 0, handedBack: 0 };

  const serve = async (req: IncomingMessage, res: ServerResponse, body: unknown, requestId: string, startedAt: number) => {
    if (req.url !== '/graphql') return false;
    const contentType = CONTENT_TYPE_FOR_ACCEPT.get(req.headers.accept ?? '');
    if (contentType === undefined) return false;
    const request = plainRequest(body);
    if (!request) return false;
    const k = key(request.query, request.operationName);
    const entry = known.get(k);
    if (!entry) return false;

    let actor: Actor;
    try {
      actor = await opts.authenticate(req.headers.authorization);
    } catch {
      return false; // the normal path refuses it again, and logs why
    }
    if (opts.trusted && trustedOperationRefusal(opts.trusted, actor, request.query)) return false;
    const { coerced, errors } = getVariableValues(entry.schema, entry.operation.variableDefinitions ?? [], request.variables ?? {}, {
      maxErrors: 5,
    });
    if (errors?.length || !coerced) return false;
    const cost = operationCost({ schema: entry.schema, document: entry.document, operation: entry.operation, variables: coerced });
    if (cost > opts.maxCost) return false;

    // Most recently used last, so the first key is the one to forget.
    known.delete(k);
    known.set(k, entry);
    const contextValue = opts.context(actor, requestId, startedAt);
    const observed = { request, contextValue, operation: entry.operation, operationName: entry.operationName, document: entry.document };
    const listeners: GraphQLRequestListener<GatewayContext>[] = [];
    for (const plugin of opts.observers) {
      const listener = await plugin.requestDidStart?.(observed as never);
      if (listener) listeners.push(listener);
    }
    for (const listener of listeners) await listener.didResolveOperation?.(observed as never);

    const cacheHints: CacheHint[] = [];
    const overallCachePolicy = { restrict: (hint: CacheHint) => void cacheHints.push(hint) };
    const fetched = await fetchSingle(entry.route, { context: contextValue, overallCachePolicy }, request.variables, opts.acceptRawData);
    const data = 'response' in fetched ? fetched.response.data : undefined;
    const clean =
      data instanceof RawData &&
      'response' in fetched &&
      fetched.response.errors === undefined &&
      fetched.response.extensions === undefined &&
      cacheHints.every((hint) => hint.maxAge === 0);
    if (!clean) {
      // Apollo Server shapes, masks, logs and counts this one; the fetch is not made twice.
      opts.singleFetch.prefetch(contextValue, { fetched, cacheHints });
      handedBack.set(req, contextValue);
      served.handedBack++;
      return false;
    }
    opts.singleFetch.served.singleFetch++;
    opts.singleFetch.served.rawData++;
    served.fast++;
    const response = { http: { status: undefined, headers: new Map<string, string>() } };
    const sent = { ...observed, response, errors: undefined };
    for (const listener of listeners) await listener.willSendResponse?.(sent as never);
    // The backstop answered already: the client has its 504, this late answer goes nowhere.
    if (res.headersSent) return true;
    // Apollo Server's headers, in its order: the cache policy's (uncacheable), then the content type.
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-type', contentType);
    res.statusCode = 200;
    res.setHeader('content-length', Buffer.byteLength(data.body));
    res.end(data.body);
    return true;
  };

  return {
    served,
    serve,
    contextOf: (req) => handedBack.get(req),
    learn: (requestContext, route) => {
      const { request, document, operation, schema } = requestContext;
      if (typeof request.query !== 'string' || !document || !operation || operation.operation !== 'query') return;
      const k = key(request.query, request.operationName);
      if (known.has(k)) return;
      known.set(k, { route, schema, document, operation, operationName: requestContext.operationName ?? null });
      while (known.size > maxEntries) known.delete(known.keys().next().value!);
    },
  };
}

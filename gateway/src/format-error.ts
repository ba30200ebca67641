import { type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GATEWAY_TIMEOUT, GatewayTimeoutError } from './timeout';

/**
 * Codes a client can act on: the domain's own (raised on purpose by the subgraphs) and the
 * request errors Apollo raises for a malformed, refused or over-limit operation.
 */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'COST_LIMIT_EXCEEDED',
  // A subgraph in strict audit mode withheld an answer it could not record (ADR 0008).
  'AUDIT_UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Extensions never shown: what the gateway adds about its subgraphs (`serviceName`), what
 * HTTP errors carry (`response` holds the subgraph URL), stack traces, and Apollo's own `http`.
 */
const INTERNAL_EXTENSIONS = new Set(['serviceName', 'response', 'http', 'stacktrace', 'exception', 'originalError']);

export const INTERNAL_ERROR: GraphQLFormattedError['message'] = 'Internal server error';

/** True when the client sees this error as it is (otherwise it gets the generic one). */
export function isPublicError(formatted: GraphQLFormattedError, error: unknown): boolean {
  const code = formatted.extensions?.code;
  if (code === GATEWAY_TIMEOUT) return unwrapResolverError(error) instanceof GatewayTimeoutError;
  return typeof code === 'string' && PUBLIC_ERROR_CODES.has(code) && !isDownstreamInternal(formatted);
}

/** A subgraph's request errors mean the gateway sent it something bad: our fault, not the caller's. */
function isDownstreamInternal(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return (
    formatted.extensions?.serviceName !== undefined &&
    (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_REQUEST')
  );
}

/**
 * The gateway's formatError: public errors keep message, code and their safe extensions
 * (e.g. `fields` of a validation failure); everything else becomes one generic error. The
 * originals are logged by the request logger, with the request id.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!isPublicError(formatted, error)) {
    return { message: INTERNAL_ERROR, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const extensions = Object.fromEntries(Object.entries(formatted.extensions ?? {}).filter(([key]) => !INTERNAL_EXTENSIONS.has(key)));
  return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
}

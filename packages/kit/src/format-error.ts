import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type Logger } from 'pino';
import { isAppError } from './errors';

/** Codes Apollo and graphql-js raise for a malformed request; safe to show as they are. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** The error a resolver actually threw, beneath any GraphQLError wrappers. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** The `extensions.code` a client receives for `error` (what formatError below decides). */
export function clientErrorCode(error: GraphQLError): string {
  const original = rootCause(error);
  if (isAppError(original)) return original.code;
  const code = error.extensions?.code;
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Turns our AppErrors into GraphQL errors with their code, keeps request errors as they are,
 * and replaces anything unexpected with a generic message (logged in full, never sent).
 */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = rootCause(error);
    if (isAppError(original)) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...(original.details ?? {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

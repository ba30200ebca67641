import { type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';

export interface CoercedVariables {
  /** The variables with their defaults applied; undefined when they do not fit their types. */
  coerced: Record<string, unknown> | undefined;
  /** Why they do not fit (at most five). */
  errors: readonly GraphQLError[] | undefined;
}

/** One coercion per request (the request object is the key), however many plugins need it. */
const byRequest = new WeakMap<object, CoercedVariables>();

/**
 * The request's variables coerced to the operation's definitions, computed once per request:
 * request-input.ts refuses the request when they do not fit, cost.ts reads page sizes from them.
 */
export function coercedVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  request: { variables?: Record<string, unknown> },
): CoercedVariables {
  let result = byRequest.get(request);
  if (!result) {
    const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 5 });
    result = { coerced, errors };
    byRequest.set(request, result);
  }
  return result;
}

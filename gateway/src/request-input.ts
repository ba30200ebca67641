import { type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, isScalarType, type GraphQLSchema } from 'graphql';
import { DateResolver, DateTimeResolver } from '@medcollab/kit';
import { coercedVariables } from './variables';

/** The scalars the subgraphs parse strictly; the gateway must refuse what they would refuse, with the same rules. */
const STRICT_SCALARS = { Date: DateResolver, DateTime: DateTimeResolver };

const badRequest = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * The supergraph the gateway builds knows Date and DateTime only by name, so it passes any
 * string on; the subgraph then refuses it with HTTP 400, which the gateway can only report as
 * its own fault. Giving the gateway's API schema the subgraphs' parsers (graphql-scalars, the
 * kit's) moves the refusal to the gateway: a bad literal fails validation, a bad variable is
 * BAD_USER_INPUT, both before any query plan or subgraph call. Serialization is left alone:
 * the gateway forwards the client's variables as sent and the subgraphs' results as answered.
 */
export function installStrictScalars(schema: GraphQLSchema): void {
  for (const [name, strict] of Object.entries(STRICT_SCALARS)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = strict.parseValue.bind(strict);
    type.parseLiteral = strict.parseLiteral.bind(strict);
  }
}

/**
 * Refuses, as 400-class GraphQL errors, what the gateway's executor would otherwise throw as
 * an internal error: a document whose operation cannot be chosen (unknown operationName, or
 * several operations and none named) and variables that do not fit their types.
 */
export function requestInputPlugin(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate: ({ apiSchema }) => installStrictScalars(apiSchema),
      };
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document, schema }) {
          if (!operation) {
            const named = request.operationName;
            const count = document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
            throw badRequest(
              named ? `Unknown operation named "${named}".` : `The document holds ${count} operations: give the operation name to run.`,
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          const { errors } = coercedVariables(schema, operation, request);
          if (errors?.length) throw badRequest(errors.map((e) => e.message).join(' '), 'BAD_USER_INPUT');
        },
      };
    },
  };
}

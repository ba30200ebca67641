import { type ApolloServerPlugin } from '@apollo/server';
import { type GraphQLError } from 'graphql';
import { type GatewayContext } from './context';
import { isPublicError } from './format-error';

/**
 * One log line per operation (with its request id and its caller: who asked, of which institution,
 * in which roles — ids only, no names — so a request in the logs joins the audit trail's
 * entries of it, issue 15), and every error a client will only see
 * as "Internal server error" logged in full, so the id a client reports leads to the cause.
 */
export function requestLogPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors as readonly GraphQLError[]) {
            if (isPublicError({ message: error.message, extensions: error.extensions }, error)) continue;
            contextValue.log.error(
              { err: error.originalError ?? error, path: error.path, subgraph: error.extensions?.serviceName },
              'operation failed with an internal error',
            );
          }
        },
        async willSendResponse({ response, operationName, errors }) {
          contextValue.log.info(
            {
              operationName,
              callerId: contextValue.actor.personId,
              callerInstitutionId: contextValue.actor.institutionId,
              callerRoles: contextValue.actor.roles,
              status: response.http.status ?? 200,
              durationMs: Math.round(performance.now() - started),
              errorCodes: errors?.map((e) => e.extensions?.code ?? 'UNKNOWN'),
            },
            'operation',
          );
        },
      };
    },
  };
}

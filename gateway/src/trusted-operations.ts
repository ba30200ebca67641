import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ApolloServerPlugin } from '@apollo/server';
import { hasRole, type Actor } from '@medcollab/kit';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { type GatewayContext } from './context';

/**
 * Trusted operations: an integration client (a token subject) may be limited to the operations
 * registered for it, so a leaked integration credential runs only what the integration needs.
 * The gateway loads a safelist file (TRUSTED_OPERATIONS_PATH) that lists, per client, either the
 * operation documents themselves or their SHA-256 (hex, of the exact text sent, as in Apollo's
 * automatic persisted queries). `integrationDefault: "deny"` also refuses INTEGRATION tokens
 * that the file does not list.
 *
 *   { "integrationDefault": "deny",
 *     "clients": [{ "sub": "<person id>", "name": "Northbridge SIS",
 *                   "operations": ["mutation Start($input: …) { … }"], "sha256": ["3f1c…"] }] }
 */

const safelistSchema = z.object({
  integrationDefault: z.enum(['allow', 'deny']).default('allow'),
  clients: z.array(
    z.object({
      sub: z.string().min(1),
      name: z.string().min(1),
      operations: z.array(z.string().min(1)).default([]),
      sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256')).default([]),
    }),
  ),
});

export interface TrustedOperations {
  integrationDefault: 'allow' | 'deny';
  /** Token subject → the client's name and the hashes it may run. */
  clients: Map<string, { name: string; hashes: Set<string> }>;
}

export const operationHash = (document: string): string => createHash('sha256').update(document).digest('hex');

export function parseTrustedOperations(json: string): TrustedOperations {
  const parsed = safelistSchema.parse(JSON.parse(json));
  return {
    integrationDefault: parsed.integrationDefault,
    clients: new Map(
      parsed.clients.map((c) => [c.sub, { name: c.name, hashes: new Set([...c.sha256, ...c.operations.map(operationHash)]) }]),
    ),
  };
}

export function loadTrustedOperations(path: string | undefined): TrustedOperations | null {
  return path ? parseTrustedOperations(readFileSync(path, 'utf8')) : null;
}

const refuse = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

/** Why the caller may not run this document (the error the client gets), or undefined when it may. */
export function trustedOperationRefusal(safelist: TrustedOperations, actor: Actor, source: string): GraphQLError | undefined {
  const client = safelist.clients.get(actor.personId);
  if (client) {
    if (!client.hashes.has(operationHash(source)))
      return refuse(`This operation is not registered for the integration client ${client.name}`);
    return undefined;
  }
  if (safelist.integrationDefault === 'deny' && hasRole(actor, 'INTEGRATION'))
    return refuse('This integration account has no registered operations');
  return undefined;
}

/** Refuses, before any planning or subgraph call, an operation the caller's safelist does not hold. */
export function trustedOperationsPlugin(safelist: TrustedOperations): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, contextValue }) {
          const refusal = trustedOperationRefusal(safelist, contextValue.actor, source);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

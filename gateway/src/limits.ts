import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type GatewayConfig } from './config';

type Limits = Pick<GatewayConfig, 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_TOKENS' | 'MAX_COST' | 'MAX_DIRECTIVES'>;

/**
 * Operation limits checked before any query plan or subgraph call: tokens, depth, aliases,
 * cost and directives; field suggestions are blocked so a refused field does not reveal
 * the schema. Also turns off batched HTTP requests and stack traces in responses.
 */
export function operationLimits(limits: Limits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.MAX_DEPTH },
    maxAliases: { n: limits.MAX_ALIASES },
    // The armor's Apollo token plugin throws from a plugin hook, which Apollo answers with HTTP
    // 500; graphql-js's own parser limit refuses the same documents as a 400 parse error.
    maxTokens: { enabled: false },
    costLimit: { maxCost: limits.MAX_COST },
    maxDirectives: { n: limits.MAX_DIRECTIVES },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return { ...armor, parseOptions: { maxTokens: limits.MAX_TOKENS } };
}

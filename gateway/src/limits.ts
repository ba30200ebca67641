import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type GatewayConfig } from './config';
import { costLimitPlugin } from './cost';

type Limits = Pick<GatewayConfig, 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_TOKENS' | 'MAX_COST' | 'MAX_DIRECTIVES'>;

/**
 * Operation limits checked before any query plan or subgraph call: tokens, depth, aliases,
 * cost (page sizes from literals and variables alike) and directives; field suggestions are blocked so a refused field does not reveal
 * the schema. Also turns off batched HTTP requests and stack traces in responses.
 */
export function operationLimits(limits: Limits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.MAX_DEPTH },
    maxAliases: { n: limits.MAX_ALIASES },
    // The armor's Apollo token plugin throws from a plugin hook, which Apollo answers with HTTP
    // 500; graphql-js's own parser limit refuses the same documents as a 400 parse error.
    maxTokens: { enabled: false },
    // The armor's cost rule sees only literals (a page size passed as a variable cost nothing)
    // and words its refusal as a syntax error: cost.ts counts variables and has its own code.
    costLimit: { enabled: false },
    maxDirectives: { n: limits.MAX_DIRECTIVES },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return { ...armor, plugins: [...armor.plugins, costLimitPlugin(limits.MAX_COST)], parseOptions: { maxTokens: limits.MAX_TOKENS } };
}

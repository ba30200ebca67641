/** What other packages (the testing kit, scripts, benchmarks) may import from the gateway. */
export { composeSupergraph, schemaPath } from './composition';
export { DEFAULT_SUPERGRAPH_PATH, type GatewayConfig } from './config';
export { createGateway, type Gateway } from './server';
export { mintToken, type MintTokenOptions } from './tokens';
export { postToSubgraph } from './subgraph-http';
export { createAuthenticator, type AuthOptions } from './auth';

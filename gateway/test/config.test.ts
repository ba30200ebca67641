import { ConfigError, DEV_JWT_SECRET } from '@medcollab/kit';
import { loadGatewayConfig } from '../src/config';

const prodSecrets = { NODE_ENV: 'production', INTERNAL_SIGNING_SECRET: 'a-real-internal-signing-secret-0123456789' };

describe('gateway configuration', () => {
  it('has the documented defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      PORT: 4000,
      JWT_SECRET: DEV_JWT_SECRET,
      MAX_DEPTH: 12,
      MAX_ALIASES: 15,
      MAX_TOKENS: 5000,
      MAX_COST: 5000,
      REQUEST_TIMEOUT_MS: 15000,
      SUBGRAPH_URLS: {},
    });
    expect(config.SUPERGRAPH_PATH).toMatch(/gateway\/supergraph\.graphql$/);
    expect(config.JWKS_URL).toBeUndefined();
  });

  it('reads SUBGRAPH_<NAME>_URL overrides and refuses malformed ones', () => {
    expect(loadGatewayConfig({ SUBGRAPH_NETWORK_URL: 'http://network:4001/graphql' }).SUBGRAPH_URLS).toEqual({
      NETWORK: 'http://network:4001/graphql',
    });
    expect(() => loadGatewayConfig({ SUBGRAPH_NETWORK_URL: 'network:4001' })).toThrow(/SUBGRAPH_NETWORK_URL: must be an http\(s\) URL/);
  });

  it('refuses the development JWT secret in production unless tokens come from a JWKS', () => {
    expect(() => loadGatewayConfig(prodSecrets)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(prodSecrets)).toThrow(/JWKS_URL: must be set in production/);
    expect(loadGatewayConfig({ ...prodSecrets, JWKS_URL: 'https://idp.example/jwks.json' }).JWKS_URL).toBe('https://idp.example/jwks.json');
    expect(loadGatewayConfig({ ...prodSecrets, JWT_SECRET: 'a-real-jwt-secret-0123456789-0123456789' }).NODE_ENV).toBe('production');
  });

  it('applies the production rules to overrides too', () => {
    expect(() => loadGatewayConfig({}, { NODE_ENV: 'production' })).toThrow(/INTERNAL_SIGNING_SECRET: must be set in production/);
  });

  it('treats empty variables as unset and lists every bad one', () => {
    expect(loadGatewayConfig({ JWKS_URL: '', JWT_ISSUER: '' }).JWKS_URL).toBeUndefined();
    expect(() => loadGatewayConfig({ MAX_DEPTH: '0', JWT_SECRET: 'short' })).toThrow(
      /MAX_DEPTH[\s\S]*JWT_SECRET|JWT_SECRET[\s\S]*MAX_DEPTH/,
    );
  });

  it('lets GATEWAY_PORT (set by the launcher) win over PORT', () => {
    expect(loadGatewayConfig({ PORT: '5000', GATEWAY_PORT: '5001' }).PORT).toBe(5001);
  });
});

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, DEV_JWT_SECRET, loadConfig, baseConfigShape, REPOSITORY_SECRETS } from '@medcollab/kit';
import { loadGatewayConfig } from '../src/config';

const prodSecrets = {
  NODE_ENV: 'production',
  INTERNAL_SIGNING_SECRET: 'a-real-internal-signing-secret-0123456789',
  JWT_ISSUER: 'https://idp.example',
  JWT_AUDIENCE: 'medcollab',
};
const ownJwtSecret = 'a-real-jwt-secret-0123456789-0123456789';

const REPO = path.resolve(__dirname, '..', '..');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });

/** Every `…SECRET…: value` / `…SECRET…=value` written in the deployment files of the repository. */
function committedSecrets(): string[] {
  const files = [path.join(REPO, 'docker-compose.yml'), ...filesUnder(path.join(REPO, 'k8s')).filter((f) => /\.ya?ml$/.test(f))];
  const found = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/[A-Z_]*SECRET[A-Z_]*\s*[:=]\s*"?([^\s"#]{8,})/g)) found.add(match[1]!);
  }
  return [...found];
}

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
    expect(loadGatewayConfig({ ...prodSecrets, JWT_SECRET: ownJwtSecret }).NODE_ENV).toBe('production');
  });

  it('refuses in production every secret committed to the repository', () => {
    const committed = committedSecrets();
    // The compose file and the development overlay each carry two; the scan must see them.
    expect(committed.length).toBeGreaterThanOrEqual(4);
    for (const secret of committed) {
      expect(REPOSITORY_SECRETS.has(secret)).toBe(true);
      expect(() => loadGatewayConfig({ ...prodSecrets, JWT_SECRET: ownJwtSecret, INTERNAL_SIGNING_SECRET: secret })).toThrow(
        /INTERNAL_SIGNING_SECRET: must be set in production/,
      );
      expect(() => loadConfig(baseConfigShape, { NODE_ENV: 'production', INTERNAL_SIGNING_SECRET: secret })).toThrow(ConfigError);
      if (secret.length >= 32)
        expect(() => loadGatewayConfig({ ...prodSecrets, JWT_SECRET: secret })).toThrow(/JWKS_URL: must be set in production/);
    }
    expect(loadGatewayConfig({ ...prodSecrets, JWT_SECRET: ownJwtSecret }).NODE_ENV).toBe('production');
  });

  it('requires the JWT issuer and audience in production, with JWKS too', () => {
    const jwks = { ...prodSecrets, JWKS_URL: 'https://idp.example/jwks.json' };
    expect(() => loadGatewayConfig({ ...jwks, JWT_ISSUER: '' })).toThrow(/JWT_ISSUER: must be set in production/);
    expect(() => loadGatewayConfig({ ...jwks, JWT_AUDIENCE: undefined })).toThrow(/JWT_AUDIENCE: must be set in production/);
    expect(loadGatewayConfig(jwks).JWT_ISSUER).toBe('https://idp.example');
    expect(loadGatewayConfig({ JWKS_URL: 'https://idp.example/jwks.json' }).JWT_ISSUER).toBeUndefined();
  });

  it('caps token lifetime at 12 h with a 30 s clock skew unless told otherwise', () => {
    expect(loadGatewayConfig({})).toMatchObject({ JWT_MAX_LIFETIME_S: 43_200, JWT_CLOCK_SKEW_S: 30 });
    expect(() => loadGatewayConfig({ JWT_CLOCK_SKEW_S: '3600' })).toThrow(/JWT_CLOCK_SKEW_S/);
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

  it('serves /metrics on 4100 by default, or nowhere apart; METRICS_TOKEN is optional and at least 16 characters', () => {
    expect(loadGatewayConfig({}).METRICS_PORT).toBe(4100);
    expect(loadGatewayConfig({}).METRICS_TOKEN).toBeUndefined();
    const off = loadGatewayConfig({ METRICS_PORT: 'off', METRICS_TOKEN: '' });
    expect([off.METRICS_PORT, off.METRICS_TOKEN]).toEqual([false, undefined]);
    expect(loadGatewayConfig({ METRICS_TOKEN: 'a-scrape-token-0123' }).METRICS_TOKEN).toBe('a-scrape-token-0123');
    expect(() => loadGatewayConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });

  it('lets GATEWAY_PORT (set by the launcher) win over PORT', () => {
    expect(loadGatewayConfig({ PORT: '5000', GATEWAY_PORT: '5001' }).PORT).toBe(5001);
  });
});

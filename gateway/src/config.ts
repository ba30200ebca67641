import path from 'node:path';
import { z } from 'zod';
import { baseConfigShape, ConfigError, DEV_INTERNAL_SECRET, DEV_JWT_SECRET, loadConfig } from '@medcollab/kit';

/** Unset and empty mean the same (k8s and compose files often render missing values as ""). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const positiveInt = z.coerce.number().int().positive();

/** The committed supergraph, next to this package's src/ (independent of the working directory). */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '..', 'supergraph.graphql');

/** Everything the gateway reads from its environment; limits are per operation. */
export const gatewayConfigShape = {
  ...baseConfigShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** The launcher sets GATEWAY_PORT so a global PORT never makes every process collide. */
  GATEWAY_PORT: optional(z.coerce.number().int().min(0).max(65535)),
  /** HS256 key for local tokens; production uses JWKS_URL or must set its own. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
  /** When set, tokens are RS256 and verified against this key set (and JWT_SECRET is ignored). */
  JWKS_URL: optional(z.url({ protocol: /^https?$/ })),
  JWT_ISSUER: optional(z.string().min(1)),
  JWT_AUDIENCE: optional(z.string().min(1)),
  MAX_DEPTH: positiveInt.default(12),
  MAX_ALIASES: positiveInt.default(15),
  MAX_TOKENS: positiveInt.default(5000),
  MAX_COST: positiveInt.default(5000),
  MAX_DIRECTIVES: positiveInt.default(50),
  /** Budget of one operation, every subgraph fetch included. */
  REQUEST_TIMEOUT_MS: positiveInt.default(15_000),
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  /** JSON safelist of operations per integration client (src/trusted-operations.ts); none: no restriction. */
  TRUSTED_OPERATIONS_PATH: optional(z.string().min(1)),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayConfigShape>> & {
  /** Subgraph URL overrides from `SUBGRAPH_<NAME>_URL`, keyed by {@link subgraphEnvKey}. */
  SUBGRAPH_URLS: Record<string, string>;
};

/** `network` → `NETWORK`, `foo-bar` → `FOO_BAR`: the <NAME> in SUBGRAPH_<NAME>_URL. */
export function subgraphEnvKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

const SUBGRAPH_URL_VAR = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;
const httpUrl = z.url({ protocol: /^https?$/ });

/** Collects SUBGRAPH_<NAME>_URL variables; a malformed one fails start-up instead of a request. */
export function subgraphUrlOverrides(env: NodeJS.ProcessEnv, problems: string[] = []): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = SUBGRAPH_URL_VAR.exec(key);
    if (!match?.[1] || !value) continue;
    if (httpUrl.safeParse(value).success) urls[match[1]] = value;
    else problems.push(`  - ${key}: must be an http(s) URL`);
  }
  return urls;
}

type SecretSettings = Pick<GatewayConfig, 'NODE_ENV' | 'INTERNAL_SIGNING_SECRET' | 'JWT_SECRET' | 'JWKS_URL'>;

/** Development secrets are refused in production (the JWT secret only when tokens are HS256). */
function productionProblems(config: SecretSettings): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (config.INTERNAL_SIGNING_SECRET === DEV_INTERNAL_SECRET) problems.push('  - INTERNAL_SIGNING_SECRET: must be set in production');
  if (!config.JWKS_URL && config.JWT_SECRET === DEV_JWT_SECRET) {
    problems.push('  - JWKS_URL: must be set in production (RS256), or JWT_SECRET set to a secret of your own');
  }
  return problems;
}

const fail = (lines: string[]): never => {
  throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
};

/**
 * Reads the environment, applies `overrides` (tests, the harness) and checks the result;
 * every problem is listed at once, so an operator fixes them in one go.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const problems: string[] = [];
  const subgraphUrls = subgraphUrlOverrides(env, problems);
  let parsed: z.infer<z.ZodObject<typeof gatewayConfigShape>>;
  try {
    parsed = loadConfig(gatewayConfigShape, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const kitLines = error.message.split('\n').slice(1);
    const raw = {
      NODE_ENV: env.NODE_ENV as GatewayConfig['NODE_ENV'],
      INTERNAL_SIGNING_SECRET: env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET,
      JWT_SECRET: env.JWT_SECRET || DEV_JWT_SECRET,
      JWKS_URL: env.JWKS_URL || undefined,
    };
    return fail([...kitLines, ...problems, ...productionProblems(raw)]);
  }
  const config: GatewayConfig = { ...parsed, SUBGRAPH_URLS: subgraphUrls, ...overrides };
  if (parsed.GATEWAY_PORT !== undefined && overrides.PORT === undefined) config.PORT = parsed.GATEWAY_PORT;
  problems.push(...productionProblems(config));
  if (problems.length) fail(problems);
  return config;
}

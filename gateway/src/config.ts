import path from 'node:path';
import { z } from 'zod';
import {
  baseConfigShape,
  ConfigError,
  DEV_INTERNAL_SECRET,
  DEV_JWT_SECRET,
  GATEWAY_METRICS_PORT,
  loadConfig,
  REPOSITORY_SECRET_PROBLEM,
  REPOSITORY_SECRETS,
} from '@medcollab/kit';

/** Unset and empty mean the same (k8s and compose files often render missing values as ""). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const positiveInt = z.coerce.number().int().positive();

/** The committed supergraph, next to this package's src/ (independent of the working directory). */
export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '..', 'supergraph.graphql');

/** Everything the gateway reads from its environment; limits are per operation. */
export const gatewayConfigShape = {
  ...baseConfigShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** /metrics (Prometheus) listens here, apart from the public port; `off` serves none. */
  METRICS_PORT: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65535)])
    .default(GATEWAY_METRICS_PORT)
    .transform((v) => (v === 'off' ? (false as const) : v)),
  /**
   * Bearer token for /metrics on the public port (PORT). Unset: that /metrics is open outside
   * production (`curl :4000/metrics` on a laptop) and not served in production, where
   * Prometheus scrapes METRICS_PORT (ADR 0025).
   */
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  /** The launcher sets GATEWAY_PORT so a global PORT never makes every process collide. */
  GATEWAY_PORT: optional(z.coerce.number().int().min(0).max(65535)),
  /** HS256 key for local tokens; production uses JWKS_URL or must set its own. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
  /** When set, tokens are RS256 and verified against this key set (and JWT_SECRET is ignored). */
  JWKS_URL: optional(z.url({ protocol: /^https?$/ })),
  /** Required in production: a token from another issuer or for another audience is refused. */
  JWT_ISSUER: optional(z.string().min(1)),
  JWT_AUDIENCE: optional(z.string().min(1)),
  /** Longest lifetime (exp − iat) a token may have; a stolen long-lived token is a standing key. */
  JWT_MAX_LIFETIME_S: positiveInt.default(12 * 3600),
  /** Clock difference tolerated between the identity provider and the gateway (iat, nbf, exp). */
  JWT_CLOCK_SKEW_S: z.coerce.number().int().min(0).max(300).default(30),
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
  /** List each subgraph's readiness in /readyz (off: the endpoint is public; failures are logged either way). */
  READINESS_DETAILS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Reads that one subgraph answers exactly as asked skip @apollo/gateway's plan execution and
   * result shaping (src/single-fetch.ts, ADR 0039); `false` sends every operation the normal way.
   */
  SINGLE_FETCH_PATH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * On the single-fetch path, a subgraph answer that is nothing but data goes to the client as the
   * bytes it came in, neither parsed nor serialized again (src/raw-answer.ts, ADR 0059); `false`
   * parses every answer (for comparison).
   */
  SINGLE_FETCH_RAW_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * A document the single-fetch path has served before skips Apollo Server's request pipeline
   * when its answer is nothing but data (src/operation-fast-path.ts, ADR 0062); `false` sends
   * every request through Apollo Server (for comparison, or should the fast path misbehave).
   */
  OPERATION_FAST_PATH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * POST /graphql with a JSON body is served on node:http without express (src/graphql-http.ts,
   * ADR 0051); `false` sends every request through express, as before (for comparison).
   */
  PLAIN_HTTP_PATH: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
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

type SecretSettings = Pick<
  GatewayConfig,
  'NODE_ENV' | 'INTERNAL_SIGNING_SECRET' | 'JWT_SECRET' | 'JWKS_URL' | 'JWT_ISSUER' | 'JWT_AUDIENCE'
>;

/**
 * Production refuses every secret written in this repository (the JWT secret only when tokens
 * are HS256) and tokens whose issuer and audience are not pinned.
 */
function productionProblems(config: SecretSettings): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (REPOSITORY_SECRETS.has(config.INTERNAL_SIGNING_SECRET)) problems.push(`  - INTERNAL_SIGNING_SECRET: ${REPOSITORY_SECRET_PROBLEM}`);
  if (!config.JWKS_URL && REPOSITORY_SECRETS.has(config.JWT_SECRET)) {
    problems.push(
      '  - JWKS_URL: must be set in production (RS256), or JWT_SECRET set to a secret of your own (this one is in the repository)',
    );
  }
  if (!config.JWT_ISSUER) problems.push('  - JWT_ISSUER: must be set in production (the identity provider that issues tokens)');
  if (!config.JWT_AUDIENCE) problems.push('  - JWT_AUDIENCE: must be set in production (the audience tokens are issued for)');
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
      JWT_ISSUER: env.JWT_ISSUER || undefined,
      JWT_AUDIENCE: env.JWT_AUDIENCE || undefined,
    };
    return fail([...kitLines, ...problems, ...productionProblems(raw)]);
  }
  const config: GatewayConfig = { ...parsed, SUBGRAPH_URLS: subgraphUrls, ...overrides };
  if (parsed.GATEWAY_PORT !== undefined && overrides.PORT === undefined) config.PORT = parsed.GATEWAY_PORT;
  problems.push(...productionProblems(config));
  if (problems.length) fail(problems);
  return config;
}

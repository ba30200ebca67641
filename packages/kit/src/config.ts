import { z } from 'zod';
import { DEV_JWT_SECRET } from '@medcollab/tokens';

/** Raised at start-up when the environment does not describe a runnable process. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Secret used only on a developer's machine; production must set its own (checked below). */
export const DEV_INTERNAL_SECRET = 'medcollab-dev-internal-signing-secret-change-me';
export { DEV_JWT_SECRET };

/**
 * Every secret written down in this repository (defaults here, docker-compose.yml, the k8s
 * development overlay): anyone can read them, so production refuses all of them. A test reads
 * those files and fails when one is missing from this list.
 */
export const REPOSITORY_SECRETS: ReadonlySet<string> = new Set([
  DEV_INTERNAL_SECRET,
  DEV_JWT_SECRET,
  'compose-internal-signing-secret-0123456789',
  'compose-jwt-secret-0123456789-0123456789',
  'development-internal-signing-secret-0123456789',
  'development-jwt-secret-0123456789-0123456789',
  // Quality's key of students' pseudonyms (QUALITY_PSEUDONYM_SECRET, ADR 0047): its default, compose's, the overlay's.
  'local-only-quality-pseudonym-secret-0123456789',
  'compose-quality-pseudonym-secret-0123456789',
  'development-quality-pseudonym-secret-0123456789',
  // Quality's key of signed CSV export links (QUALITY_EXPORT_SECRET): its default (ADR 0053).
  'local-only-quality-export-secret',
  // Assessment's key of evaluator pseudonyms (ASSESSMENT_EVALUATOR_PSEUDONYM_KEY): its default (ADR 0053).
  'local-only-evaluator-pseudonym-key',
  // Audit's key of signed CSV export links (AUDIT_EXPORT_SECRET): its default.
  'local-only-audit-export-secret',
]);

/** The production problem with an internal signing secret, if any (shared by the gateway's own check). */
export const REPOSITORY_SECRET_PROBLEM = 'must be set in production to a secret of your own (this one is in the repository)';

/**
 * The one production rule for secrets (ADR 0053): a secret whose value is written in this
 * repository (REPOSITORY_SECRETS: defaults, compose, the development overlay) is refused in
 * production, with one line per such variable. Every service checks its own secrets with it;
 * `loadConfig` checks the internal signing secrets. Absent values are left to the schema.
 */
export function refuseRepositorySecrets(nodeEnv: string | undefined, secrets: Readonly<Record<string, string | undefined>>): void {
  if (nodeEnv !== 'production') return;
  const problems = Object.entries(secrets)
    .filter(([, value]) => value !== undefined && REPOSITORY_SECRETS.has(value))
    .map(([name]) => `  - ${name}: ${REPOSITORY_SECRET_PROBLEM}`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}

/** Variables every process (gateway, subgraph, worker) reads. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A PostgreSQL server URL; its database is the maintenance database used to create the service databases. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/postgres'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6379'),
  INTERNAL_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_INTERNAL_SECRET),
  /** The secret being retired during a rotation: still accepted from the gateway, never used to sign. */
  INTERNAL_SIGNING_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/**
 * Parses the environment with a zod schema and fails with one line per missing or bad
 * variable, so an operator can fix all of them in one go.
 */
export function loadConfig<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data as z.infer<z.ZodObject<T>> & {
    NODE_ENV?: string;
    INTERNAL_SIGNING_SECRET?: string;
    INTERNAL_SIGNING_SECRET_PREVIOUS?: string;
  };
  refuseRepositorySecrets(config.NODE_ENV, {
    INTERNAL_SIGNING_SECRET: config.INTERNAL_SIGNING_SECRET,
    INTERNAL_SIGNING_SECRET_PREVIOUS: config.INTERNAL_SIGNING_SECRET_PREVIOUS,
  });
  return config;
}

export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;

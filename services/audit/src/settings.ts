import { z } from 'zod';
import { loadConfig, refuseRepositorySecrets } from '@medcollab/kit';

/** The export links' key on a developer's machine; production refuses it (kit's REPOSITORY_SECRETS). */
export const DEV_EXPORT_SECRET = 'local-only-audit-export-secret';

/** Audit's own settings (on top of the kit's DATABASE_URL, REDIS_URL, PORT…); API and worker read the same. */
export const auditSettingsShape = {
  /** Key that signs CSV export links: required in production (the default is in the repository, ADR 0053). */
  AUDIT_EXPORT_SECRET: z.string().min(16).default(DEV_EXPORT_SECRET),
  /** How long an export link stays valid. */
  AUDIT_EXPORT_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Where this service's HTTP routes are reachable from outside (export links point here). */
  AUDIT_PUBLIC_URL: z.string().url().default('http://localhost:4008'),
  /** How often the worker applies retention policies. */
  AUDIT_RETENTION_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
  /**
   * What retention does with a past month no institution keeps any entry of (ADR 0028): `drop`
   * its partition, or `archive` it (detached into the audit_archive schema, outside the trail, for
   * a DBA to export and drop).
   */
  AUDIT_RETIRED_PARTITIONS: z.enum(['drop', 'archive']).default('drop'),
  /** How often each grown chain is checkpointed and the checkpoint sent to its institution (daily). */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(86_400_000),
  /**
   * The database role entries are appended as (ADR 0023): INSERT and SELECT only on the trail's
   * tables, created by the migrations. Empty: append as the connection's own user (a database
   * where that user may not SET ROLE to it).
   */
  AUDIT_WRITER_ROLE: z
    .string()
    .regex(/^([a-z_][a-z0-9_]{0,62})?$/, 'must be a plain PostgreSQL role name (lower case, digits, _) or empty')
    .default('medcollab_audit_writer'),
};

export interface AuditSettings {
  exportSecret: string;
  exportTtlSeconds: number;
  publicUrl: string;
  retentionIntervalMs: number;
  /** Retired months: dropped or archived (AUDIT_RETIRED_PARTITIONS). Tests that build settings get `drop`. */
  retiredPartitions?: 'drop' | 'archive';
  checkpointIntervalMs: number;
  /** The role appends run as; null: the connection's own user. Tests that build settings get the default. */
  writerRole?: string | null;
}

let cached: AuditSettings | undefined;

/** Read once from the environment; tests build their own and pass them in. */
export function auditSettings(env: NodeJS.ProcessEnv = process.env): AuditSettings {
  if (cached && env === process.env) return cached;
  const c = loadConfig(auditSettingsShape, env);
  // Keys anyone can read in the repository are refused in production (the kit's one rule).
  refuseRepositorySecrets(env.NODE_ENV, { AUDIT_EXPORT_SECRET: c.AUDIT_EXPORT_SECRET });
  const settings: AuditSettings = {
    exportSecret: c.AUDIT_EXPORT_SECRET,
    exportTtlSeconds: c.AUDIT_EXPORT_TTL_SECONDS,
    publicUrl: c.AUDIT_PUBLIC_URL,
    retentionIntervalMs: c.AUDIT_RETENTION_INTERVAL_MS,
    retiredPartitions: c.AUDIT_RETIRED_PARTITIONS,
    checkpointIntervalMs: c.AUDIT_CHECKPOINT_INTERVAL_MS,
    writerRole: c.AUDIT_WRITER_ROLE || null,
  };
  if (env === process.env) cached = settings;
  return settings;
}

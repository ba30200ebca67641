import { z } from 'zod';
import { loadConfig, refuseRepositorySecrets } from '@medcollab/kit';
import { DEV_PSEUDONYM_SECRET } from './domain/pseudonyms';

/** The export links' key on a developer's machine; production refuses it (kit's REPOSITORY_SECRETS). */
export const DEV_EXPORT_SECRET = 'local-only-quality-export-secret';

/** Quality's own settings (on top of the kit's DATABASE_URL, REDIS_URL, PORT…); API and worker read the same. */
export const qualitySettingsShape = {
  /** Month (1-12) academic years start in; terms are its two halves. */
  QUALITY_ACADEMIC_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(9),
  /** Distinct evaluators a released evaluation figure needs (k). */
  QUALITY_MIN_EVALUATORS: z.coerce.number().int().min(2).max(100).default(5),
  /** How often the worker looks for a requested rebuild. */
  QUALITY_REBUILD_POLL_MS: z.coerce.number().int().positive().default(2_000),
  /** How often the worker's job scheduler looks for periods that ended and freezes them. */
  QUALITY_SNAPSHOT_EVERY_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  /** Days after a period's last day before it is frozen (late end-of-rotation evaluations still count in it). */
  QUALITY_SNAPSHOT_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** Key that signs CSV export links: required in production (the default is in the repository, ADR 0053). */
  QUALITY_EXPORT_SECRET: z.string().min(16).default(DEV_EXPORT_SECRET),
  /**
   * Key of students' pseudonyms (HMAC-SHA-256, ADR 0047): held by quality alone, so a student id
   * does not lead to the figures that student counts in. Required in production; changing it
   * makes the worker rebuild the rollups (src/data/pseudonym-key.ts).
   */
  QUALITY_PSEUDONYM_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_PSEUDONYM_SECRET),
  /** How long an export link stays valid. */
  QUALITY_EXPORT_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Where this service's HTTP routes are reachable from outside (export links point here). */
  QUALITY_PUBLIC_URL: z.string().url().default('http://localhost:4007'),
};

export interface QualitySettings {
  academicYearStartMonth: number;
  minEvaluators: number;
  rebuildPollMs: number;
  snapshotEveryMs: number;
  snapshotGraceDays: number;
  exportSecret: string;
  exportTtlSeconds: number;
  publicUrl: string;
  pseudonymKey: string;
}

let cached: QualitySettings | undefined;

/** Read once from the environment; tests build their own and pass them in. */
export function qualitySettings(env: NodeJS.ProcessEnv = process.env): QualitySettings {
  if (cached && env === process.env) return cached;
  const c = loadConfig(qualitySettingsShape, env);
  // Keys anyone can read in the repository are refused in production (the kit's one rule).
  refuseRepositorySecrets(env.NODE_ENV, {
    QUALITY_PSEUDONYM_SECRET: c.QUALITY_PSEUDONYM_SECRET,
    QUALITY_EXPORT_SECRET: c.QUALITY_EXPORT_SECRET,
  });
  const settings: QualitySettings = {
    academicYearStartMonth: c.QUALITY_ACADEMIC_YEAR_START_MONTH,
    minEvaluators: c.QUALITY_MIN_EVALUATORS,
    rebuildPollMs: c.QUALITY_REBUILD_POLL_MS,
    snapshotEveryMs: c.QUALITY_SNAPSHOT_EVERY_MS,
    snapshotGraceDays: c.QUALITY_SNAPSHOT_GRACE_DAYS,
    exportSecret: c.QUALITY_EXPORT_SECRET,
    exportTtlSeconds: c.QUALITY_EXPORT_TTL_SECONDS,
    publicUrl: c.QUALITY_PUBLIC_URL,
    pseudonymKey: c.QUALITY_PSEUDONYM_SECRET,
  };
  if (env === process.env) cached = settings;
  return settings;
}

import { z } from 'zod';
import { loadConfig } from '@medcollab/kit';

/** Quality's own settings (on top of the kit's DATABASE_URL, REDIS_URL, PORT…); API and worker read the same. */
export const qualitySettingsShape = {
  /** Month (1-12) academic years start in; terms are its two halves. */
  QUALITY_ACADEMIC_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(9),
  /** Distinct evaluators a released evaluation figure needs (k). */
  QUALITY_MIN_EVALUATORS: z.coerce.number().int().min(2).max(100).default(5),
  /** How often the worker looks for a requested rebuild. */
  QUALITY_REBUILD_POLL_MS: z.coerce.number().int().positive().default(2_000),
};

export interface QualitySettings {
  academicYearStartMonth: number;
  minEvaluators: number;
  rebuildPollMs: number;
}

let cached: QualitySettings | undefined;

/** Read once from the environment; tests build their own and pass them in. */
export function qualitySettings(env: NodeJS.ProcessEnv = process.env): QualitySettings {
  if (cached && env === process.env) return cached;
  const c = loadConfig(qualitySettingsShape, env);
  const settings: QualitySettings = {
    academicYearStartMonth: c.QUALITY_ACADEMIC_YEAR_START_MONTH,
    minEvaluators: c.QUALITY_MIN_EVALUATORS,
    rebuildPollMs: c.QUALITY_REBUILD_POLL_MS,
  };
  if (env === process.env) cached = settings;
  return settings;
}

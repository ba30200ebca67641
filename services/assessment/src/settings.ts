import { z } from 'zod';
import { loadConfig, refuseRepositorySecrets } from '@medcollab/kit';

/** The evaluator pseudonyms' key on a developer's machine; production refuses it (kit's REPOSITORY_SECRETS). */
export const DEV_EVALUATOR_PSEUDONYM_KEY = 'local-only-evaluator-pseudonym-key';

/** Assessment's own settings (on top of the kit's DATABASE_URL, REDIS_URL, PORT…); API and worker read the same. */
export const assessmentSettingsShape = {
  /** Days after a placement completes that its three tasks are due. */
  ASSESSMENT_DUE_DAYS: z.coerce.number().int().min(1).max(120).default(14),
  /** Tasks an assessor may decline per academic year. */
  ASSESSMENT_DECLINE_LIMIT: z.coerce.number().int().min(0).max(1000).default(3),
  /** Tasks an assessor may be given per ISO week (the burden cap). */
  ASSESSMENT_WEEKLY_CAP: z.coerce.number().int().min(1).max(1000).default(10),
  /** Distinct evaluators an aggregate of evaluations needs before anyone sees it (k). */
  ASSESSMENT_MIN_EVALUATORS: z.coerce.number().int().min(2).max(100).default(5),
  /** Distinct blocks a teacher's first released aggregate must span. */
  ASSESSMENT_TEACHER_MIN_BLOCKS: z.coerce.number().int().min(1).max(20).default(2),
  /** Month (1-12) academic years start in. */
  ASSESSMENT_ACADEMIC_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(9),
  /**
   * Key of the evaluator pseudonym published with EvaluationSubmitted and with evaluation tasks'
   * events for quality (HMAC-SHA256 of the evaluator's id, ADR 0053): required in production (the
   * default is in the repository). Changing it makes every evaluator count anew in quality (an
   * evaluator on both sides counts twice): only between academic years, once the last one's
   * evaluation tasks are settled.
   */
  ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: z.string().min(16).default(DEV_EVALUATOR_PSEUDONYM_KEY),
  /** How often the worker marks overdue tasks EXPIRED. */
  ASSESSMENT_EXPIRY_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
};

export interface AssessmentSettings {
  dueDays: number;
  declineLimit: number;
  weeklyCap: number;
  minEvaluators: number;
  teacherMinBlocks: number;
  academicYearStartMonth: number;
  expiryIntervalMs: number;
  /** Read from the environment by the evaluation publisher (src/data/evaluation-event.ts). */
  evaluatorPseudonymKey?: string;
}

let cached: AssessmentSettings | undefined;

/** Read once from the environment; tests build their own and pass them in. */
export function assessmentSettings(env: NodeJS.ProcessEnv = process.env): AssessmentSettings {
  if (cached && env === process.env) return cached;
  const c = loadConfig(assessmentSettingsShape, env);
  // A key anyone can read in the repository is refused in production (the kit's one rule).
  refuseRepositorySecrets(env.NODE_ENV, { ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: c.ASSESSMENT_EVALUATOR_PSEUDONYM_KEY });
  const settings: AssessmentSettings = {
    dueDays: c.ASSESSMENT_DUE_DAYS,
    declineLimit: c.ASSESSMENT_DECLINE_LIMIT,
    weeklyCap: c.ASSESSMENT_WEEKLY_CAP,
    minEvaluators: c.ASSESSMENT_MIN_EVALUATORS,
    teacherMinBlocks: c.ASSESSMENT_TEACHER_MIN_BLOCKS,
    academicYearStartMonth: c.ASSESSMENT_ACADEMIC_YEAR_START_MONTH,
    expiryIntervalMs: c.ASSESSMENT_EXPIRY_INTERVAL_MS,
    evaluatorPseudonymKey: c.ASSESSMENT_EVALUATOR_PSEUDONYM_KEY,
  };
  if (env === process.env) cached = settings;
  return settings;
}

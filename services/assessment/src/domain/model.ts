/**
 * The assessment vocabulary. schema.graphql declares the same enums (test/schema.test.ts keeps
 * them equal); values are only ever added.
 */
export { SPECIALTIES, type Specialty } from '@medcollab/kit';

export const INSTRUMENT_KINDS = [
  'MINI_CEX',
  'DOPS',
  'OSCE_STATION',
  'CASE_ANALYSIS',
  'MULTISOURCE_FEEDBACK',
  'NOTSS',
  'EPA_ENTRUSTMENT',
  'SITE_EVALUATION',
  'TEACHER_EVALUATION',
] as const;
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number];

/** Learners evaluating their site or teacher: anonymous, released only in aggregate. */
export const EVALUATION_KINDS: readonly InstrumentKind[] = ['SITE_EVALUATION', 'TEACHER_EVALUATION'];
export const isEvaluationKind = (kind: InstrumentKind): boolean => EVALUATION_KINDS.includes(kind);

export const ASSESSMENT_PURPOSES = ['FORMATIVE', 'SUMMATIVE'] as const;
export type AssessmentPurpose = (typeof ASSESSMENT_PURPOSES)[number];

export const SCALE_TYPES = ['LIKERT', 'NOTSS', 'ENTRUSTMENT', 'CHECKLIST', 'NARRATIVE'] as const;
export type ScaleType = (typeof SCALE_TYPES)[number];

export const ENTRUSTMENT_MODES = ['RETROSPECTIVE', 'PROSPECTIVE'] as const;
export type EntrustmentMode = (typeof ENTRUSTMENT_MODES)[number];

export const TASK_STATUSES = ['PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Why a task exists: the three end-of-placement roles, or assigned by hand. */
export const TASK_ROLES = ['SUPERVISOR_ASSESSMENT', 'SITE_EVALUATION', 'TEACHER_EVALUATION', 'ASSIGNED'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const SUBMISSION_STATUSES = ['DRAFT', 'SUBMITTED'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const SAMPLING_REASONS = ['WEEKLY_CAP', 'DISPLACED', 'NO_SUPERVISOR'] as const;
export type SamplingReason = (typeof SAMPLING_REASONS)[number];

export const LEVEL_RULES = ['MEAN', 'MEDIAN_OF_RECENT', 'LATEST_HIGHEST', 'PROPORTION_DONE'] as const;
export type LevelRule = (typeof LEVEL_RULES)[number];

export const PROGRESS_TRENDS = ['IMPROVING', 'STABLE', 'DECLINING', 'INSUFFICIENT_EVIDENCE'] as const;
export type ProgressTrend = (typeof PROGRESS_TRENDS)[number];

export const COMPETENCY_DOMAINS = ['TECHNICAL', 'NON_TECHNICAL'] as const;
export type CompetencyDomain = (typeof COMPETENCY_DOMAINS)[number];

export const WITHHELD_REASONS = ['TOO_FEW_EVALUATORS', 'TOO_FEW_BLOCKS'] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

export const SUPPRESSION_REASONS = ['TOO_FEW_EVALUATORS', 'COMPLEMENTARY'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * What quality keeps, one name per figure. Evaluation metrics (learners' evaluations of sites
 * and teachers) are anonymity-protected wherever they are shown; the others are process figures
 * about staff and placements and are shown as they are.
 */
export const METRICS = [
  'SITE_SCORE',
  'TEACHER_SCORE',
  'TASKS_ASSIGNED',
  'TASKS_ON_TIME',
  'TASKS_LATE',
  'TASKS_DECLINED',
  'TASKS_EXPIRED',
  'TASKS_WITHDRAWN',
  'TASKS_CANCELLED',
  'TASKS_OPEN',
  'DAYS_TO_SUBMIT',
  'PLACEMENTS',
  'PLACEMENTS_COMPLETED',
  'PLACEMENTS_CANCELLED',
  'SEATS_OFFERED',
  'SEATS_FILLED',
  'FIRST_CHOICE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
  'SWAPS_APPROVED',
  'COMPETENCY_SCORE',
  'ENTRUSTMENT_LEVEL',
  'BELOW_EXPECTED',
  'READINESS',
  'MEETINGS_PER_MENTEE',
  'MENTEES_WITHOUT_MEETING',
  'MENTOR_MEETINGS',
  'GOALS_SET',
  'GOALS_ACHIEVED',
] as const;
export type Metric = (typeof METRICS)[number];

/**
 * The protected metrics: learners' evaluations of sites and teachers (k distinct evaluators),
 * learner outcomes and the per-mentee mentorship figures (k distinct students, so no figure is
 * one student's results or meetings). All count distinct contributors through a keyed pseudonym
 * and are protected the same way everywhere (blocks with their terms and year, revisions).
 */
export const EVALUATION_METRICS: ReadonlySet<Metric> = new Set([
  'SITE_SCORE',
  'TEACHER_SCORE',
  'COMPETENCY_SCORE',
  'ENTRUSTMENT_LEVEL',
  'BELOW_EXPECTED',
  'READINESS',
  'MEETINGS_PER_MENTEE',
  'MENTEES_WITHOUT_MEETING',
  'FIRST_CHOICE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
]);
export const isEvaluationMetric = (m: Metric): boolean => EVALUATION_METRICS.has(m);

/**
 * Learner outcomes, kept for the network, per program and per cohort from students'
 * assessments: results per competency (item = the competency), the share of students below the
 * expected level (per block, term and year) and readiness per post profile (item = the profile).
 */
export const LEARNER_METRICS: ReadonlySet<Metric> = new Set(['COMPETENCY_SCORE', 'ENTRUSTMENT_LEVEL', 'BELOW_EXPECTED', 'READINESS']);

/**
 * Mentorship figures (src/domain/mentorship-contributions.ts): kept for the network only, per
 * school cohort, in blocks (the school's rotation blocks, from the sweep's block markers), terms
 * and years. The per-mentee ones are protected (EVALUATION_METRICS).
 */
export const MENTORSHIP_METRICS: ReadonlySet<Metric> = new Set([
  'MEETINGS_PER_MENTEE',
  'MENTEES_WITHOUT_MEETING',
  'MENTOR_MEETINGS',
  'GOALS_SET',
  'GOALS_ACHIEVED',
]);

/**
 * Where a figure is kept: network → institution (hospital) → department → teacher in that
 * department, and network → program → cohort (learner outcomes); STAFF is a teacher across departments
 * (their own view).
 */
export const SCOPE_KINDS = ['NETWORK', 'INSTITUTION', 'DEPARTMENT', 'TEACHER', 'STAFF', 'PROGRAM', 'COHORT'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The child scope kinds of a drill-down step (the network has hospitals and, for learner outcomes, programs). */
export const CHILD_KINDS: Partial<Record<ScopeKind, ScopeKind[]>> = {
  NETWORK: ['INSTITUTION', 'PROGRAM'],
  INSTITUTION: ['DEPARTMENT'],
  DEPARTMENT: ['TEACHER'],
  PROGRAM: ['COHORT'],
};

/** The NETWORK scope's id, and the "all schools" cohort. */
export const NETWORK_ID = 'network';
export const ALL_SCHOOLS = '*';

/** A TEACHER cell is one teacher in one department (so departments add up); its id names both. */
export const teacherScopeId = (departmentId: string, teacherId: string): string => `${departmentId}/${teacherId}`;
export const teacherOf = (scopeId: string): string => scopeId.split('/')[1] ?? scopeId;

/** A COHORT cell is one entry year of one program (so programs add up); its id names both. */
export const cohortScopeId = (programId: string, cohortYear: number): string => `${programId}/${cohortYear}`;
export const cohortOf = (scopeId: string): { programId: string; cohortYear: number } => {
  const [programId, year] = scopeId.split('/');
  return { programId: programId ?? scopeId, cohortYear: Number(year) };
};

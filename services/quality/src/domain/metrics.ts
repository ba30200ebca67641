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
  'DAYS_TO_SUBMIT',
  'PLACEMENTS',
  'PLACEMENTS_COMPLETED',
  'PLACEMENTS_CANCELLED',
] as const;
export type Metric = (typeof METRICS)[number];

export const EVALUATION_METRICS: ReadonlySet<Metric> = new Set(['SITE_SCORE', 'TEACHER_SCORE']);
export const isEvaluationMetric = (m: Metric): boolean => EVALUATION_METRICS.has(m);

/**
 * Where a figure is kept: network → institution (hospital) → department → teacher in that
 * department; STAFF is a teacher across departments (their own view).
 */
export const SCOPE_KINDS = ['NETWORK', 'INSTITUTION', 'DEPARTMENT', 'TEACHER', 'STAFF'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The child scope kind of a drill-down step. */
export const CHILD_KIND: Partial<Record<ScopeKind, ScopeKind>> = {
  NETWORK: 'INSTITUTION',
  INSTITUTION: 'DEPARTMENT',
  DEPARTMENT: 'TEACHER',
};

/** The NETWORK scope's id, and the "all schools" cohort. */
export const NETWORK_ID = 'network';
export const ALL_SCHOOLS = '*';

/** A TEACHER cell is one teacher in one department (so departments add up); its id names both. */
export const teacherScopeId = (departmentId: string, teacherId: string): string => `${departmentId}/${teacherId}`;
export const teacherOf = (scopeId: string): string => scopeId.split('/')[1] ?? scopeId;

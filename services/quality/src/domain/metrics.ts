/**
 * What quality keeps, one name per figure. Evaluation metrics (learners' evaluations of sites
 * and teachers) are anonymity-protected wherever they are shown; the others are process figures
 * about staff and placements and are shown as they are.
 */
export const METRICS = [
  'SITE_SCORE',
  'TEACHER_SCORE',
  'SITE_SCORE_BY_MODULE',
  'TEACHER_SCORE_BY_MODULE',
  'TASKS_ASSIGNED',
  'TASKS_ON_TIME',
  'TASKS_LATE',
  'TASKS_DECLINED',
  'TASKS_EXPIRED',
  'TASKS_WITHDRAWN',
  'TASKS_CANCELLED',
  'TASKS_OPEN',
  'DAYS_TO_SUBMIT',
  'REMINDERS_PER_TASK',
  'ESCALATIONS_PER_TASK',
  'PLACEMENTS',
  'PLACEMENTS_COMPLETED',
  'PLACEMENTS_CANCELLED',
  'PLACEMENTS_CANCELLED_SHARE',
  'SPECIALTY_PLACEMENTS',
  'SPECIALTY_PLACEMENTS_CANCELLED',
  'SPECIALTY_PLACEMENTS_CANCELLED_SHARE',
  'SEATS_OFFERED',
  'SEATS_FILLED',
  'FIRST_CHOICE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
  'SWAPS_APPROVED',
  'SPECIALTY_SWAPS_APPROVED',
  'RUN_SEATS_OFFERED',
  'RUN_SEATS_FILLED',
  'RUN_FIRST_CHOICE',
  'RUN_PREFERENCE_RANK',
  'RUN_PLACED_UNRANKED',
  'RUN_SPECIALTY_SEATS_OFFERED',
  'RUN_SPECIALTY_SEATS_FILLED',
  'RUN_SPECIALTY_FIRST_CHOICE',
  'RUN_SPECIALTY_PREFERENCE_RANK',
  'RUN_SPECIALTY_PLACED_UNRANKED',
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
  'SITE_SCORE_BY_MODULE',
  'TEACHER_SCORE_BY_MODULE',
  'COMPETENCY_SCORE',
  'ENTRUSTMENT_LEVEL',
  'BELOW_EXPECTED',
  'READINESS',
  'MEETINGS_PER_MENTEE',
  'MENTEES_WITHOUT_MEETING',
  'FIRST_CHOICE',
  'PREFERENCE_RANK',
  'PLACED_UNRANKED',
  'RUN_FIRST_CHOICE',
  'RUN_PREFERENCE_RANK',
  'RUN_PLACED_UNRANKED',
  'RUN_SPECIALTY_FIRST_CHOICE',
  'RUN_SPECIALTY_PREFERENCE_RANK',
  'RUN_SPECIALTY_PLACED_UNRANKED',
]);
export const isEvaluationMetric = (m: Metric): boolean => EVALUATION_METRICS.has(m);

/**
 * The protected metrics whose contributors are students pseudonymised by quality itself
 * (QUALITY_PSEUDONYM_SECRET, ADR 0047): all but learners' evaluations of sites and teachers,
 * whose evaluators come pseudonymised by assessment under its own key.
 */
export const keyedByQuality = (m: Metric): boolean =>
  EVALUATION_METRICS.has(m) && !['SITE_SCORE', 'TEACHER_SCORE', 'SITE_SCORE_BY_MODULE', 'TEACHER_SCORE_BY_MODULE'].includes(m);

/**
 * Allocation figures per run (ADR 0030, point 7): like SEATS_OFFERED … PLACED_UNRANKED, but for
 * every published run, superseded ones too, with the run's id as the item — so each run is its
 * own protected tree. Read through `allocationRuns`, which names the runs. The RUN_SPECIALTY_*
 * ones are the same placements along network → specialty (ADR 0043): a second partition of the
 * network, so metrics of their own; `allocationRuns` shows them as the RUN_* figures of its
 * SPECIALTY rows, protected together with the departments they add up (domain/run-specialties.ts).
 */
export const RUN_METRICS = [
  'RUN_SEATS_OFFERED',
  'RUN_SEATS_FILLED',
  'RUN_FIRST_CHOICE',
  'RUN_PREFERENCE_RANK',
  'RUN_PLACED_UNRANKED',
  'RUN_SPECIALTY_SEATS_OFFERED',
  'RUN_SPECIALTY_SEATS_FILLED',
  'RUN_SPECIALTY_FIRST_CHOICE',
  'RUN_SPECIALTY_PREFERENCE_RANK',
  'RUN_SPECIALTY_PLACED_UNRANKED',
] as const satisfies readonly Metric[];
const RUN_METRIC_SET: ReadonlySet<Metric> = new Set(RUN_METRICS);
export const isRunMetric = (m: Metric): boolean => RUN_METRIC_SET.has(m);
/**
 * What reports, trends, exports, alerts and benchmarks offer: every metric but the RUN_* ones,
 * which are read only through `allocationRuns` — there a standing run's figures are guarded
 * against the standing figures of the same report (domain/run-guard.ts), which a report of the
 * RUN_* metrics alone would not do.
 */
export const REPORT_METRICS: readonly Metric[] = METRICS.filter((m) => !RUN_METRIC_SET.has(m));

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
 * Teaching quality per program and module (ADR 0031): the same evaluations as SITE_SCORE and
 * TEACHER_SCORE, counted again along the school's curriculum — network → the evaluating
 * student's program → the module the placement belongs to (or "no module") — so a school's
 * quality office drills down school → program → module. Separate metrics, because the network
 * splits the same evaluations twice (by hospital, by program): each metric's tree then holds
 * one partition, and its parent is exactly the sum of its children, as the protection assumes.
 */
export const MODULE_TEACHING_METRICS: ReadonlySet<Metric> = new Set(['SITE_SCORE_BY_MODULE', 'TEACHER_SCORE_BY_MODULE']);

/**
 * Placements, cancellations and approved swaps along network → specialty (ADR 0047): the same
 * placements and swaps as PLACEMENTS, PLACEMENTS_CANCELLED, PLACEMENTS_CANCELLED_SHARE and
 * SWAPS_APPROVED, counted again at the specialty of their department (as rotations published it
 * with the event), so a network's figures read per specialty across hospitals. A second partition
 * of the network, hence metrics of their own (ADR 0031): under one metric the network row would
 * be the sum of its hospitals and its specialties, twice itself.
 */
export const SPECIALTY_PLACEMENT_METRICS = {
  PLACEMENTS: 'SPECIALTY_PLACEMENTS',
  PLACEMENTS_CANCELLED: 'SPECIALTY_PLACEMENTS_CANCELLED',
  PLACEMENTS_CANCELLED_SHARE: 'SPECIALTY_PLACEMENTS_CANCELLED_SHARE',
  SWAPS_APPROVED: 'SPECIALTY_SWAPS_APPROVED',
} as const satisfies Partial<Record<Metric, Metric>>;

/**
 * Where a figure is kept: network → institution (hospital) → department → teacher in that
 * department, network → program → cohort and → module (learner outcomes: both partitions of a
 * program, ADR 0043; teaching quality along the curriculum: modules only), and network →
 * specialty (allocation runs per specialty across hospitals, ADR 0043; placements, cancellations
 * and swaps, ADR 0047); STAFF is a teacher
 * across departments (their own view).
 */
export const SCOPE_KINDS = [
  'NETWORK',
  'INSTITUTION',
  'DEPARTMENT',
  'TEACHER',
  'STAFF',
  'PROGRAM',
  'COHORT',
  'MODULE',
  'SPECIALTY',
] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The child scope kinds of a drill-down step (the network has hospitals and, for learner outcomes, programs). */
export const CHILD_KINDS: Partial<Record<ScopeKind, ScopeKind[]>> = {
  NETWORK: ['INSTITUTION', 'PROGRAM', 'SPECIALTY'],
  INSTITUTION: ['DEPARTMENT'],
  DEPARTMENT: ['TEACHER'],
  PROGRAM: ['COHORT', 'MODULE'],
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

/**
 * A MODULE cell is one module of one program (so a program's modules add up to it); its id names
 * both. NO_MODULE stands for the program's evaluations whose placement belongs to none of its
 * modules, so that no part of the program is left out of the sum.
 */
export const NO_MODULE = 'none';
export const moduleScopeId = (programId: string, moduleId: string | null): string => `${programId}/${moduleId ?? NO_MODULE}`;
export const moduleOf = (scopeId: string): { programId: string; moduleId: string | null } => {
  const [programId, moduleId] = scopeId.split('/');
  return { programId: programId ?? scopeId, moduleId: !moduleId || moduleId === NO_MODULE ? null : moduleId };
};

/**
 * A SPECIALTY cell is one specialty across the network's hospitals (allocation runs, ADR 0043);
 * its id is the specialty's name as the network names it (SURGERY, PEDIATRICS, …), or
 * NO_SPECIALTY for departments without one, so that the network's specialties add up to it.
 */
export const NO_SPECIALTY = 'UNSPECIFIED';
export const specialtyScopeId = (specialty: string | null | undefined): string => specialty || NO_SPECIALTY;

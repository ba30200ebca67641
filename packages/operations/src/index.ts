/**
 * The dashboard operations of issue 16, as clients send them: named queries with variables.
 * One list for every place that sends them — the gateway's query-plan test, the scale tests'
 * statement counts and `pnpm bench:operations` — so a test and the bench never measure two
 * different documents under one name. Each operation has its document, the role that opens it
 * in the bench, the subgraph that answers it alone (when one does) and a builder of its
 * variables from the subject it is about.
 */
export interface DashboardOperation<Subject> {
  /** Short key (`--ops` of the bench). */
  key: string;
  /** What people read in figures. */
  title: string;
  /** The operation's name in its document (sent as `operationName`). */
  operationName: string;
  query: string;
  /** Set when one subgraph answers the whole operation: the bench also sends it there directly. */
  owner?: string;
  /** The variables for one subject. */
  variables: (subject: Subject) => Record<string, unknown>;
  /**
   * Fields whose FORBIDDEN is the policy's answer, not a failure (the scale tests treat it so):
   * an answer whose every error is FORBIDDEN at one of these fields is a served request.
   */
  policyRefusals?: readonly string[];
}

/** An academic year as the quality figures' period. */
const yearPeriod = (academicYear: string) => ({ kind: 'YEAR', id: academicYear });

/**
 * 1. A coordinator's block board: a block's placements with student, department, hospital and
 * supervisor. The supervisor by id only: a school's coordinator may not read a hospital's staff,
 * and a dashboard asks for what its reader may see.
 */
export const BLOCK_BOARD: DashboardOperation<{ blockId: string; first: number }> = {
  key: 'blockBoard',
  title: '1 block board (200 rows)',
  operationName: 'BlockBoard',
  query: `query BlockBoard($blockId: ID!, $first: Int!) {
  placements(filter: { blockId: $blockId }, first: $first) {
    totalCount
    edges { node { id status startsOn endsOn
      student { id givenName familyName }
      department { id name specialty }
      hospital { id name }
      supervisor { id } } }
  }
}`,
  variables: ({ blockId, first }) => ({ blockId, first }),
};

/** 2. A student's portfolio: placements, tasks, competency progress, readiness, mentorships and goals. */
export const PORTFOLIO: DashboardOperation<{ studentId: string; postProfileId: string }> = {
  key: 'portfolio',
  title: '2 student portfolio',
  operationName: 'StudentPortfolio',
  query: `query StudentPortfolio($studentId: ID!, $postProfileId: ID!) {
  student(id: $studentId) {
    id givenName familyName school { name }
    placements { id status startsOn endsOn department { name } hospital { name } block { name } }
    assessmentTasks { id status dueAt instrument { title kind } }
    competencyProgress { id competency { id } headline { level normalized } evidenceCount trend }
    readiness(postProfileId: $postProfileId) { score requirementCount metCount }
    mentorships { id status format mentor { givenName familyName } meetingCount }
    developmentGoals { id title status targetDate }
  }
}`,
  variables: ({ studentId, postProfileId }) => ({ studentId, postProfileId }),
};

/** 3. A hospital department's page: current placements, their tasks, its quality figures for a year. */
export const DEPARTMENT_PAGE: DashboardOperation<{ departmentId: string; academicYear: string }> = {
  key: 'departmentPage',
  title: '3 hospital department page',
  operationName: 'DepartmentPage',
  query: `query DepartmentPage($departmentId: ID!, $period: QualityPeriodInput!) {
  department(id: $departmentId) {
    id name specialty institution { name }
    placements { id status startsOn student { givenName familyName } assessmentTasks { id status dueAt } }
    quality(period: $period) { key figures { metric released count mean } }
  }
}`,
  variables: ({ departmentId, academicYear }) => ({ departmentId, period: yearPeriod(academicYear) }),
};

/** 4. An assessor's task inbox: a page of tasks with their instruments' items and the student. */
export const TASK_INBOX: DashboardOperation<{ first: number }> = {
  key: 'taskInbox',
  title: '4 assessor task inbox (50)',
  operationName: 'TaskInbox',
  // A task's student once the placement's access has ended (docs/architecture.md §4): the
  // assessor still sees the task, not the student; on a generated world most full pages hold some.
  policyRefusals: ['subjectStudent'],
  query: `query TaskInbox($first: Int!) {
  myAssessmentTasks(first: $first) {
    edges { node { id status dueAt week role
      instrument { id title kind items { key label required } }
      subjectStudent { id givenName familyName } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  variables: ({ first }) => ({ first }),
};

/**
 * What a hospital's quality office reads in its year report: teaching quality (sites, teachers)
 * and the assessment process. The report of every metric is ~40 figures per row; quality
 * computes and protects every metric once and serves the slice asked (ADR 0048).
 */
export const QUALITY_OFFICE_METRICS = [
  'SITE_SCORE',
  'TEACHER_SCORE',
  'TASKS_ASSIGNED',
  'TASKS_ON_TIME',
  'TASKS_LATE',
  'DAYS_TO_SUBMIT',
  'PLACEMENTS',
] as const;

/** 5. A quality office's report for a hospital's year, drilled down to its departments and teachers. */
export const QUALITY_REPORT: DashboardOperation<{ hospitalId: string; academicYear: string }> = {
  key: 'qualityReport',
  title: "5 quality report (hospital's year)",
  operationName: 'QualityReport',
  owner: 'quality',
  query: `query QualityReport($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    minimumEvaluators
    root { key figures { metric released suppression count mean median evaluatorCount } }
    rows { key depth figures { metric released suppression count mean } }
  }
}`,
  variables: ({ hospitalId, academicYear }) => ({
    scope: { kind: 'INSTITUTION', id: hospitalId },
    period: yearPeriod(academicYear),
    metrics: QUALITY_OFFICE_METRICS,
  }),
};

/** How many departments each institution and agreement row of 6a shows (with how many there are in all). */
export const DEPARTMENTS_PER_ROW = 5;

/**
 * 6a. A network admin's institutions and agreements, a page of each; each row with its first
 * departments and their number (ADR 0056: a row of a large hospital no longer carries all its
 * departments, so the answer and its cost stay the same as hospitals grow).
 */
export const INSTITUTIONS_AND_AGREEMENTS: DashboardOperation<{ first: number; departments?: number }> = {
  key: 'institutionsAgreements',
  title: '6a institutions + agreements (pages of 50)',
  operationName: 'InstitutionsAndAgreements',
  owner: 'network',
  query: `query InstitutionsAndAgreements($first: Int!, $departments: Int!) {
  institutionsPage(first: $first) {
    totalCount
    edges { node { id name kind departmentsPage(first: $departments) { totalCount edges { node { id name specialty } } } } }
    pageInfo { hasNextPage endCursor }
  }
  agreementsPage(first: $first) {
    totalCount
    edges { node { id status startsOn endsOn school { name } hospital { name } departmentsPage(first: $departments) { totalCount edges { node { name } } } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  variables: ({ first, departments = DEPARTMENTS_PER_ROW }) => ({ first, departments }),
};

/** 6b. A students page with each student's school. */
export const STUDENTS_PAGE: DashboardOperation<{ first: number }> = {
  key: 'studentsPage',
  title: '6b students page (50) with school',
  operationName: 'StudentsPage',
  owner: 'network',
  query: `query StudentsPage($first: Int!) {
  students(first: $first) { totalCount edges { node { id givenName familyName cohortYear school { name } } } pageInfo { hasNextPage endCursor } }
}`,
  variables: ({ first }) => ({ first }),
};

/** Every dashboard operation, in the order. */
export const DASHBOARD_OPERATIONS = [
  BLOCK_BOARD,
  PORTFOLIO,
  DEPARTMENT_PAGE,
  TASK_INBOX,
  QUALITY_REPORT,
  INSTITUTIONS_AND_AGREEMENTS,
  STUDENTS_PAGE,
] as const;

/** Any one of them, whatever its subject. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDashboardOperation = DashboardOperation<any>;

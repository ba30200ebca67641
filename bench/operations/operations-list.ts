/**
 * The six dashboard operations of issue #16 (the sixth in two parts), each a named query with
 * variables sent the way a client sends it, the role that opens it, and (for the ones a single
 * subgraph answers) the subgraph that owns it.
 */
export interface BenchOperation {
  key: string;
  title: string;
  query: string;
  /** Set when one subgraph answers the whole operation: the bench also sends it there directly. */
  owner?: string;
}

export const OPERATIONS: BenchOperation[] = [
  {
    key: 'blockBoard',
    title: '1 block board (200 rows)',
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
  },
  {
    key: 'portfolio',
    title: '2 student portfolio',
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
  },
  {
    key: 'departmentPage',
    title: '3 hospital department page',
    query: `query DepartmentPage($departmentId: ID!, $period: QualityPeriodInput!) {
  department(id: $departmentId) {
    id name specialty institution { name }
    placements { id status startsOn student { givenName familyName } assessmentTasks { id status dueAt } }
    quality(period: $period) { key figures { metric released count mean } }
  }
}`,
  },
  {
    key: 'taskInbox',
    title: '4 assessor task inbox (50)',
    query: `query TaskInbox($first: Int!) {
  myAssessmentTasks(first: $first) {
    edges { node { id status dueAt week role
      instrument { id title kind items { key label required } }
      subjectStudent { id givenName familyName } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    key: 'qualityReport',
    title: "5 quality report (hospital's year)",
    owner: 'quality',
    query: `query QualityReport($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period) {
    minimumEvaluators
    root { key figures { metric released suppression count mean median evaluatorCount } }
    rows { key depth figures { metric released suppression count mean } }
  }
}`,
  },
  {
    key: 'institutionsAgreements',
    title: '6a institutions + agreements (pages of 50)',
    owner: 'network',
    query: `query InstitutionsAndAgreements($first: Int!) {
  institutionsPage(first: $first) { totalCount edges { node { id name kind departments { id name specialty } } } pageInfo { hasNextPage endCursor } }
  agreementsPage(first: $first) {
    totalCount
    edges { node { id status startsOn endsOn school { name } hospital { name } departments { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    key: 'studentsPage',
    title: '6b students page (50) with school',
    owner: 'network',
    query: `query StudentsPage($first: Int!) {
  students(first: $first) { totalCount edges { node { id givenName familyName cohortYear school { name } } } pageInfo { hasNextPage endCursor } }
}`,
  },
];

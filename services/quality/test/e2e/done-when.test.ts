import { createHash, randomUUID } from 'node:crypto';
import { createAssessmentSubgraph } from '@medcollab/assessment';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { AssessmentTaskAssigned, AssessmentTaskSubmitted, createOutbox, EvaluationSubmitted } from '@medcollab/events';
import { type Role } from '@medcollab/kit';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { countRows, e2eClient, type Pipeline, startPipeline, tokenFor, waitFor } from '@medcollab/testing';
import { qualityEventHandlers } from '../../src/projections';
import { createQualitySubgraph } from '../../src/server';
import { rebuildTask } from '../../src/tasks/rebuild-task';
import { snapshotTask } from '../../src/tasks/snapshot-task';
import { TEST_SETTINGS } from '../support/harness';

/**
 * Issue 13's "Done when", end to end: as the demo's quality officer of Northbridge General
 * (the demo's first hospital), through the real gateway on the demo world — the hospital's
 * year report drilled down to its departments and teachers (named by the network subgraph),
 * a trend across two blocks, the peer percentile, an alert that fired as the figures arrived,
 * the report's CSV downloaded from the signed link, and the same numbers after a rebuild
 * (`rebuildQualityRollups`, run by the worker's task).
 *
 * The demo network is seeded by the network service and reaches quality through the real relay
 * and queues (agreements, departments' specialties, time zones). The learners' evaluations and
 * the assessment tasks are assessment's events, written to assessment's outbox in the contract
 * assessment publishes (EvaluationSubmitted, AssessmentTask*) and relayed by its worker like any
 * other: eleven students' evaluations per teacher through the submission flow would add nothing
 * to what quality is asked here (services/assessment/test/evaluations.test.ts covers the
 * producing side).
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);
const assessmentOutbox = createOutbox('assessment');

const YEAR = '2026-2027';
const B1 = randomUUID();
const B2 = randomUUID();
let hospital: string;
let departments: { id: string; name: string }[];
let teachers: { id: string; departmentId: string }[];

const pseudonym = (label: string) => createHash('sha256').update(label).digest('hex');

beforeAll(async () => {
  const assessmentSettings = {
    dueDays: 14,
    declineLimit: 2,
    weeklyCap: 10,
    minEvaluators: 5,
    teacherMinBlocks: 2,
    academicYearStartMonth: 9,
    expiryIntervalMs: 60_000,
  };
  p = await startPipeline([
    { module: networkSubgraph },
    { module: createAssessmentSubgraph(assessmentSettings) },
    {
      module: createQualitySubgraph(TEST_SETTINGS),
      handlers: qualityEventHandlers(TEST_SETTINGS),
      tasks: [snapshotTask(TEST_SETTINGS), rebuildTask(TEST_SETTINGS)],
    },
  ]);
  demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  hospital = demo.hospitalCoordinator.institutionId as string;
  const network = p.subgraphs.network!.dataSource;
  const [officer] = (await network.query(
    `SELECT id, roles FROM staff_member WHERE institution_id = $1 AND 'QUALITY_OFFICER' = ANY(roles) ORDER BY id LIMIT 1`,
    [hospital],
  )) as { id: string; roles: Role[] }[];
  tokens.quality = await tokenFor({ personId: officer!.id, institutionId: hospital, roles: officer!.roles });
  tokens.admin = await tokenFor({
    personId: demo.networkAdmin.id,
    institutionId: demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });
  const other = demo.hospitals.find((h) => h.id !== hospital)!;
  tokens.otherQuality = await tokenFor({ institutionId: other.id, roles: ['QUALITY_OFFICER'] });
  tokens.instructor = await tokenFor({
    personId: demo.clinicalInstructor.id,
    institutionId: hospital,
    roles: ['CLINICAL_INSTRUCTOR'],
  });
  // Two of the hospital's departments with clinical instructors, two instructors in the first.
  teachers = (
    (await network.query(
      `SELECT id, department_id FROM staff_member
        WHERE institution_id = $1 AND 'CLINICAL_INSTRUCTOR' = ANY(roles) AND department_id IS NOT NULL ORDER BY department_id, id`,
      [hospital],
    )) as { id: string; department_id: string }[]
  ).map((t) => ({ id: t.id, departmentId: t.department_id }));
  const byDepartment = [...new Set(teachers.map((t) => t.departmentId))].filter(
    (d) => teachers.filter((t) => t.departmentId === d).length >= 1,
  );
  const withTwo = byDepartment.find((d) => teachers.filter((t) => t.departmentId === d).length >= 2)!;
  const second = byDepartment.find((d) => d !== withTwo)!;
  departments = (
    (await network.query(`SELECT id, name FROM department WHERE id = ANY($1)`, [[withTwo, second]])) as { id: string; name: string }[]
  ).sort((a, b) => [withTwo, second].indexOf(a.id) - [withTwo, second].indexOf(b.id));
  teachers = [...teachers.filter((t) => t.departmentId === withTwo).slice(0, 2), teachers.find((t) => t.departmentId === second)!];
  await waitFor(
    "quality to learn the demo network's agreements and departments",
    async () =>
      (await countRows(
        p.subgraphs.quality!.dataSource,
        `SELECT count(*)::int AS n FROM known_department WHERE hospital_id = $1 AND id = ANY($2)`,
        [hospital, departments.map((d) => d.id)],
      )) === 2,
  );
});
afterAll(() => p?.stop());

/** Teacher evaluations: `n` distinct students of `score` in a block, dated in the block's weeks. */
function evaluations(teacher: { id: string; departmentId: string }, block: string, date: string, n: number, score: number) {
  return Array.from({ length: n }, (_, i) => {
    const submissionId = randomUUID();
    return {
      aggregateId: submissionId,
      payload: {
        submissionId,
        kind: 'TEACHER_EVALUATION' as const,
        evaluatorPseudonym: pseudonym(`${teacher.id}/${block}/${i}`),
        schoolId: demo.schools[0]!.id,
        hospitalId: hospital,
        departmentId: teacher.departmentId,
        teacherId: teacher.id,
        blockId: block,
        placementId: randomUUID(),
        academicYear: YEAR,
        submittedAt: `${date}T10:00:00.000Z`,
        itemScores: [
          { itemKey: 'explains', label: 'Explains', value: score, min: 1, max: 5 },
          { itemKey: 'feedback', label: 'Gives feedback', value: score, min: 1, max: 5 },
        ],
      },
    };
  });
}

/** Assessment tasks of a department's teacher in a block: `late` of them submitted after their due date. */
async function tasks(
  em: Parameters<typeof assessmentOutbox.append>[0],
  teacher: { id: string; departmentId: string; hospitalId?: string },
  block: string,
  onTime: number,
  late: number,
) {
  for (let i = 0; i < onTime + late; i++) {
    const taskId = randomUUID();
    const facts = {
      taskId,
      assessorId: teacher.id,
      role: 'SUPERVISOR_ASSESSMENT' as const,
      instrumentId: randomUUID(),
      instrumentKind: 'MINI_CEX' as const,
      instrumentTitle: 'Mini-CEX',
      purpose: 'FORMATIVE' as const,
      studentId: randomUUID(),
      schoolId: demo.schools[0]!.id,
      subjectStaffId: null,
      departmentId: teacher.departmentId,
      placementId: randomUUID(),
      hospitalId: teacher.hospitalId ?? hospital,
      blockId: block,
      dueAt: '2026-10-15T00:00:00.000Z',
    };
    await assessmentOutbox.append(em, AssessmentTaskAssigned, taskId, { ...facts, assignedAt: '2026-10-01T00:00:00.000Z' });
    await assessmentOutbox.append(em, AssessmentTaskSubmitted, taskId, {
      ...facts,
      submittedAt: i < onTime ? '2026-10-10T00:00:00.000Z' : '2026-10-20T00:00:00.000Z',
    });
  }
}

const FIG = 'metric item released suppression count mean evaluatorCount';
const ROW = `key scope { kind id department { id name } teacher { id givenName familyName } } figures { ${FIG} }`;
const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    source { kind } minimumEvaluators
    root { ${ROW} children { ${ROW} children { ${ROW} } } } } }`;
const METRICS = ['TEACHER_SCORE', 'TASKS_ASSIGNED', 'TASKS_ON_TIME', 'TASKS_LATE'];
const yearReport = async (who = 'quality') =>
  (await data(who, REPORT, { scope: { kind: 'INSTITUTION', id: hospital }, period: { kind: 'YEAR', id: YEAR }, metrics: METRICS }))
    .qualityReport;

type Fig = { metric: string; item: string | null; released: boolean; count: number | null; mean: number | null };
type Row = {
  key: string;
  scope: { kind: string; id: string; department: { name: string } | null; teacher: { id: string; familyName: string } | null };
  figures: Fig[];
  children: Row[];
};
/** Waits until quality has applied `n` of assessment's events (its history, applied_event). */
const waitForApplied = (n: number) =>
  waitFor(
    `quality to apply ${n} events`,
    async () => (await countRows(p.subgraphs.quality!.dataSource, `SELECT count(*)::int AS n FROM applied_event`)) === n,
  );
const fig = (row: Row, metric: string) => row.figures.find((f) => f.metric === metric && f.item === null)!;

describe("issue 13, done when: the demo's hospital quality officer through the gateway", () => {
  it('fires an alert rule on the figures there when it is set, and again as later figures cross it', async () => {
    // Assessment's events: block 1 (October) and block 2 (November) of the demo hospital's two departments.
    const [t1, t2, t3] = teachers as [(typeof teachers)[0], (typeof teachers)[0], (typeof teachers)[0]];
    await p.subgraphs.assessment!.dataSource.transaction(async (em) => {
      for (const [teacher, block, date, n, score] of [
        [t1, B1, '2026-10-20', 6, 4],
        [t1, B2, '2026-11-20', 5, 3],
        [t2, B1, '2026-10-21', 5, 5],
        [t2, B2, '2026-11-21', 5, 4],
        [t3, B1, '2026-10-22', 5, 2],
        [t3, B2, '2026-11-22', 6, 3],
      ] as const)
        await assessmentOutbox.appendMany(em, EvaluationSubmitted, evaluations(teacher, block, date, n, score));
      // The first department: 1 of 4 tasks on time in block 1 (below 70 %); the second: 3 of 3.
      await tasks(em, t1, B1, 1, 3);
      await tasks(em, t3, B1, 3, 0);
    });
    // 32 evaluations and 7 tasks (assigned, then submitted).
    await waitForApplied(32 + 14);

    const rule = await data(
      'quality',
      `mutation($input: CreateQualityAlertRuleInput!) { createQualityAlertRule(input: $input) { id metric threshold } }`,
      {
        input: {
          institutionId: hospital,
          metric: 'TASKS_ON_TIME',
          scopeKind: 'DEPARTMENT',
          periodKind: 'BLOCK',
          direction: 'BELOW',
          threshold: 0.7,
        },
      },
    );
    expect(rule.createQualityAlertRule).toMatchObject({ metric: 'TASKS_ON_TIME', threshold: 0.7 });
    const ALERTS = `query($i: ID!) { qualityAlerts(institutionId: $i) { value scope { kind id department { name } } period { kind id } rule { metric direction threshold } } }`;
    const alertOf = (department: { id: string; name: string }, value: number) => ({
      value,
      scope: { kind: 'DEPARTMENT', id: department.id, department: { name: department.name } },
      period: { kind: 'BLOCK', id: B1 },
      rule: { metric: 'TASKS_ON_TIME', direction: 'BELOW', threshold: 0.7 },
    });
    // Judged at once against the figures there: the first department's block (1 of 4 on time).
    expect((await data('quality', ALERTS, { i: hospital })).qualityAlerts).toEqual([alertOf(departments[0]!, 0.25)]);

    // Two late tasks in the second department: 3 of 5 on time, judged in the transaction that applies them.
    await p.subgraphs.assessment!.dataSource.transaction((em) => tasks(em, t3, B1, 0, 2));
    await waitForApplied(32 + 18);
    const alerts = (await data('quality', ALERTS, { i: hospital })).qualityAlerts;
    expect(alerts).toHaveLength(2);
    expect(alerts).toContainEqual(alertOf(departments[1]!, 0.6));
    // Each was published for the notifications service (QualityAlertRaised), once.
    expect(
      await countRows(p.subgraphs.quality!.dataSource, `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'QualityAlertRaised'`),
    ).toBe(2);
  });

  it("reads the hospital's year report with drill-down to departments and teachers, named by the network", async () => {
    const report = await yearReport();
    expect(report.source).toEqual({ kind: 'LIVE' });
    expect(report.minimumEvaluators).toBe(5);
    const root = report.root as Row;
    expect(root.scope).toMatchObject({ kind: 'INSTITUTION', id: hospital });
    // 32 evaluations, mean (6×4 + 5×3 + 5×5 + 5×4 + 5×2 + 6×3) / 32.
    expect(fig(root, 'TEACHER_SCORE')).toMatchObject({ released: true, count: 32, mean: 3.5 });
    expect(fig(root, 'TASKS_ASSIGNED')).toMatchObject({ released: true, count: 9 });
    expect(fig(root, 'TASKS_ON_TIME')).toMatchObject({ released: true, count: 4 });
    const byId = new Map(root.children.map((c) => [c.scope.id, c]));
    const [d1, d2] = [byId.get(departments[0]!.id)!, byId.get(departments[1]!.id)!];
    expect(d1.scope.department!.name).toBe(departments[0]!.name);
    expect(d2.scope.department!.name).toBe(departments[1]!.name);
    expect(fig(d1, 'TEACHER_SCORE')).toMatchObject({ released: true, count: 21, mean: 4 });
    expect(fig(d2, 'TEACHER_SCORE')).toMatchObject({ released: true, count: 11, mean: 2.545 });
    expect(fig(d1, 'TASKS_LATE')).toMatchObject({ count: 3 });
    expect(fig(d2, 'TASKS_LATE')).toMatchObject({ count: 2 });
    const d1Teachers = d1.children.map((t) => [t.scope.teacher!.id, fig(t, 'TEACHER_SCORE').count, fig(t, 'TEACHER_SCORE').mean]);
    expect(d1Teachers.sort()).toEqual(
      [
        [teachers[0]!.id, 11, 3.545],
        [teachers[1]!.id, 10, 4.5],
      ].sort(),
    );
    expect(d1.children.every((t) => typeof t.scope.teacher!.familyName === 'string')).toBe(true);
    expect(d2.children.map((t) => t.scope.teacher!.id)).toEqual([teachers[2]!.id]);
    // Another hospital's quality officer and a clinical instructor are refused the report.
    for (const who of ['otherQuality', 'instructor']) {
      const body = await gql(who, REPORT, {
        scope: { kind: 'INSTITUTION', id: hospital },
        period: { kind: 'YEAR', id: YEAR },
        metrics: METRICS,
      });
      expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('follows a department across blocks, and places it among its specialty (the peer percentile)', async () => {
    const { qualityTrend } = await data(
      'quality',
      `query($scope: QualityScopeInput!, $periods: [QualityPeriodInput!]!) {
        qualityTrend(scope: $scope, metric: TEACHER_SCORE, periods: $periods) { period { kind id } figure { released count mean } } }`,
      {
        scope: { kind: 'DEPARTMENT', id: departments[0]!.id },
        periods: [
          { kind: 'BLOCK', id: B1 },
          { kind: 'BLOCK', id: B2 },
          { kind: 'YEAR', id: YEAR },
        ],
      },
    );
    expect(qualityTrend).toEqual([
      { period: { kind: 'BLOCK', id: B1 }, figure: { released: true, count: 11, mean: 4.455 } },
      { period: { kind: 'BLOCK', id: B2 }, figure: { released: true, count: 10, mean: 3.5 } },
      { period: { kind: 'YEAR', id: YEAR }, figure: { released: true, count: 21, mean: 4 } },
    ]);
    // The demo network's other departments of internal medicine (the first department's specialty),
    // at the other hospitals, each with its clinical instructor's tasks of the year: on time out of assigned.
    const network = p.subgraphs.network!.dataSource;
    const peers = (await network.query(
      `SELECT DISTINCT ON (d.id) d.id, d.name, d.institution_id, s.id AS teacher FROM department d
         JOIN staff_member s ON s.department_id = d.id AND 'CLINICAL_INSTRUCTOR' = ANY(s.roles)
        WHERE d.specialty = 'INTERNAL_MEDICINE' AND d.id <> $1 ORDER BY d.id, s.id`,
      [departments[0]!.id],
    )) as { id: string; name: string; institution_id: string; teacher: string }[];
    expect(peers).toHaveLength(5);
    expect(peers.every((d) => d.institution_id !== hospital)).toBe(true);
    const peerTasks: [onTime: number, late: number][] = [
      [0, 2],
      [1, 2],
      [1, 3],
      [2, 2],
      [3, 0],
    ];
    await p.subgraphs.assessment!.dataSource.transaction(async (em) => {
      for (const [i, d] of peers.entries())
        await tasks(em, { id: d.teacher, departmentId: d.id, hospitalId: d.institution_id }, B1, ...peerTasks[i]!);
    });
    const peerEvents = 2 * peerTasks.reduce((n, [onTime, late]) => n + onTime + late, 0);
    await waitForApplied(32 + 18 + peerEvents);
    await waitFor(
      'quality to know the specialty of every department of internal medicine',
      async () =>
        (await countRows(
          p.subgraphs.quality!.dataSource,
          `SELECT count(*)::int AS n FROM known_department WHERE specialty = 'INTERNAL_MEDICINE'`,
        )) === 6,
    );

    const PEER = `query($id: ID!, $metric: QualityMetric!, $period: QualityPeriodInput!) {
      department(id: $id) { id name peerPercentile(metric: $metric, period: $period) } }`;
    const peer = await data('quality', PEER, { id: departments[0]!.id, metric: 'TASKS_ON_TIME', period: { kind: 'YEAR', id: YEAR } });
    expect(peer.department.name).toBe(departments[0]!.name);
    // By hand: the department's year has 1 of 4 tasks on time (the first test); its five peers'
    // shares are 0, 1/3, 1/4, 1/2 and 1. One peer below, one tied (counting half): 1.5 of 5 = 30.
    const own = 1 / 4;
    const shares = peerTasks.map(([onTime, late]) => onTime / (onTime + late));
    const below = shares.filter((v) => v < own).length + shares.filter((v) => v === own).length / 2;
    expect((100 * below) / shares.length).toBe(30);
    expect(peer.department.peerPercentile).toBe(30);
    // Anonymous: the answer names none of the peers, by id or by name.
    const answer = JSON.stringify(peer);
    for (const d of peers) {
      expect(answer).not.toContain(d.id);
      expect(answer).not.toContain(d.name);
    }
    const refused = await gql('otherQuality', PEER, {
      id: departments[0]!.id,
      metric: 'TASKS_ON_TIME',
      period: { kind: 'YEAR', id: YEAR },
    });
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('downloads the report as CSV from the signed link, with the same figures', async () => {
    const { qualityReportExport } = await data(
      'quality',
      `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
        qualityReportExport(scope: $scope, period: $period, metrics: $metrics) { url expiresAt } }`,
      { scope: { kind: 'INSTITUTION', id: hospital }, period: { kind: 'YEAR', id: YEAR }, metrics: METRICS },
    );
    expect(new Date(qualityReportExport.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The link names the service's public address; the test's quality subgraph listens on its own port.
    const url = new URL(qualityReportExport.url);
    const response = await fetch(`${new URL(p.subgraphs.quality!.url).origin}${url.pathname}${url.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('depth,scope_kind,scope_id,metric,item,released,suppression,count,mean,median,evaluators');
    expect(lines).toContain(`0,INSTITUTION,${hospital},TEACHER_SCORE,,true,,32,3.5,3,32`);
    expect(lines).toContain(`1,DEPARTMENT,${departments[0]!.id},TASKS_ON_TIME,,true,,1,,,`);
    const teacherLine = lines.find((l) => l.startsWith(`2,TEACHER,${departments[0]!.id}/${teachers[1]!.id},TEACHER_SCORE,,`));
    expect(teacherLine).toBe(`2,TEACHER,${departments[0]!.id}/${teachers[1]!.id},TEACHER_SCORE,,true,,10,4.5,4,10`);
  });

  it('shows the same numbers after a rebuild from the events (rebuildQualityRollups)', async () => {
    const before = await yearReport();
    const cells = () =>
      p.subgraphs.quality!.dataSource.query(
        `SELECT metric, school, scope_kind, scope_id, period_kind, period_id, item, n, total_milli, histogram::text, evaluators
           FROM rollup_cell ORDER BY metric, school, scope_kind, scope_id, period_kind, period_id, item`,
      );
    const cellsBefore = await cells();
    expect(cellsBefore.length).toBeGreaterThan(0);
    const { rebuildQualityRollups } = await data('admin', `mutation { rebuildQualityRollups { id status } }`);
    let status = rebuildQualityRollups.status as string;
    await waitFor('the worker to rebuild the rollups', async () => {
      status = (
        await data('admin', `query($id: ID!) { qualityRollupRebuild(id: $id) { status progress } }`, { id: rebuildQualityRollups.id })
      ).qualityRollupRebuild.status;
      return status === 'SUCCEEDED' || status === 'FAILED';
    });
    expect(status).toBe('SUCCEEDED');
    expect(await cells()).toEqual(cellsBefore);
    expect(await yearReport()).toEqual(before);
    // Only network admins rebuild.
    const refused = await gql('quality', `mutation { rebuildQualityRollups { id } }`);
    expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

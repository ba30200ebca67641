import { createHash, randomUUID } from 'node:crypto';
import { EvaluationSubmitted } from '@medcollab/events';
import { type Actor } from '@medcollab/kit';
import { runNextRebuild } from '../src/data/rebuild-runs';
import { signExport } from '../src/domain/export-link';
import { envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';
import { BLOCK, scenario, YEAR } from './support/scenario';

let h: QualityHarness;
const { ids, events } = scenario();

beforeAll(async () => {
  h = await startQuality();
  await h.deliver(events);
});
afterAll(() => h.stop());

const FIGURE = 'metric item released suppression count mean median evaluatorCount distribution { value count }';
const ROW = `key depth scope { kind id } figures { ${FIGURE} }`;
const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) { minimumEvaluators scope { kind id } rows { ${ROW} } root { key children { key children { key } } } } }`;
const YEAR_PERIOD = { kind: 'YEAR', id: YEAR };

type Figure = {
  metric: string;
  item: string | null;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
  median: number | null;
};
type Row = { key: string; depth: number; scope: { kind: string; id: string }; figures: Figure[] };

const report = (who: Actor, scope: Record<string, unknown>, metrics: string[] = ['TEACHER_SCORE'], period = YEAR_PERIOD) =>
  h.call(who, REPORT, { scope, period, metrics });
const rowOf = (rows: Row[], id: string): Row => rows.find((r) => r.scope.id === id) as Row;
const whole = (row: Row, metric = 'TEACHER_SCORE'): Figure => row.figures.find((f) => f.metric === metric && f.item === null) as Figure;

const admin = actor(null, 'NETWORK_ADMIN');
const h1Officer = actor(ids.H1, 'QUALITY_OFFICER');

describe('qualityReport: drill-down with anonymity', () => {
  it("shows a hospital's year down to teachers, hiding a teacher under k and the sibling that would give them away", async () => {
    const { qualityReport } = ok(await report(h1Officer, { kind: 'INSTITUTION', id: ids.H1 }));
    expect(qualityReport.minimumEvaluators).toBe(5);
    const rows: Row[] = qualityReport.rows;
    expect(rows.map((r) => [r.scope.kind, r.depth])).toEqual(
      expect.arrayContaining([
        ['INSTITUTION', 0],
        ['DEPARTMENT', 1],
        ['TEACHER', 2],
      ]),
    );
    expect(whole(rowOf(rows, ids.H1))).toMatchObject({ released: true, count: 16, evaluatorCount: 16 });
    expect(whole(rowOf(rows, ids.D1))).toMatchObject({ released: true, count: 9, mean: 3.333 });
    expect(whole(rowOf(rows, ids.T2))).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS', count: null, mean: null });
    // D1 (9) minus T1 would give T2 away: T1 is hidden too, although 6 evaluators stand behind it.
    expect(whole(rowOf(rows, ids.T1))).toMatchObject({ released: false, suppression: 'COMPLEMENTARY', count: null });
    expect(whole(rowOf(rows, ids.T3))).toMatchObject({ released: true, count: 7, mean: 5 });
    // Per item too.
    expect(rowOf(rows, ids.T2).figures.filter((f) => f.released)).toEqual([]);
    // Children nest as rows.
    expect(qualityReport.root.children.map((c: { key: string }) => c.key).sort()).toEqual(
      [`DEPARTMENT:${ids.D1}`, `DEPARTMENT:${ids.D2}`].sort(),
    );
  });

  it('reads the assessment process: on time, late, median days to submit', async () => {
    const { qualityReport } = ok(
      await report(h1Officer, { kind: 'DEPARTMENT', id: ids.D1 }, ['TASKS_ASSIGNED', 'TASKS_ON_TIME', 'TASKS_LATE', 'DAYS_TO_SUBMIT'], {
        kind: 'BLOCK',
        id: BLOCK,
      }),
    );
    const d1 = rowOf(qualityReport.rows, ids.D1);
    expect(d1.figures.map((f) => [f.metric, f.count])).toEqual([
      ['TASKS_ASSIGNED', 2],
      ['TASKS_ON_TIME', 1],
      ['TASKS_LATE', 1],
      ['DAYS_TO_SUBMIT', 2],
    ]);
    expect(whole(d1, 'DAYS_TO_SUBMIT')).toMatchObject({ mean: 11.5, median: 3 });
  });

  it("gives a school's quality office only its own students' figures, and only at partner hospitals", async () => {
    const s1Officer = actor(ids.S1, 'QUALITY_OFFICER');
    const network = ok(await report(s1Officer, { kind: 'NETWORK' })).qualityReport;
    // S1 students evaluated T1 and T2 only (9 evaluations); S2's evaluations of T3 and T4 are not theirs.
    expect(whole(rowOf(network.rows, 'network'))).toMatchObject({ released: true, count: 9 });
    expect(rowOf(network.rows, ids.T3)).toBeUndefined();
    expect(ok(await report(s1Officer, { kind: 'INSTITUTION', id: ids.H1 })).qualityReport.rows.length).toBeGreaterThan(0);
    expect(codes(await report(s1Officer, { kind: 'INSTITUTION', id: ids.H2 }))).toEqual(['FORBIDDEN']);
  });
});

describe('access matrix', () => {
  const teacher = { personId: ids.T1, institutionId: ids.H1, roles: ['CLINICAL_INSTRUCTOR'] } as Actor;
  const cases: [string, Actor, Record<string, unknown>, 'ok' | 'FORBIDDEN'][] = [
    ['network admin, network', admin, { kind: 'NETWORK' }, 'ok'],
    ['network admin, any hospital', admin, { kind: 'INSTITUTION', id: ids.H2 }, 'ok'],
    ["hospital's quality officer, own hospital", h1Officer, { kind: 'INSTITUTION', id: ids.H1 }, 'ok'],
    ["hospital's quality officer, own department", h1Officer, { kind: 'DEPARTMENT', id: ids.D1 }, 'ok'],
    ["hospital's quality officer, own teacher", h1Officer, { kind: 'TEACHER', id: ids.T3, departmentId: ids.D2 }, 'ok'],
    ["hospital's quality officer, another hospital", h1Officer, { kind: 'INSTITUTION', id: ids.H2 }, 'FORBIDDEN'],
    ["hospital's quality officer, another hospital's department", h1Officer, { kind: 'DEPARTMENT', id: ids.D3 }, 'FORBIDDEN'],
    ["hospital's quality officer, the network", h1Officer, { kind: 'NETWORK' }, 'FORBIDDEN'],
    ["hospital's coordinator, own department", actor(ids.H1, 'COORDINATOR'), { kind: 'DEPARTMENT', id: ids.D1 }, 'ok'],
    ["hospital's coordinator, the hospital as a whole", actor(ids.H1, 'COORDINATOR'), { kind: 'INSTITUTION', id: ids.H1 }, 'FORBIDDEN'],
    ["school's quality officer, partner hospital", actor(ids.S1, 'QUALITY_OFFICER'), { kind: 'INSTITUTION', id: ids.H1 }, 'ok'],
    ["school's quality officer, non-partner hospital", actor(ids.S2, 'QUALITY_OFFICER'), { kind: 'INSTITUTION', id: ids.H1 }, 'FORBIDDEN'],
    ["school's coordinator, the network", actor(ids.S1, 'COORDINATOR'), { kind: 'NETWORK' }, 'FORBIDDEN'],
    ['teacher, own department', teacher, { kind: 'DEPARTMENT', id: ids.D1 }, 'FORBIDDEN'],
    ['student, the network', actor(ids.S1, 'STUDENT'), { kind: 'NETWORK' }, 'FORBIDDEN'],
  ];
  it.each(cases)('%s', async (_name, who, scope, expected) => {
    const response = await report(who, scope);
    if (expected === 'ok') expect(codes(response)).toEqual([]);
    else expect(codes(response)).toEqual([expected]);
  });

  const TEACHING = `query($reps: [_Any!]!, $period: QualityPeriodInput!) { _entities(representations: $reps) { ... on StaffMember { teachingQuality(period: $period) { ${FIGURE} } } } }`;
  it('lets a teacher read their own released evaluation, and nobody else theirs', async () => {
    const own = ok(await h.call(teacher, TEACHING, { reps: [{ __typename: 'StaffMember', id: ids.T1 }], period: YEAR_PERIOD }));
    expect(own._entities[0].teachingQuality.find((f: Figure) => f.item === null)).toMatchObject({ released: true, count: 6, mean: 4 });
    const t2 = { personId: ids.T2, institutionId: ids.H1, roles: ['CLINICAL_INSTRUCTOR'] } as Actor;
    const few = ok(await h.call(t2, TEACHING, { reps: [{ __typename: 'StaffMember', id: ids.T2 }], period: YEAR_PERIOD }));
    expect(few._entities[0].teachingQuality.every((f: Figure) => !f.released && f.count === null)).toBe(true);
    expect(codes(await h.call(t2, TEACHING, { reps: [{ __typename: 'StaffMember', id: ids.T1 }], period: YEAR_PERIOD }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.call(h1Officer, TEACHING, { reps: [{ __typename: 'StaffMember', id: ids.T1 }], period: YEAR_PERIOD }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('refuses malformed periods and scopes with BAD_USER_INPUT', async () => {
    expect(codes(await report(admin, { kind: 'NETWORK' }, ['TEACHER_SCORE'], { kind: 'YEAR', id: '2026-2028' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await report(admin, { kind: 'DEPARTMENT' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('federated fields', () => {
  const DEPARTMENTS = `query($reps: [_Any!]!, $period: QualityPeriodInput!) { _entities(representations: $reps) { ... on Department {
    quality(period: $period, metrics: [TEACHER_SCORE]) { ${ROW} } } } }`;

  it('marks a department the same alone as in its hospital report, in a constant number of SQL statements', async () => {
    const call = (reps: string[]) =>
      h.call(h1Officer, DEPARTMENTS, { reps: reps.map((id) => ({ __typename: 'Department', id })), period: YEAR_PERIOD });
    h.counter.reset();
    const one = ok(await call([ids.D1]));
    const single = h.counter.count;
    h.counter.reset();
    const both = ok(await call([ids.D1, ids.D2]));
    expect(h.counter.count).toBe(single);
    // The period's state and year (one statement), then one per level of the tree.
    expect(single).toBeLessThanOrEqual(7);
    expect(both._entities[0]).toEqual(one._entities[0]);
    expect(whole(both._entities[0].quality)).toMatchObject({ released: true, count: 9 });
    expect(codes(await h.call(h1Officer, DEPARTMENTS, { reps: [{ __typename: 'Department', id: ids.D3 }], period: YEAR_PERIOD }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('shows an institution its own figures through Institution.quality', async () => {
    const q = `query($reps: [_Any!]!, $period: QualityPeriodInput!) { _entities(representations: $reps) { ... on Institution { quality(period: $period) { ${ROW} } } } }`;
    const res = ok(await h.call(h1Officer, q, { reps: [{ __typename: 'Institution', id: ids.H1 }], period: YEAR_PERIOD }));
    expect(whole(res._entities[0].quality)).toMatchObject({ count: 16 });
  });
});

describe('rebuildQualityRollups', () => {
  const REBUILD = `mutation { rebuildQualityRollups { id status progress } }`;
  const STATUS = `query($id: ID!) { qualityRollupRebuild(id: $id) { status progress aggregatesDone aggregatesTotal finishedAt } }`;

  it('is for network admins; the worker runs it with progress and the figures come out the same', async () => {
    expect(codes(await h.call(h1Officer, REBUILD))).toEqual(['FORBIDDEN']);
    const before = ok(await report(admin, { kind: 'NETWORK' }, ['TEACHER_SCORE', 'TASKS_ON_TIME', 'DAYS_TO_SUBMIT'])).qualityReport.rows;
    const run = ok(await h.call(admin, REBUILD)).rebuildQualityRollups;
    expect(run).toMatchObject({ status: 'QUEUED', progress: 0 });
    // Asking again while one is open returns the same run.
    expect(ok(await h.call(admin, REBUILD)).rebuildQualityRollups.id).toBe(run.id);
    expect(await runNextRebuild(h.dataSource, h.settings)).toBe(true);
    const done = ok(await h.call(admin, STATUS, { id: run.id })).qualityRollupRebuild;
    expect(done).toMatchObject({ status: 'SUCCEEDED', progress: 1, aggregatesDone: done.aggregatesTotal });
    expect(done.aggregatesTotal).toBe(23);
    expect(ok(await report(admin, { kind: 'NETWORK' }, ['TEACHER_SCORE', 'TASKS_ON_TIME', 'DAYS_TO_SUBMIT'])).qualityReport.rows).toEqual(
      before,
    );
  });
});

describe('CSV export', () => {
  const EXPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
    qualityReportExport(scope: $scope, period: $period, metrics: $metrics) { url expiresAt } }`;
  const local = (url: string) => {
    const u = new URL(url);
    return `${new URL(h.url).origin}${u.pathname}${u.search}`;
  };

  it('hands a short-lived signed link to who may read the report; the link streams the same protected figures', async () => {
    const vars = { scope: { kind: 'INSTITUTION', id: ids.H1 }, period: YEAR_PERIOD, metrics: ['TEACHER_SCORE'] };
    const link = ok(await h.call(h1Officer, EXPORT, vars)).qualityReportExport;
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const response = await fetch(local(link.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('depth,scope_kind,scope_id,metric,item,released,suppression,count,mean,median,evaluators');
    const line = (scopeId: string) => lines.find((l) => l.includes(`,${scopeId},TEACHER_SCORE,,`));
    expect(line(ids.D1)).toBe(`1,DEPARTMENT,${ids.D1},TEACHER_SCORE,,true,,9,3.333,4,9`);
    expect(line(`${ids.D1}/${ids.T2}`)).toBe(`2,TEACHER,${ids.D1}/${ids.T2},TEACHER_SCORE,,false,TOO_FEW_EVALUATORS,,,,`);

    expect(codes(await h.call(actor(ids.H2, 'QUALITY_OFFICER'), EXPORT, vars))).toEqual(['FORBIDDEN']);
    const tampered = local(link.url).replace(/token=([^.]+)\./, (_m, body: string) => `token=${body.slice(0, -2)}xx.`);
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('refuses an expired link', async () => {
    const token = signExport(
      {
        actor: h1Officer,
        scope: { kind: 'INSTITUTION', id: ids.H1 },
        period: YEAR_PERIOD,
        metrics: null,
        exp: Math.floor(Date.now() / 1000) - 1,
      },
      h.settings.exportSecret,
    );
    expect((await fetch(`${new URL(h.url).origin}/exports/quality.csv?token=${token}`)).status).toBe(410);
  });
});

// Last: its events add to the network's figures (the rebuild above counts the aggregates before them).
describe('a department quality knows only from its figures', () => {
  const DEPARTMENT_QUALITY = `query($reps: [_Any!]!, $period: QualityPeriodInput!) { _entities(representations: $reps) { ... on Department {
    quality(period: $period, metrics: [TEACHER_SCORE]) { ${ROW} } } } }`;

  it('finds the hospital of a department it knows only from its figures (no agreement has named it yet)', async () => {
    const [hospital, department, teacher] = [randomUUID(), randomUUID(), randomUUID()];
    await h.deliver(
      Array.from({ length: 5 }, (_, i) => {
        const submissionId = randomUUID();
        return envelope(EvaluationSubmitted, submissionId, {
          submissionId,
          kind: 'TEACHER_EVALUATION',
          evaluatorPseudonym: createHash('sha256').update(`unnamed-${i}`).digest('hex'),
          schoolId: ids.S1,
          hospitalId: hospital,
          departmentId: department,
          teacherId: teacher,
          blockId: BLOCK,
          placementId: randomUUID(),
          academicYear: YEAR,
          submittedAt: '2026-10-20T10:00:00.000Z',
          itemScores: [{ itemKey: 'explains', label: 'Explains', value: 4, min: 1, max: 5 }],
        });
      }),
    );
    const read = (who: Actor) =>
      h.call(who, DEPARTMENT_QUALITY, { reps: [{ __typename: 'Department', id: department }], period: YEAR_PERIOD });
    expect(whole(ok(await read(actor(hospital, 'QUALITY_OFFICER')))._entities[0].quality)).toMatchObject({ released: true, count: 5 });
    expect(codes(await read(h1Officer))).toEqual(['FORBIDDEN']);
  });
});

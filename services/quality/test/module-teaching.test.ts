import { createHash, randomUUID } from 'node:crypto';
import { type EventEnvelope, EvaluationSubmitted } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Teaching quality per module (ADR 0031), school → program → module: school S's students of
 * program P evaluate teachers at hospital H. Assessment names on each evaluation the student's
 * program and the module the placement belongs to: module M1 (6 students), M2 (5), none (2: too
 * few, and the program's total would give them away as "program minus its modules"); five older
 * evaluations name no program. School S3's network shows what the network split by hospital and
 * by module gives away when decided apart (ADR 0047).
 */
const ids = {
  S: randomUUID(),
  S9: randomUUID(),
  S3: randomUUID(),
  H: randomUUID(),
  D1: randomUUID(),
  D2: randomUUID(),
  T: randomUUID(),
  P: randomUUID(),
  P3: randomUUID(),
};
const M1 = randomUUID();
const M2 = randomUUID();
const BLOCK = randomUUID();
const YEAR = { kind: 'YEAR', id: '2026-2027' };

function evaluation(
  programId: string | null,
  moduleId: string | null,
  score: number,
  departmentId = ids.D1,
  schoolId = ids.S,
): EventEnvelope {
  const submissionId = randomUUID();
  return envelope(EvaluationSubmitted, submissionId, {
    submissionId,
    kind: 'TEACHER_EVALUATION',
    evaluatorPseudonym: createHash('sha256').update(submissionId).digest('hex'),
    schoolId,
    hospitalId: ids.H,
    departmentId,
    teacherId: ids.T,
    blockId: BLOCK,
    placementId: randomUUID(),
    programId,
    moduleId,
    academicYear: '2026-2027',
    submittedAt: '2026-10-20T10:00:00.000Z',
    itemScores: [{ itemKey: 'explains', label: 'Explains', value: score, min: 1, max: 5 }],
  });
}
const times = (n: number, make: () => EventEnvelope) => Array.from({ length: n }, make);

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D1, ids.D2]),
    ...times(6, () => evaluation(ids.P, M1, 4)),
    ...times(5, () => evaluation(ids.P, M2, 2, ids.D2)),
    ...times(2, () => evaluation(ids.P, null, 1)),
    // Older events without a program (five students: as many as k): counted at the hospital, not along the curriculum.
    ...times(5, () => evaluation(null, null, 5)),
    // School S3: six students of program P3 and one older event without a program (ADR 0047).
    agreementBetween(ids.S3, ids.H, [ids.D1]),
    ...times(6, () => evaluation(ids.P3, null, 3, ids.D1, ids.S3)),
    evaluation(null, null, 1, ids.D1, ids.S3),
  ]);
});
afterAll(() => h.stop());

const FIG = 'metric item released suppression count mean evaluatorCount';
const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    root { key scope { kind id moduleId program { id } } figures { ${FIG} }
      children { key scope { kind id moduleId program { id } } figures { ${FIG} } } } } }`;
type Fig = {
  metric: string;
  item: string | null;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
};
type Row = { key: string; scope: { kind: string; id: string; moduleId: string | null }; figures: Fig[]; children: Row[] };
const sOfficer = actor(ids.S, 'QUALITY_OFFICER');
const report = (who: ReturnType<typeof actor>, scope: object, metrics = ['TEACHER_SCORE_BY_MODULE']) =>
  h.call(who, REPORT, { scope, period: YEAR, metrics });
const whole = (row: Row) => row.figures.find((f) => f.item === null)!;

describe('teaching quality per module (school → program → module)', () => {
  it("shows a program's evaluations per module, hiding a small module and what would give it away", async () => {
    const root = ok(await report(sOfficer, { kind: 'PROGRAM', id: ids.P })).qualityReport.root as Row;
    expect(root.scope).toMatchObject({ kind: 'PROGRAM', id: ids.P, moduleId: null, program: { id: ids.P } });
    // 6×4 + 5×2 + 2×1 over 13 students.
    expect(whole(root)).toMatchObject({ released: true, count: 13, mean: 2.769 });
    const byModule = new Map(root.children.map((c) => [c.scope.moduleId, c]));
    expect([...byModule.keys()].sort()).toEqual([M1, M2, null].sort());
    for (const c of root.children) expect(c.scope).toMatchObject({ kind: 'MODULE', id: ids.P, program: { id: ids.P } });
    expect(whole(byModule.get(null)!)).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS', count: null });
    // "Program minus M1 minus M2" would be the two: one of the modules is hidden with them.
    const modules = [whole(byModule.get(M1)!), whole(byModule.get(M2)!)];
    expect(modules.filter((f) => f.suppression === 'COMPLEMENTARY')).toHaveLength(1);
    const shown = modules.find((f) => f.released)!;
    expect([
      [6, 4],
      [5, 2],
    ]).toContainEqual([shown.count, shown.mean]);
    // The item figures are protected the same way.
    expect(byModule.get(null)!.figures.find((f) => f.item === 'explains')).toMatchObject({ released: false });
  });

  it('counts the same evaluations at the hospital as before, program or not', async () => {
    const hOfficer = actor(ids.H, 'QUALITY_OFFICER');
    const root = ok(await report(hOfficer, { kind: 'INSTITUTION', id: ids.H }, ['TEACHER_SCORE', 'TEACHER_SCORE_BY_MODULE'])).qualityReport
      .root as Row;
    expect(root.figures.find((f) => f.metric === 'TEACHER_SCORE' && f.item === null)).toMatchObject({ count: 25 });
    // Along the curriculum nothing is kept per hospital.
    expect(root.figures.find((f) => f.metric === 'TEACHER_SCORE_BY_MODULE' && f.item === null)).toMatchObject({ count: 0 });
  });

  it("puts the school's programs below its network row, with their modules below them", async () => {
    const root = ok(await report(sOfficer, { kind: 'NETWORK' })).qualityReport.root as Row;
    expect(whole(root)).toMatchObject({ released: true, count: 13 });
    const program = root.children.find((c) => c.scope.kind === 'PROGRAM')!;
    expect(program.scope.id).toBe(ids.P);
  });

  it('never releases both network figures where they would give away the one evaluation that names no program (ADR 0047)', async () => {
    const both = ['TEACHER_SCORE', 'TEACHER_SCORE_BY_MODULE'];
    const s3Officer = actor(ids.S3, 'QUALITY_OFFICER');
    const network = async (metrics: string[], who = s3Officer) => {
      const root = ok(await report(who, { kind: 'NETWORK' }, metrics)).qualityReport.root as Row;
      return metrics.map((m) => root.figures.find((f) => f.metric === m && f.item === null)!);
    };
    // S3: 7 evaluations at the hospitals, 6 along the curriculum — 7 × one mean − 6 × the other would be the 7th's score.
    const s3 = await network(both);
    expect(s3.map((f) => f.released)).not.toEqual([true, true]);
    expect(s3.find((f) => !f.released)).toMatchObject({ suppression: 'COMPLEMENTARY' });
    // Each metric reads the same marks whether or not its partner is asked for.
    for (const m of both) expect((await network([m]))[0]!.released).toBe(s3[both.indexOf(m)]!.released);
    // S: five evaluations name no program, as many as k: both network figures stand.
    expect((await network(both, sOfficer)).map((f) => [f.released, f.count])).toEqual([
      [true, 18],
      [true, 13],
    ]);
  });

  it("is refused to another school, to the hospital's quality office and to the school's teachers and students", async () => {
    for (const who of [actor(ids.S9, 'QUALITY_OFFICER'), actor(ids.H, 'QUALITY_OFFICER'), actor(ids.S, 'TEACHER'), actor(ids.S, 'STUDENT')])
      expect(codes(await report(who, { kind: 'PROGRAM', id: ids.P }))).toEqual(['FORBIDDEN']);
    // MODULE rows are read in their program's report, never as a report's scope.
    expect(codes(await report(sOfficer, { kind: 'MODULE', id: ids.P }))).toEqual(['BAD_USER_INPUT']);
  });

  it("reads a program's modules in a constant number of SQL statements, however many modules", async () => {
    const measure = async () => {
      await report(sOfficer, { kind: 'PROGRAM', id: ids.P });
      h.counter.reset();
      const root = ok(await report(sOfficer, { kind: 'PROGRAM', id: ids.P })).qualityReport.root as Row;
      return { modules: root.children.length, statements: h.counter.count };
    };
    const first = await measure();
    await h.deliver(Array.from({ length: 4 }, () => randomUUID()).flatMap((m) => times(5, () => evaluation(ids.P, m, 3))));
    const second = await measure();
    expect(second.modules).toBe(first.modules + 4);
    expect(second.statements).toBe(first.statements);
  });

  it('keeps the same figures in a rebuild', async () => {
    const cells = () =>
      h.dataSource.query(
        `SELECT scope_kind, scope_id, period_kind, period_id, item, school, n::int, total_milli::text, evaluators FROM rollup_cell
          WHERE metric = 'TEACHER_SCORE_BY_MODULE' ORDER BY 1, 2, 3, 4, 5, 6`,
      );
    const before = await cells();
    expect(before.length).toBeGreaterThan(0);
    await rebuildRollups(h.dataSource, h.settings);
    expect(await cells()).toEqual(before);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { type EventEnvelope, EvaluationSubmitted } from '@medcollab/events';
import { freezeDuePeriods } from '../src/data/snapshots';
import { agreementBetween, envelope } from './support/events';
import { actor, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * The network split by hospital and by program and module (ADR 0047) in a frozen year's later
 * revisions (ADR 0053). School S's students of program P evaluate teacher T at hospital H. The
 * year freezes with six evaluations, all naming P: both network figures are the same six and
 * stand. Then, late, five more students of P and one older event without a program: each network
 * figure changed by at least k evaluators, so each metric decided alone releases its revision 1 —
 * and revision 1's TEACHER_SCORE minus its TEACHER_SCORE_BY_MODULE is the one evaluation naming
 * no program. Decided as the live report decides (one system), one of them is withheld.
 */
const ids = { S: randomUUID(), H: randomUUID(), D: randomUUID(), T: randomUUID(), P: randomUUID() };
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const BOTH = ['TEACHER_SCORE', 'TEACHER_SCORE_BY_MODULE'];

function evaluation(programId: string | null, score: number): EventEnvelope {
  const submissionId = randomUUID();
  return envelope(EvaluationSubmitted, submissionId, {
    submissionId,
    kind: 'TEACHER_EVALUATION',
    evaluatorPseudonym: createHash('sha256').update(submissionId).digest('hex'),
    schoolId: ids.S,
    hospitalId: ids.H,
    departmentId: ids.D,
    teacherId: ids.T,
    blockId: randomUUID(),
    programId,
    moduleId: null,
    academicYear: '2026-2027',
    submittedAt: '2026-10-20T10:00:00.000Z',
    itemScores: [{ itemKey: 'explains', label: 'Explains', value: score, min: 1, max: 5 }],
  });
}
const times = (n: number, make: () => EventEnvelope) => Array.from({ length: n }, make);

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!], $revision: Int) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics, revision: $revision) {
    source { kind revision }
    root { figures { metric item released suppression count mean } } } }`;
type Fig = {
  metric: string;
  item: string | null;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
};

let h: QualityHarness;
const officer = actor(ids.S, 'QUALITY_OFFICER');
const network = async (metrics: string[], revision?: number) => {
  const report = ok(await h.call(officer, REPORT, { scope: { kind: 'NETWORK' }, period: YEAR, metrics, revision })).qualityReport;
  return {
    source: report.source as { kind: string; revision: number },
    figures: metrics.map((m) => (report.root.figures as Fig[]).find((f) => f.metric === m && f.item === null)!),
  };
};

beforeAll(async () => {
  h = await startQuality();
  await h.deliver([agreementBetween(ids.S, ids.H, [ids.D]), ...times(6, () => evaluation(ids.P, 4))]);
});
afterAll(() => h.stop());

describe('the network split by hospital and by module in later revisions (ADR 0053)', () => {
  it('releases both network figures of the frozen year while they are the same evaluations', async () => {
    const frozen = await freezeDuePeriods(h.dataSource, new Date('2027-09-02T00:00:00Z'), 5, 0);
    expect(frozen).toContainEqual(YEAR);
    const r0 = await network(BOTH);
    expect(r0.source).toMatchObject({ kind: 'SNAPSHOT', revision: 0 });
    expect(r0.figures.map((f) => [f.released, f.count])).toEqual([
      [true, 6],
      [true, 6],
    ]);
  });

  it('never releases both in a later revision where their difference is one late evaluation naming no program', async () => {
    await h.deliver([...times(5, () => evaluation(ids.P, 2)), evaluation(null, 1)]);
    expect(await freezeDuePeriods(h.dataSource, new Date('2027-09-03T00:00:00Z'), 5, 0)).toContainEqual(YEAR);
    const r1 = await network(BOTH);
    expect(r1.source).toMatchObject({ kind: 'SNAPSHOT', revision: 1 });
    // 12 evaluations at the hospitals, 11 along the curriculum: 12 × one mean − 11 × the other would be the 12th's score.
    expect(r1.figures.map((f) => f.released)).not.toEqual([true, true]);
    // Withheld as complementary (each figure alone has k evaluators, as has its change since revision 0).
    for (const f of r1.figures.filter((x) => !x.released))
      expect(f).toMatchObject({ suppression: 'COMPLEMENTARY', count: null, mean: null });
    // Each metric reads the same marks alone.
    for (const m of BOTH) expect((await network([m])).figures[0]!.released).toBe(r1.figures[BOTH.indexOf(m)]!.released);
    // Revision 0 is as it was published.
    expect((await network(BOTH, 0)).figures.map((f) => f.released)).toEqual([true, true]);
  });

  it('releases the network again once the evaluations naming no program are k', async () => {
    await h.deliver(times(4, () => evaluation(null, 5)));
    expect(await freezeDuePeriods(h.dataSource, new Date('2027-09-04T00:00:00Z'), 5, 0)).toContainEqual(YEAR);
    const r2 = await network(BOTH);
    expect(r2.source).toMatchObject({ kind: 'SNAPSHOT', revision: 2 });
    // 6 × 4 + 5 × 2 + 1 + 4 × 5 over 16: five evaluations by five evaluators name no program now.
    const [tree] = r2.figures;
    expect(tree).toMatchObject({ released: true, count: 16 });
    expect(tree!.mean).toBeCloseTo(55 / 16, 2);
  });
});

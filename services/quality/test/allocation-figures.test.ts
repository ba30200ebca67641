import { randomUUID } from 'node:crypto';
import { AllocationRunPublished, AllocationRunSuperseded, SwapRequestChanged } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Placements' allocation figures (issue 13): seats offered vs filled, first-choice share, rank
 * distribution and unranked share per hospital, department and period from rotations'
 * AllocationRunPublished; a superseded run's figures withdrawn; approved swaps counted. The
 * per-student figures follow the k rule (k = 5 distinct students).
 */
const ids = { S: randomUUID(), H: randomUUID(), H2: randomUUID(), D1: randomUUID(), D2: randomUUID(), B: randomUUID() };
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const METRICS = ['SEATS_OFFERED', 'SEATS_FILLED', 'FIRST_CHOICE', 'PREFERENCE_RANK', 'PLACED_UNRANKED', 'SWAPS_APPROVED'];
const officer = actor(ids.H, 'QUALITY_OFFICER');

const site = (departmentId: string, seatsOffered: number, seatsFilled: number) => ({
  hospitalId: ids.H,
  departmentId,
  specialty: 'CARDIOLOGY',
  blockId: ids.B,
  startsOn: '2026-09-01',
  seatsOffered,
  seatsFilled,
});
const placed = (departmentId: string, rank: number | null) => ({
  studentId: randomUUID(),
  hospitalId: ids.H,
  departmentId,
  specialty: 'CARDIOLOGY',
  blockId: ids.B,
  startsOn: '2026-09-01',
  rank,
});
const run = (runId: string, sites: ReturnType<typeof site>[], placements: ReturnType<typeof placed>[], supersededRunIds: string[] = []) =>
  envelope(AllocationRunPublished, runId, {
    runId,
    schoolId: ids.S,
    academicYear: '2026-2027',
    variation: 'OPTIMAL',
    supersededRunIds,
    sites,
    placements,
    at: '2026-06-01T10:00:00.000Z',
  });
const swap = (status: 'APPROVED' | 'DECLINED') => {
  const swapId = randomUUID();
  return envelope(SwapRequestChanged, swapId, {
    swapId,
    schoolId: ids.S,
    status,
    studentId: randomUUID(),
    placementId: randomUUID(),
    departmentId: ids.D1,
    hospitalId: ids.H,
    blockId: ids.B,
    startsOn: '2026-09-01',
    withStudentId: null,
    withPlacementId: null,
    withDepartmentId: null,
    toDepartmentId: ids.D2,
    at: '2026-07-01T10:00:00.000Z',
  });
};

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) { rows { key figures { metric released count mean distribution { value count } } } } }`;
interface Figure {
  metric: string;
  released: boolean;
  count: number | null;
  mean: number | null;
  distribution: { value: string; count: number }[] | null;
}
type Rows = { key: string; figures: Figure[] }[];
const report = (who = officer, scope: Record<string, unknown> = { kind: 'INSTITUTION', id: ids.H }) =>
  h.call(who, REPORT, { scope, period: YEAR, metrics: METRICS });
const figures = async (key: string): Promise<Record<string, Figure>> => {
  const rows = ok(await report()).qualityReport.rows as Rows;
  return Object.fromEntries((rows.find((r) => r.key === key)?.figures ?? []).map((f) => [f.metric, f]));
};

let h: QualityHarness;
const R1 = randomUUID();
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D1, ids.D2], agreementId),
    // Six students at D1 (three first choices, two second, one unranked), five at D2 (all first choices).
    run(
      R1,
      [site(ids.D1, 8, 6), site(ids.D2, 6, 5)],
      [...[1, 1, 1, 2, 2, null].map((r) => placed(ids.D1, r)), ...[1, 1, 1, 1, 1].map((r) => placed(ids.D2, r))],
    ),
    swap('APPROVED'),
    swap('DECLINED'),
  ]);
}, 240_000);
afterAll(() => h.stop());

describe('allocation figures', () => {
  it('counts seats offered and filled per hospital and department, and approved swaps', async () => {
    const hospital = await figures(`INSTITUTION:${ids.H}`);
    expect([hospital.SEATS_OFFERED?.count, hospital.SEATS_FILLED?.count, hospital.SWAPS_APPROVED?.count]).toEqual([14, 11, 1]);
    const d1 = await figures(`DEPARTMENT:${ids.D1}`);
    expect([d1.SEATS_OFFERED?.count, d1.SEATS_FILLED?.count, d1.SWAPS_APPROVED?.count]).toEqual([8, 6, 1]);
    const d2 = await figures(`DEPARTMENT:${ids.D2}`);
    expect([d2.SEATS_OFFERED?.count, d2.SEATS_FILLED?.count]).toEqual([6, 5]);
  });

  it('releases preference satisfaction only where k students stand behind it', async () => {
    const d1 = await figures(`DEPARTMENT:${ids.D1}`);
    expect(d1.FIRST_CHOICE).toMatchObject({ released: true, count: 6, mean: 0.5 });
    expect(d1.PREFERENCE_RANK).toMatchObject({
      released: true,
      count: 5,
      mean: 1.4,
      distribution: [
        { value: '1', count: 3 },
        { value: '2', count: 2 },
      ],
    });
    expect(d1.PLACED_UNRANKED).toMatchObject({ released: true, count: 6, mean: 0.167 });
    expect((await figures(`DEPARTMENT:${ids.D2}`)).FIRST_CHOICE).toMatchObject({ released: true, count: 5, mean: 1 });
    expect((await figures(`INSTITUTION:${ids.H}`)).FIRST_CHOICE).toMatchObject({ released: true, count: 11 });
  });

  it('is refused to another hospital and to a student, like every report', async () => {
    expect(codes(await report(actor(ids.H2, 'QUALITY_OFFICER')))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.S, 'STUDENT')))).toEqual(['FORBIDDEN']);
  });

  it('reads a hospital with more departments in the same number of statements; a one-student department is hidden', async () => {
    await h.deliver([swap('APPROVED')]); // a change: the next report is computed, not cached
    h.counter.reset();
    await report();
    const one = h.counter.count;
    const D3 = randomUUID();
    const agreementId = randomUUID();
    await h.deliver([
      agreementBetween(ids.S, ids.H, [ids.D1, ids.D2, D3], agreementId),
      run(randomUUID(), [{ ...site(D3, 2, 1), blockId: randomUUID() }], [{ ...placed(D3, 1), blockId: randomUUID() }]),
    ]);
    h.counter.reset();
    const rows = ok(await report()).qualityReport.rows as Rows;
    expect(rows.map((r) => r.key)).toContain(`DEPARTMENT:${D3}`);
    expect(h.counter.count).toBe(one);
    // D3 is one student: hidden, and not derivable as the hospital minus D1 and D2 (one more figure hidden).
    const fc = (key: string) => rows.find((r) => r.key === key)!.figures.find((f) => f.metric === 'FIRST_CHOICE')!;
    expect(fc(`DEPARTMENT:${D3}`)).toMatchObject({ released: false, count: null, mean: null });
    expect([`INSTITUTION:${ids.H}`, `DEPARTMENT:${ids.D1}`, `DEPARTMENT:${ids.D2}`].filter((k) => !fc(k).released)).not.toEqual([]);
  });

  it('withdraws a superseded run, and a rebuild gives the same figures', async () => {
    const R2 = randomUUID();
    await h.deliver([
      run(R2, [site(ids.D1, 4, 2)], [placed(ids.D1, 1), placed(ids.D1, 3)], [R1]),
      envelope(AllocationRunSuperseded, R1, { runId: R1, schoolId: ids.S, supersededBy: R2, at: '2026-06-02T10:00:00.000Z' }, 2),
    ]);
    const d1 = await figures(`DEPARTMENT:${ids.D1}`);
    expect([d1.SEATS_OFFERED?.count, d1.SEATS_FILLED?.count]).toEqual([4, 2]);
    expect((await figures(`DEPARTMENT:${ids.D2}`)).SEATS_OFFERED?.count ?? 0).toBe(0);
    const before = ok(await report()).qualityReport.rows as Rows;
    await rebuildRollups(h.dataSource, h.settings);
    expect(ok(await report()).qualityReport.rows).toEqual(before);
  });
});

import { randomUUID } from 'node:crypto';
import { AllocationRunPublished, AllocationRunSuperseded } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Allocation figures per run (issue 13, ADR 0030 point 7): every published run of the year,
 * superseded ones too, named (not by id) and with its own figures at the scope, protected with
 * k = 5 distinct students per run; the standing figures unchanged; refused like reports; the
 * runs' names in one statement whatever their number; the same after a rebuild.
 */
const ids = {
  S: randomUUID(),
  S2: randomUUID(),
  S3: randomUUID(),
  H: randomUUID(),
  H2: randomUUID(),
  D1: randomUUID(),
  D2: randomUUID(),
  B: randomUUID(),
};
const officer = actor(ids.H, 'QUALITY_OFFICER');

const site = (departmentId: string, seatsOffered: number, seatsFilled: number, blockId = ids.B) => ({
  hospitalId: ids.H,
  departmentId,
  specialty: 'CARDIOLOGY',
  blockId,
  startsOn: '2026-09-01',
  seatsOffered,
  seatsFilled,
});
const placed = (departmentId: string, rank: number | null, blockId = ids.B) => ({
  studentId: randomUUID(),
  hospitalId: ids.H,
  departmentId,
  specialty: 'CARDIOLOGY',
  blockId,
  startsOn: '2026-09-01',
  rank,
});
const run = (
  runId: string,
  at: string,
  variation: 'OPTIMAL' | 'LOTTERY',
  sites: ReturnType<typeof site>[],
  placements: ReturnType<typeof placed>[],
  supersededRunIds: string[] = [],
  academicYear = '2026-2027',
  schoolId = ids.S,
) =>
  envelope(AllocationRunPublished, runId, {
    runId,
    schoolId,
    academicYear,
    variation,
    supersededRunIds,
    sites,
    placements,
    at,
  });

const RUNS = `query($scope: QualityScopeInput!, $year: String!) {
  allocationRuns(scope: $scope, year: $year) {
    runId name ordinal variation publishedAt superseded supersededAt supersededByName school { id }
    figures { metric item released count mean distribution { value count } }
    rows { key figures { metric released count mean } } } }`;
interface Figure {
  metric: string;
  item?: string | null;
  released: boolean;
  count: number | null;
  mean: number | null;
  distribution?: { value: string; count: number }[] | null;
}
interface Run {
  runId: string;
  name: string;
  ordinal: number;
  superseded: boolean;
  supersededAt: string | null;
  supersededByName: string | null;
  school: { id: string };
  figures: Figure[];
  rows: { key: string; figures: Figure[] }[];
}
const runs = async (who = officer, scope: Record<string, unknown> = { kind: 'INSTITUTION', id: ids.H }, year = '2026-2027') =>
  h.call(who, RUNS, { scope, year });
const listed = async (who = officer, scope?: Record<string, unknown>): Promise<Run[]> => ok(await runs(who, scope)).allocationRuns as Run[];
const byMetric = (figures: Figure[]) => Object.fromEntries(figures.map((f) => [f.metric, f]));
const rowOf = (r: Run, key: string) => byMetric(r.rows.find((x) => x.key === key)?.figures ?? []);

let h: QualityHarness;
const R1 = randomUUID();
const R2 = randomUUID();
beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D1, ids.D2], randomUUID()),
    agreementBetween(ids.S2, ids.H, [ids.D1], randomUUID()),
    agreementBetween(ids.S3, ids.H2, [randomUUID()], randomUUID()),
    // The main run: six students at D1 (three first choices, two second, one unranked), five at D2 (all first choices).
    run(
      R1,
      '2026-06-01T10:00:00.000Z',
      'OPTIMAL',
      [site(ids.D1, 8, 6), site(ids.D2, 6, 5)],
      [...[1, 1, 1, 2, 2, null].map((r) => placed(ids.D1, r)), ...[1, 1, 1, 1, 1].map((r) => placed(ids.D2, r))],
    ),
    // The re-run replaces it: five students at D1, one at D2 (one student: hidden).
    run(
      R2,
      '2026-06-02T10:00:00.000Z',
      'LOTTERY',
      [site(ids.D1, 6, 5), site(ids.D2, 3, 1)],
      [...[1, 1, 3, 1, 2].map((r) => placed(ids.D1, r)), placed(ids.D2, 1)],
      [R1],
    ),
    envelope(AllocationRunSuperseded, R1, { runId: R1, schoolId: ids.S, supersededBy: R2, at: '2026-06-02T10:00:00.000Z' }, 2),
  ]);
}, 240_000);
afterAll(() => h.stop());

describe('allocation figures per run', () => {
  it("lists the year's runs by name, the superseded one marked, each with its own figures", async () => {
    const [main, rerun, ...more] = await listed();
    expect(more).toEqual([]);
    expect(main).toMatchObject({
      runId: R1,
      name: '2026-2027 · run 1 · optimal',
      ordinal: 1,
      superseded: true,
      supersededAt: '2026-06-02T10:00:00.000Z',
      supersededByName: '2026-2027 · run 2 · lottery',
      school: { id: ids.S },
    });
    expect(rerun).toMatchObject({ runId: R2, name: '2026-2027 · run 2 · lottery', superseded: false, supersededByName: null });
    const m = byMetric(main!.figures);
    expect([m.RUN_SEATS_OFFERED?.count, m.RUN_SEATS_FILLED?.count]).toEqual([14, 11]);
    expect(m.RUN_FIRST_CHOICE).toMatchObject({ item: R1, released: true, count: 11, mean: 0.727 });
    expect(rowOf(main!, `DEPARTMENT:${ids.D1}`).RUN_PREFERENCE_RANK).toMatchObject({ released: true, count: 5, mean: 1.4 });
    expect(rowOf(main!, `DEPARTMENT:${ids.D1}`).RUN_PLACED_UNRANKED).toMatchObject({ released: true, mean: 0.167 });
    const r = byMetric(rerun!.figures);
    expect([r.RUN_SEATS_OFFERED?.count, r.RUN_SEATS_FILLED?.count]).toEqual([9, 6]);
    expect(r.RUN_PREFERENCE_RANK?.distribution ?? null).toEqual(r.RUN_PREFERENCE_RANK?.released ? expect.any(Array) : null);
  });

  it('protects each run with k distinct students: a one-student department hidden, and not derivable from its hospital', async () => {
    const rerun = (await listed()).find((x) => x.runId === R2)!;
    const fc = (key: string) => rowOf(rerun, key).RUN_FIRST_CHOICE!;
    expect(fc(`DEPARTMENT:${ids.D2}`)).toMatchObject({ released: false, count: null, mean: null });
    expect([`INSTITUTION:${ids.H}`, `DEPARTMENT:${ids.D1}`].filter((k) => !fc(k).released)).not.toEqual([]);
    // Only this run's figures in its rows.
    expect(rerun.rows.flatMap((x) => x.figures.map((f) => f.metric)).every((m) => m.startsWith('RUN_'))).toBe(true);
  });

  it('leaves the standing figures to the standing run', async () => {
    const REPORT = `query($scope: QualityScopeInput!) { qualityReport(scope: $scope, period: {kind: YEAR, id: "2026-2027"},
      metrics: [SEATS_OFFERED, FIRST_CHOICE]) { rows { key figures { metric count } } } }`;
    const rows = ok(await h.call(officer, REPORT, { scope: { kind: 'INSTITUTION', id: ids.H } })).qualityReport.rows as {
      key: string;
      figures: Figure[];
    }[];
    expect(byMetric(rows.find((x) => x.key === `DEPARTMENT:${ids.D1}`)!.figures).SEATS_OFFERED?.count).toBe(6);
  });

  it("is refused to another hospital's officer, a student and a school without the hospital; a partner school sees only its own runs", async () => {
    expect(codes(await runs(actor(ids.H2, 'QUALITY_OFFICER')))).toEqual(['FORBIDDEN']);
    expect(codes(await runs(actor(ids.S, 'STUDENT')))).toEqual(['FORBIDDEN']);
    expect(codes(await runs(actor(ids.S3, 'QUALITY_OFFICER')))).toEqual(['FORBIDDEN']);
    expect(await listed(actor(ids.S2, 'QUALITY_OFFICER'))).toEqual([]);
    expect(await listed(actor(ids.S2, 'QUALITY_OFFICER'), { kind: 'NETWORK' })).toEqual([]);
    // The runs' own school sees both, across the network.
    expect((await listed(actor(ids.S, 'QUALITY_OFFICER'), { kind: 'NETWORK' })).map((x) => x.runId)).toEqual([R1, R2]);
    expect(codes(await runs(officer, { kind: 'INSTITUTION', id: ids.H }, '2026'))).toEqual(['BAD_USER_INPUT']);
  });

  it('names any number of runs in the same number of statements', async () => {
    // A change at the hospital (a run of the year before), so the report is computed, not cached, both times.
    const earlier = randomUUID();
    await h.deliver([
      run(
        earlier,
        '2025-06-01T10:00:00.000Z',
        'OPTIMAL',
        [{ ...site(ids.D1, 2, 1, earlier), startsOn: '2025-09-01' }],
        [],
        [],
        '2025-2026',
      ),
    ]);
    h.counter.reset();
    expect(await listed()).toHaveLength(2);
    const two = h.counter.count;
    const block = randomUUID();
    await h.deliver(
      [3, 4, 5].map((d) =>
        run(randomUUID(), `2026-06-0${d}T10:00:00.000Z`, 'OPTIMAL', [site(ids.D1, 2, 1, block)], [placed(ids.D1, 1, block)]),
      ),
    );
    h.counter.reset();
    const five = await listed();
    expect(five.map((x) => x.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(h.counter.count).toBe(two);
  });

  it('gives the same runs and figures after a rebuild', async () => {
    const before = await listed();
    await rebuildRollups(h.dataSource, h.settings);
    expect(await listed()).toEqual(before);
  });

  it("hides a standing run's figure where another standing run shares the scope (the standing figure minus the run is the other's)", async () => {
    const RS2 = randomUUID();
    await h.deliver([
      run(
        RS2,
        '2026-06-03T10:00:00.000Z',
        'OPTIMAL',
        [site(ids.D1, 5, 5)],
        [1, 2, 1, 2, 1].map((r) => placed(ids.D1, r)),
        [],
        '2026-2027',
        ids.S2,
      ),
    ]);
    const all = await listed();
    const fc = (runId: string, key: string) =>
      rowOf(
        all.find((x) => x.runId === runId)!,
        key,
      ).RUN_FIRST_CHOICE!;
    // R2 and RS2 both stand at D1 and at the hospital: neither's figure there is shown to the hospital.
    for (const runId of [R2, RS2]) {
      expect(fc(runId, `DEPARTMENT:${ids.D1}`)).toMatchObject({ released: false, count: null });
      expect(fc(runId, `INSTITUTION:${ids.H}`)).toMatchObject({ released: false, count: null });
    }
    // The superseded main run is no part of the standing sums: still shown.
    expect(fc(R1, `DEPARTMENT:${ids.D1}`)).toMatchObject({ released: true, count: 6, mean: 0.5 });
    // The second school reads its own students only: its run stands alone there, its figures shown.
    const own = await listed(actor(ids.S2, 'QUALITY_OFFICER'));
    expect(own.map((x) => x.runId)).toEqual([RS2]);
    expect(rowOf(own[0]!, `DEPARTMENT:${ids.D1}`).RUN_FIRST_CHOICE).toMatchObject({ released: true, count: 5, mean: 0.6 });
  });

  it('keeps the RUN_* metrics out of reports, where nothing guards them against the standing figures', async () => {
    const REPORT = `query { qualityReport(scope: {kind: NETWORK}, period: {kind: YEAR, id: "2026-2027"}, metrics: [RUN_FIRST_CHOICE]) { rows { key } } }`;
    expect(codes(await h.call(actor(null, 'NETWORK_ADMIN'), REPORT, {}))).toEqual(['BAD_USER_INPUT']);
    const ALL = `query { qualityReport(scope: {kind: INSTITUTION, id: "${ids.H}"}, period: {kind: YEAR, id: "2026-2027"}) { rows { figures { metric } } } }`;
    const rows = ok(await h.call(officer, ALL, {})).qualityReport.rows as { figures: { metric: string }[] }[];
    expect(rows.flatMap((r) => r.figures.map((f) => f.metric)).filter((m) => m.startsWith('RUN_'))).toEqual([]);
  });
});

describe('allocation figures per run and specialty (ADR 0043)', () => {
  // School S4's run of 2027-2028 at two hospitals: H has D1 (cardiology, six students) and D5 (surgery,
  // two: too few); H2 has D6 (cardiology, five) and D7 (surgery, five).
  const S4 = randomUUID();
  const [D5, D6, D7] = [randomUUID(), randomUUID(), randomUUID()];
  const RX = randomUUID();
  const B2 = randomUUID();
  const admin = actor(null, 'NETWORK_ADMIN');
  const at = (hospitalId: string, departmentId: string, specialty: string) => ({
    hospitalId,
    departmentId,
    specialty,
    blockId: B2,
    startsOn: '2027-09-01',
  });
  const sites: [string, string, string, number][] = [
    [ids.H, ids.D1, 'CARDIOLOGY', 6],
    [ids.H, D5, 'SURGERY', 2],
    [ids.H2, D6, 'CARDIOLOGY', 5],
    [ids.H2, D7, 'SURGERY', 5],
  ];
  const networkRun = async (who = admin) =>
    (ok(await runs(who, { kind: 'NETWORK' }, '2027-2028')).allocationRuns as Run[]).find((r) => r.runId === RX)!;

  beforeAll(async () => {
    await h.deliver([
      envelope(AllocationRunPublished, RX, {
        runId: RX,
        schoolId: S4,
        academicYear: '2027-2028',
        variation: 'OPTIMAL',
        supersededRunIds: [],
        sites: sites.map(([hospitalId, departmentId, specialty, n]) => ({
          ...at(hospitalId, departmentId, specialty),
          seatsOffered: n + 1,
          seatsFilled: n,
        })),
        placements: sites.flatMap(([hospitalId, departmentId, specialty, n]) =>
          Array.from({ length: n }, (_, i) => ({
            studentId: randomUUID(),
            ...at(hospitalId, departmentId, specialty),
            rank: i % 2 ? 2 : 1,
          })),
        ),
        at: '2027-06-01T10:00:00.000Z',
      }),
    ]);
  });

  it('shows the run per specialty below the network, with seats across hospitals', async () => {
    const run = await networkRun();
    expect(run.rows.map((r) => r.key)).toEqual(
      expect.arrayContaining(['SPECIALTY:CARDIOLOGY', 'SPECIALTY:SURGERY', `INSTITUTION:${ids.H2}`]),
    );
    expect(rowOf(run, 'SPECIALTY:CARDIOLOGY').RUN_SEATS_OFFERED).toMatchObject({ count: 13 });
    expect(rowOf(run, 'SPECIALTY:SURGERY').RUN_SEATS_FILLED).toMatchObject({ count: 7 });
    // Specialty rows carry the run's figures under the RUN_* names, and only those.
    expect(rowOf(run, 'SPECIALTY:SURGERY').RUN_SPECIALTY_SEATS_FILLED).toBeUndefined();
    expect(run.rows.flatMap((r) => r.figures.map((f) => f.metric)).some((m) => m.startsWith('RUN_SPECIALTY_'))).toBe(false);
  });

  it('hides a specialty that would give a hidden department away (the specialty minus its other departments)', async () => {
    const run = await networkRun();
    const fc = (key: string) => rowOf(run, key).RUN_FIRST_CHOICE!;
    expect(fc(`DEPARTMENT:${D5}`)).toMatchObject({ released: false });
    // Both specialties hold at least k students, yet each is a sum with a hidden department in it.
    const hiddenDepartments = [ids.D1, D5, D6, D7].filter((d) => !fc(`DEPARTMENT:${d}`).released);
    for (const [specialty, departments] of [
      ['CARDIOLOGY', [ids.D1, D6]],
      ['SURGERY', [D5, D7]],
    ] as const) {
      const inside = departments.filter((d) => hiddenDepartments.includes(d)).length;
      if (fc(`SPECIALTY:${specialty}`).released) expect(inside).not.toBe(1);
    }
    expect(fc('SPECIALTY:SURGERY')).toMatchObject({ released: false, count: null });
    // And the network minus the other specialty gives none away either.
    const hiddenSpecialties = ['CARDIOLOGY', 'SURGERY'].filter((s) => !fc(`SPECIALTY:${s}`).released);
    if (fc(`NETWORK:network`).released) expect(hiddenSpecialties.length).not.toBe(1);
  });

  it('shows a specialty whose departments are all shown', async () => {
    const main = (await listed(actor(ids.S, 'QUALITY_OFFICER'), { kind: 'NETWORK' })).find((x) => x.runId === R1)!;
    expect(rowOf(main, 'SPECIALTY:CARDIOLOGY').RUN_FIRST_CHOICE).toMatchObject({ released: true, count: 11, mean: 0.727 });
  });

  it("keeps specialties to the network: a hospital reads its own departments only, another school's office nothing", async () => {
    expect(codes(await runs(actor(ids.H, 'QUALITY_OFFICER'), { kind: 'NETWORK' }, '2027-2028'))).toEqual(['FORBIDDEN']);
    const own = (
      ok(await runs(actor(ids.H, 'QUALITY_OFFICER'), { kind: 'INSTITUTION', id: ids.H }, '2027-2028')).allocationRuns as Run[]
    )[0]!;
    expect(own.rows.map((r) => r.key).sort()).toEqual([`DEPARTMENT:${D5}`, `DEPARTMENT:${ids.D1}`, `INSTITUTION:${ids.H}`].sort());
    expect(codes(await runs(actor(ids.H2, 'QUALITY_OFFICER'), { kind: 'INSTITUTION', id: ids.H }, '2027-2028'))).toEqual(['FORBIDDEN']);
    expect((ok(await runs(actor(ids.S, 'QUALITY_OFFICER'), { kind: 'NETWORK' }, '2027-2028')).allocationRuns as Run[]).length).toBe(0);
    expect(codes(await runs(admin, { kind: 'SPECIALTY', id: ids.H }, '2027-2028'))).toEqual(['BAD_USER_INPUT']);
  });
});

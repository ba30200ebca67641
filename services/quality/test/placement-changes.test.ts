import { randomUUID } from 'node:crypto';
import { PlacementCancelled, PlacementConfirmed, SwapRequestChanged } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Cancellations and swaps per hospital, department and specialty (issue 13, ADR 0047): counts,
 * the share of placements cancelled, and the same along network → specialty; through the report,
 * the trend and the CSV export; a rebuild gives the same figures; another institution is refused.
 */
const ids = { S: randomUUID(), S2: randomUUID(), H: randomUUID(), H2: randomUUID(), D1: randomUUID(), D2: randomUUID(), K1: randomUUID() };
const BLOCK = randomUUID();
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const METRICS = [
  'PLACEMENTS',
  'PLACEMENTS_CANCELLED',
  'PLACEMENTS_CANCELLED_SHARE',
  'SWAPS_APPROVED',
  'SPECIALTY_PLACEMENTS',
  'SPECIALTY_PLACEMENTS_CANCELLED',
  'SPECIALTY_PLACEMENTS_CANCELLED_SHARE',
  'SPECIALTY_SWAPS_APPROVED',
];
const admin = actor(null, 'NETWORK_ADMIN');
const officer = actor(ids.H, 'QUALITY_OFFICER');

/** A placement of school S at a department (its specialty named, or not: an older event), confirmed and maybe cancelled. */
function placement(hospitalId: string, departmentId: string, specialty: string | null, cancelled: boolean, schoolId = ids.S) {
  const placementId = randomUUID();
  const terms = {
    placementId,
    studentId: randomUUID(),
    schoolId,
    hospitalId,
    departmentId,
    blockId: BLOCK,
    supervisorId: null,
    ...(specialty ? { specialty } : {}),
    startsOn: '2026-09-07',
    endsOn: '2026-10-02',
    at: '2026-08-01T10:00:00.000Z',
    accessUntil: null,
  };
  return [
    envelope(PlacementConfirmed, placementId, terms),
    ...(cancelled ? [envelope(PlacementCancelled, placementId, { ...terms, reason: 'plans changed' }, 2)] : []),
  ];
}
function approvedSwap(departmentId: string, specialty: string) {
  const swapId = randomUUID();
  return envelope(SwapRequestChanged, swapId, {
    swapId,
    schoolId: ids.S,
    status: 'APPROVED',
    studentId: randomUUID(),
    placementId: randomUUID(),
    departmentId,
    hospitalId: ids.H,
    blockId: BLOCK,
    specialty,
    startsOn: '2026-09-07',
    withStudentId: null,
    withPlacementId: null,
    withDepartmentId: null,
    toDepartmentId: departmentId,
    at: '2026-08-02T10:00:00.000Z',
  });
}

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) { rows { key figures { metric released count mean } } } }`;
type Rows = { key: string; figures: { metric: string; released: boolean; count: number | null; mean: number | null }[] }[];
const report = (who = admin, scope: Record<string, unknown> = { kind: 'NETWORK' }) =>
  h.call(who, REPORT, { scope, period: YEAR, metrics: METRICS });
/** count/mean per metric of a row. */
async function figures(key: string, who = admin, scope?: Record<string, unknown>): Promise<Record<string, [number | null, number | null]>> {
  const rows = ok(await report(who, scope)).qualityReport.rows as Rows;
  return Object.fromEntries((rows.find((r) => r.key === key)?.figures ?? []).map((f) => [f.metric, [f.count, f.mean]]));
}

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D1, ids.D2]),
    agreementBetween(ids.S, ids.H2, [ids.K1]),
    // H: D1 (surgery) four placements, one cancelled; D2 (cardiology) two, both cancelled. H2: K1 one, specialty unnamed.
    ...placement(ids.H, ids.D1, 'SURGERY', true),
    ...[1, 2, 3].flatMap(() => placement(ids.H, ids.D1, 'SURGERY', false)),
    ...[1, 2].flatMap(() => placement(ids.H, ids.D2, 'CARDIOLOGY', true)),
    ...placement(ids.H2, ids.K1, null, false),
    // Another school's placement at K1, in surgery.
    ...placement(ids.H2, ids.K1, 'SURGERY', true, ids.S2),
    approvedSwap(ids.D1, 'SURGERY'),
    approvedSwap(ids.D2, 'CARDIOLOGY'),
    approvedSwap(ids.D2, 'CARDIOLOGY'),
  ]);
}, 240_000);
afterAll(() => h.stop());

describe('cancellations and swaps', () => {
  it('counts them per hospital and department, with the share of placements cancelled', async () => {
    expect(await figures(`INSTITUTION:${ids.H}`, officer, { kind: 'INSTITUTION', id: ids.H })).toMatchObject({
      PLACEMENTS: [6, null],
      PLACEMENTS_CANCELLED: [3, null],
      PLACEMENTS_CANCELLED_SHARE: [6, 0.5],
      SWAPS_APPROVED: [3, null],
    });
    expect(await figures(`DEPARTMENT:${ids.D2}`, officer, { kind: 'INSTITUTION', id: ids.H })).toMatchObject({
      PLACEMENTS_CANCELLED_SHARE: [2, 1],
      SWAPS_APPROVED: [2, null],
    });
  });

  it('counts them per specialty across hospitals, below the network; unnamed specialties as UNSPECIFIED', async () => {
    expect(await figures('SPECIALTY:SURGERY')).toMatchObject({
      SPECIALTY_PLACEMENTS: [5, null],
      SPECIALTY_PLACEMENTS_CANCELLED: [2, null],
      SPECIALTY_PLACEMENTS_CANCELLED_SHARE: [5, 0.4],
      SPECIALTY_SWAPS_APPROVED: [1, null],
    });
    expect(await figures('SPECIALTY:CARDIOLOGY')).toMatchObject({
      SPECIALTY_PLACEMENTS_CANCELLED: [2, null],
      SPECIALTY_SWAPS_APPROVED: [2, null],
    });
    expect(await figures('SPECIALTY:UNSPECIFIED')).toMatchObject({ SPECIALTY_PLACEMENTS: [1, null] });
    // The network is the sum of its specialties as of its hospitals.
    expect(await figures('NETWORK:network')).toMatchObject({
      PLACEMENTS: [8, null],
      SPECIALTY_PLACEMENTS: [8, null],
      PLACEMENTS_CANCELLED: [4, null],
      SPECIALTY_PLACEMENTS_CANCELLED: [4, null],
    });
  });

  it("shows a school's office its own students' figures per specialty, and refuses another institution's officer", async () => {
    const school = actor(ids.S, 'QUALITY_OFFICER');
    expect(await figures('SPECIALTY:SURGERY', school)).toMatchObject({
      SPECIALTY_PLACEMENTS: [4, null],
      SPECIALTY_PLACEMENTS_CANCELLED: [1, null],
    });
    const other = actor(ids.H2, 'QUALITY_OFFICER');
    expect(codes(await report(other, { kind: 'INSTITUTION', id: ids.H }))).toEqual(['FORBIDDEN']);
    expect(codes(await report(other))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.S2, 'STUDENT')))).toEqual(['FORBIDDEN']);
  });

  it('follows them in trends and exports them as CSV', async () => {
    const TREND = `query($scope: QualityScopeInput!, $metric: QualityMetric!, $periods: [QualityPeriodInput!]!) {
      qualityTrend(scope: $scope, metric: $metric, periods: $periods) { figure { count mean } } }`;
    const trend = ok(
      await h.call(officer, TREND, {
        scope: { kind: 'INSTITUTION', id: ids.H },
        metric: 'PLACEMENTS_CANCELLED_SHARE',
        periods: [YEAR, { kind: 'YEAR', id: '2027-2028' }],
      }),
    ).qualityTrend as { figure: { count: number | null; mean: number | null } }[];
    expect(trend.map((t) => [t.figure.count, t.figure.mean])).toEqual([
      [6, 0.5],
      [0, null],
    ]);
    const EXPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
      qualityReportExport(scope: $scope, period: $period, metrics: $metrics) { url } }`;
    const { url } = ok(await h.call(admin, EXPORT, { scope: { kind: 'NETWORK' }, period: YEAR, metrics: METRICS })).qualityReportExport;
    const u = new URL(url);
    const csv = await (await fetch(`${new URL(h.url).origin}${u.pathname}${u.search}`)).text();
    expect(csv).toContain('1,SPECIALTY,CARDIOLOGY,SPECIALTY_SWAPS_APPROVED,,true,,2,,');
  });

  it('gives the same figures after a rebuild', async () => {
    const before = ok(await report()).qualityReport.rows as Rows;
    await rebuildRollups(h.dataSource, h.settings);
    expect(ok(await report()).qualityReport.rows).toEqual(before);
  });
});

import { derivableIn } from '@medcollab/anonymity';
import { type Metric } from '../../src/domain/metrics';
import { type Figure, flatten, type ReportRow } from '../../src/domain/report';
import { specialtyEquations, withSpecialtyRows } from '../../src/domain/run-specialties';

/**
 * A run's specialty rows (ADR 0043) are decided with the hospital tree: a specialty is the sum of
 * its departments across hospitals and the network the sum of its specialties, so neither may
 * give a hidden department away; the hospital tree's own marks never change.
 */
const figure = (metric: Metric, count: number, released = count >= 5): Figure => ({
  metric,
  item: 'run',
  released,
  suppression: released ? null : 'TOO_FEW_EVALUATORS',
  count: released ? count : null,
  mean: released ? 0.5 : null,
  median: null,
  distribution: null,
  evaluatorCount: released ? count : null,
});
const row = (kind: ReportRow['kind'], id: string, figures: Figure[], children: ReportRow[] = []): ReportRow => ({
  key: `${kind}:${id}`,
  kind,
  id,
  depth: 0,
  figures,
  children,
});
const tree = (f: (kind: ReportRow['kind'], count: number, released?: boolean) => Figure[]) =>
  row('NETWORK', 'network', f('NETWORK', 18), [
    row('INSTITUTION', 'h1', f('INSTITUTION', 8), [
      row('DEPARTMENT', 'd1', f('DEPARTMENT', 6, false)),
      row('DEPARTMENT', 'd2', f('DEPARTMENT', 2)),
    ]),
    row('INSTITUTION', 'h2', f('INSTITUTION', 10), [
      row('DEPARTMENT', 'd3', f('DEPARTMENT', 5)),
      row('DEPARTMENT', 'd4', f('DEPARTMENT', 5)),
    ]),
    row('SPECIALTY', 'CARDIOLOGY', f('SPECIALTY', 11)),
    row('SPECIALTY', 'SURGERY', f('SPECIALTY', 7)),
  ]);
const specialtyOf = new Map([
  ['d1', 'CARDIOLOGY'],
  ['d2', 'SURGERY'],
  ['d3', 'CARDIOLOGY'],
  ['d4', 'SURGERY'],
]);
// The hospital tree's figures under RUN_*, the specialty rows' under RUN_SPECIALTY_* (seats too).
const both = (kind: ReportRow['kind'], count: number, released?: boolean): Figure[] =>
  kind === 'SPECIALTY'
    ? [figure('RUN_SPECIALTY_SEATS_OFFERED', count + 1, true), figure('RUN_SPECIALTY_FIRST_CHOICE', count, released)]
    : [figure('RUN_SEATS_OFFERED', count + 1, true), figure('RUN_FIRST_CHOICE', count, released)];

describe('withSpecialtyRows', () => {
  const out = flatten(withSpecialtyRows(tree(both), specialtyOf, 5));
  const fc = (key: string) => out.find((r) => r.key === key)!.figures.find((f) => f.metric === 'RUN_FIRST_CHOICE')!;

  it('hides a specialty holding a hidden department, and the other one the network would give away', () => {
    expect(fc('SPECIALTY:CARDIOLOGY')).toMatchObject({ released: false, suppression: 'COMPLEMENTARY', count: null });
    expect(fc('SPECIALTY:SURGERY')).toMatchObject({ released: false, count: null });
    const hidden = new Set(out.flatMap((r, i) => (fc(r.key).released ? [] : [i])));
    const parents = out.map((r) => out.findIndex((p) => p.children.includes(r)));
    expect(derivableIn(specialtyEquations(out, parents, specialtyOf), hidden)).toEqual([]);
  });

  it("leaves the hospital tree's marks alone and names the specialty rows' figures like the others", () => {
    expect(['NETWORK:network', 'INSTITUTION:h1', 'DEPARTMENT:d3'].map((k) => fc(k).released)).toEqual([true, true, true]);
    expect(fc('DEPARTMENT:d1').released).toBe(false);
    const metrics = (key: string) => out.find((r) => r.key === key)!.figures.map((f) => f.metric);
    expect(metrics('SPECIALTY:SURGERY')).toEqual(['RUN_SEATS_OFFERED', 'RUN_FIRST_CHOICE']);
    expect(metrics('INSTITUTION:h2')).toEqual(['RUN_SEATS_OFFERED', 'RUN_FIRST_CHOICE']);
    // Seat counts are shown as they are.
    expect(out.find((r) => r.key === 'SPECIALTY:SURGERY')!.figures[0]).toMatchObject({ released: true, count: 8 });
  });

  it('shows the specialties when every department is shown', () => {
    const all = (kind: ReportRow['kind'], count: number) => both(kind, count === 2 ? 5 : count, true);
    const shown = flatten(withSpecialtyRows(tree(all), specialtyOf, 5));
    const f = (key: string) => shown.find((r) => r.key === key)!.figures.find((x) => x.metric === 'RUN_FIRST_CHOICE')!;
    expect([f('SPECIALTY:CARDIOLOGY').released, f('SPECIALTY:SURGERY').released]).toEqual([true, true]);
  });

  it('leaves a tree without specialty rows (a hospital) as the run guard made it, its specialty figures dropped', () => {
    const hospital = tree(both).children[0]!;
    const rows = flatten(withSpecialtyRows(hospital, specialtyOf, 5));
    expect(rows.map((r) => r.figures.map((f) => [f.metric, f.released]))).toEqual(
      flatten(hospital).map((r) => r.figures.map((f) => [f.metric, f.released])),
    );
  });
});

import { type AllocationRunInfo } from '../../src/domain/allocation-runs';
import { type Figure, type ReportRow } from '../../src/domain/report';
import { guardedRunTrees } from '../../src/domain/run-guard';

/** The guard of a standing run's figures against the standing ones (ADR 0030 point 7), on hand-made reports. */
const fig = (metric: string, item: string | null, count: number, evaluators = count): Figure =>
  ({
    metric,
    item,
    released: true,
    suppression: null,
    count,
    mean: 0.5,
    median: null,
    distribution: null,
    evaluatorCount: evaluators,
  }) as Figure;
const row = (key: string, figures: Figure[], children: ReportRow[] = []): ReportRow =>
  ({ key, kind: key.split(':')[0], id: key.split(':')[1], depth: 0, figures, children }) as ReportRow;
const info = (runId: string, superseded = false) => ({ runId, superseded }) as AllocationRunInfo;
/** A run's figures at one node: seats filled and first choices over `n` students. */
const run = (runId: string, n: number) => [fig('RUN_SEATS_FILLED', runId, n), fig('RUN_FIRST_CHOICE', runId, n)];
const released = (tree: ReportRow, key: string) => {
  const find = (r: ReportRow): ReportRow | undefined => (r.key === key ? r : r.children.map(find).find(Boolean));
  return find(tree)!.figures.find((f) => f.metric === 'RUN_FIRST_CHOICE')!.released;
};

describe('guardedRunTrees', () => {
  // Hospital H: D1 holds runs A (6 students) and B (6), D2 holds A only (7).
  const report = row(
    'INSTITUTION:H',
    [...run('A', 13), ...run('B', 6), fig('FIRST_CHOICE', null, 19)],
    [
      row('DEPARTMENT:D1', [...run('A', 6), ...run('B', 6), fig('FIRST_CHOICE', null, 12)]),
      row('DEPARTMENT:D2', [...run('A', 7), fig('FIRST_CHOICE', null, 7)]),
    ],
  );

  it('hides a standing run where another standing run shares the scope, and one more so it is not the parent minus the rest', () => {
    const a = guardedRunTrees(report, [info('A'), info('B')], 5).get('A')!;
    expect(released(a, 'DEPARTMENT:D1')).toBe(false);
    expect(released(a, 'INSTITUTION:H')).toBe(false);
    // D2 alone is A's: shown (it equals the standing D2), as H and D1 are both hidden.
    expect(released(a, 'DEPARTMENT:D2')).toBe(true);
  });

  it('leaves a run alone when the other run is superseded (no part of the standing sums)', () => {
    const a = guardedRunTrees(report, [info('A'), info('B', true)], 5).get('A')!;
    expect(['INSTITUTION:H', 'DEPARTMENT:D1', 'DEPARTMENT:D2'].map((k) => released(a, k))).toEqual([true, true, true]);
    const b = guardedRunTrees(report, [info('A'), info('B', true)], 5).get('B')!;
    expect(released(b, 'DEPARTMENT:D1')).toBe(true);
  });

  it("hides a standing run where the standing figure is hidden, and keeps only the run's own figures", () => {
    const hiddenStanding = row(
      'INSTITUTION:H',
      [...run('A', 13), fig('FIRST_CHOICE', null, 13)],
      [
        row('DEPARTMENT:D1', [...run('A', 6), { ...fig('FIRST_CHOICE', null, 6), released: false, count: null }]),
        row('DEPARTMENT:D2', [...run('A', 7), fig('FIRST_CHOICE', null, 7)]),
      ],
    );
    const a = guardedRunTrees(hiddenStanding, [info('A')], 5).get('A')!;
    expect(released(a, 'DEPARTMENT:D1')).toBe(false);
    expect([released(a, 'INSTITUTION:H'), released(a, 'DEPARTMENT:D2')]).toContain(false);
    expect(a.figures.map((f) => f.metric)).toEqual(['RUN_SEATS_FILLED', 'RUN_FIRST_CHOICE']);
  });
});

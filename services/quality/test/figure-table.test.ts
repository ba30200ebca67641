import { startSupergraph, TEST_SECRET, tokenFor } from '@medcollab/testing';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';
import { scenario, YEAR } from './support/scenario';

/**
 * QualityReport.figureTable: the same figures as `rows`, in columns (one list per field), for
 * clients of large reports; refused exactly like the report; no more SQL than the rows.
 */
let h: QualityHarness;
const { ids, events } = scenario();
beforeAll(async () => {
  h = await startQuality();
  await h.deliver(events);
});
afterAll(() => h.stop());

const FIELDS = 'metric item released suppression count mean median evaluatorCount';
const ROWS = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period) { rows { key depth figures { ${FIELDS} } } } }`;
const TABLE = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period) { figureTable {
    rowKeys depths columns { metric item } released suppression count mean median evaluatorCount } } }`;
type Figure = Record<string, unknown> & { metric: string; item: string | null };
type Table = { rowKeys: string[]; depths: number[]; columns: { metric: string; item: string | null }[] } & Record<string, unknown[]>;
const officer = actor(ids.H1, 'QUALITY_OFFICER');
const vars = (id = ids.H1) => ({ scope: { kind: 'INSTITUTION', id }, period: { kind: 'YEAR', id: YEAR } });

describe('QualityReport.figureTable', () => {
  it('holds every figure of every row, row-major, as the rows show them', async () => {
    const rows = ok(await h.call(officer, ROWS, vars())).qualityReport.rows as { key: string; depth: number; figures: Figure[] }[];
    const table = ok(await h.call(officer, TABLE, vars())).qualityReport.figureTable as Table;
    expect(table.rowKeys).toEqual(rows.map((r) => r.key));
    expect(table.depths).toEqual(rows.map((r) => r.depth));
    expect(table.columns).toEqual(rows[0]!.figures.map((f) => ({ metric: f.metric, item: f.item })));
    const width = table.columns.length;
    const rebuilt = rows.map((_, r) =>
      table.columns.map((c, i) => ({
        ...c,
        ...Object.fromEntries(
          ['released', 'suppression', 'count', 'mean', 'median', 'evaluatorCount'].map((f) => [f, table[f]![r * width + i]]),
        ),
      })),
    );
    expect(rebuilt).toEqual(rows.map((r) => r.figures));
    // Hidden figures are there too (T2 has 3 evaluators), with their reason and no numbers.
    expect(table.suppression).toContain('TOO_FEW_EVALUATORS');
  });

  it('costs no more SQL than the rows: a warm report is the same statements either way', async () => {
    await h.call(officer, ROWS, vars());
    h.counter.reset();
    ok(await h.call(officer, ROWS, vars()));
    const rows = h.counter.count;
    h.counter.reset();
    ok(await h.call(officer, TABLE, vars()));
    expect(h.counter.count).toBe(rows);
  });

  it('is refused like the report: another hospital, a school without the partnership, a teacher, a student', async () => {
    for (const who of [
      actor(ids.H2, 'QUALITY_OFFICER'),
      actor(ids.S2, 'QUALITY_OFFICER'),
      actor(ids.H1, 'TEACHER'),
      actor(ids.H1, 'STUDENT'),
    ])
      expect(codes(await h.call(who, TABLE, vars()))).toEqual(['FORBIDDEN']);
  });
});

const PACKED = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period) { packedFigureTable } }`;

describe('QualityReport.packedFigureTable', () => {
  it('is the figure table as one JSON value: the same lists under the same names', async () => {
    const table = ok(await h.call(officer, TABLE, vars())).qualityReport.figureTable as Table;
    const packed = ok(await h.call(officer, PACKED, vars())).qualityReport.packedFigureTable as Table;
    expect(packed).toEqual(table);
    expect(packed.suppression).toContain('TOO_FEW_EVALUATORS');
  });

  it('is refused like the report, and is never an input', async () => {
    for (const who of [actor(ids.H2, 'QUALITY_OFFICER'), actor(ids.S2, 'QUALITY_OFFICER'), actor(ids.H1, 'TEACHER')])
      expect(codes(await h.call(who, PACKED, vars()))).toEqual(['FORBIDDEN']);
    const asInput = await h.call(officer, 'query($t: QualityPackedFigureTable) { __typename }', { t: {} });
    expect(asInput.errors?.length).toBeGreaterThan(0);
  });

  it('passes through the real gateway unchanged', async () => {
    const supergraph = await startSupergraph({ subgraphs: [{ name: 'quality', url: h.url }], secret: TEST_SECRET });
    try {
      const token = await tokenFor({ institutionId: ids.H1, roles: ['QUALITY_OFFICER'] });
      const [packed, table] = await Promise.all(
        [PACKED, TABLE].map((query) => supergraph.request<{ qualityReport: Record<string, unknown> }>(query, { token, variables: vars() })),
      );
      expect(packed!.body.errors).toBeUndefined();
      expect(packed!.body.data!.qualityReport.packedFigureTable).toEqual(table!.body.data!.qualityReport.figureTable);
      const other = await tokenFor({ institutionId: ids.H2, roles: ['QUALITY_OFFICER'] });
      const refused = await supergraph.request(PACKED, { token: other, variables: vars() });
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    } finally {
      await supergraph.stop();
    }
  }, 120_000);
});

import { assessmentSubgraph, loadScaleAssessment } from '@medcollab/assessment';
import { createDataSource, type DataSourceOptions } from '@medcollab/kit';
import { loadScaleQuality, qualityEventHandlers, qualitySubgraph, rebuildRollups } from '@medcollab/quality';
import { buildScaleWorld, loadScaleWorld } from '@medcollab/scale-world';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';

/**
 * Quality's part of the generated world is loaded in bulk (the history folded in memory, no
 * rollup_fact rows): its rollups must be what quality's own rebuild makes of the same history,
 * and a later event on a loaded aggregate must move them as it moves rebuilt ones.
 */
const world = buildScaleWorld({ scale: 'tiny', seed: 'scale-quality' });
const settings = { academicYearStartMonth: 9, minEvaluators: 5 };
const databases: TestDatabase[] = [];
const ds: Record<string, DataSource> = {};

const open = async (key: string, module: { name: string; entities: unknown; migrations: unknown }) => {
  const opts = { entities: module.entities, migrations: module.migrations } as Pick<DataSourceOptions, 'entities' | 'migrations'>;
  const db = await createTestDatabase(module.name, opts);
  databases.push(db);
  ds[key] = await createDataSource({ url: db.url, ...opts, poolSize: 2 }).initialize();
};

beforeAll(async () => {
  await open('assessment', assessmentSubgraph);
  await open('bulk', qualitySubgraph);
  await open('rebuilt', qualitySubgraph);
  await loadScaleWorld(world, [
    { service: 'assessment', dataSource: ds.assessment!, load: loadScaleAssessment },
    { service: 'bulk', dataSource: ds.bulk!, load: loadScaleQuality },
    { service: 'rebuilt', dataSource: ds.rebuilt!, load: loadScaleQuality },
  ]);
}, 600_000);

afterAll(async () => {
  await Promise.all(Object.values(ds).map((d) => d.destroy()));
  await Promise.all(databases.map((db) => db.drop()));
});

/** Every rollup table's rows as one digest (and their count), independent of physical order. */
async function rollups(d: DataSource): Promise<Record<string, { n: number; h: string }>> {
  const out: Record<string, { n: number; h: string }> = {};
  for (const [table, order] of [
    ['rollup_cell', 'metric, school, scope_kind, scope_id, period_kind, period_id, item'],
    ['rollup_cell_evaluator', 'metric, school, scope_kind, scope_id, period_kind, period_id, item, bucket'],
    ['quality_school_block', 'school_id, block_id'],
  ] as const) {
    const [row] = (await d.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(t)::text, '|' ORDER BY ${order}), '')) AS h FROM ${table} t`,
    )) as { n: number; h: string }[];
    out[table] = row!;
  }
  return out;
}

test('the bulk-loaded rollups are what quality’s rebuild makes of the same history', async () => {
  const loaded = await rollups(ds.bulk!);
  expect(loaded.rollup_cell!.n).toBeGreaterThan(1000);
  // A cell's evaluators are its buckets (ADR 0037): fewer rows than evaluators, every one of them held.
  expect(loaded.rollup_cell_evaluator!.n).toBeGreaterThan(100);
  const [entries] = (await ds.bulk!.query(
    `SELECT sum((SELECT count(*) FROM jsonb_object_keys(counts)))::int AS n FROM rollup_cell_evaluator`,
  )) as { n: number }[];
  expect(entries!.n).toBeGreaterThan(1000);
  expect(entries!.n).toBeGreaterThan(loaded.rollup_cell_evaluator!.n);
  expect(loaded.quality_school_block!.n).toBe(world.blocks.length);
  const [held] = (await ds.bulk!.query(`SELECT count(*)::int AS n FROM applied_event`)) as { n: number }[];
  const evaluations = world.tasks.filter((t) => t.status === 'SUBMITTED' && t.role.endsWith('_EVALUATION')).length;
  expect(held!.n).toBeGreaterThan(world.placements.length + world.tasks.length + evaluations);

  await rebuildRollups(ds.rebuilt!, settings);
  expect(await rollups(ds.rebuilt!)).toEqual(loaded);
  // Every block a placement counts in is a period with its year (the year's report protects its blocks).
  expect(
    await ds.bulk!.query(`SELECT period_id FROM quality_period WHERE period_kind = 'BLOCK' AND (year_id IS NULL OR term_id IS NULL)`),
  ).toEqual([]);
  const [blocks] = (await ds.bulk!.query(`SELECT count(*)::int AS n FROM quality_period WHERE period_kind = 'BLOCK'`)) as { n: number }[];
  expect(blocks!.n).toBe(world.blocks.length);
}, 600_000);

test('a later event on a loaded aggregate moves its cells as it moves rebuilt ones', async () => {
  const task = world.tasks.find((t) => t.status === 'PENDING')!;
  const [assigned] = (await ds.bulk!.query(
    `SELECT payload FROM applied_event WHERE aggregate_type = 'AssessmentTask' AND aggregate_id = $1 AND sequence = 1`,
    [task.id],
  )) as { payload: Record<string, unknown> }[];
  const { assignedAt: _assignedAt, ...facts } = assigned!.payload;
  const submittedAt = new Date(Date.parse(task.assignedAt) + 86_400_000).toISOString();
  const envelope = {
    id: '7d0f1c2e-3a4b-4c5d-8e6f-000000000001',
    type: 'AssessmentTaskSubmitted',
    version: 1,
    source: 'assessment',
    aggregateType: 'AssessmentTask',
    aggregateId: task.id,
    sequence: 2,
    occurredAt: submittedAt,
    payload: { ...facts, submittedAt },
    metadata: {},
  };
  const handle = qualityEventHandlers(settings).AssessmentTaskSubmitted!;
  for (const d of [ds.bulk!, ds.rebuilt!]) await d.transaction((em) => handle(em, envelope as Parameters<typeof handle>[1]));
  const after = await rollups(ds.bulk!);
  expect(after).toEqual(await rollups(ds.rebuilt!));
  // It did move them: the task counts as submitted once, and as assigned still once.
  const hospital = task.placement.hospitalId;
  const cell = async (metric: string) =>
    (
      (await ds.bulk!.query(
        `SELECT n::int FROM rollup_cell WHERE metric = $1 AND school = '*' AND scope_kind = 'INSTITUTION' AND scope_id = $2
            AND period_kind = 'BLOCK' AND period_id = $3 AND item = ''`,
        [metric, hospital, task.placement.blockId],
      )) as { n: number }[]
    )[0]?.n ?? 0;
  const inBlock = world.tasks.filter((t) => t.placement.hospitalId === hospital && t.placement.blockId === task.placement.blockId);
  expect(await cell('TASKS_ASSIGNED')).toBe(inBlock.length);
  expect(await cell('TASKS_OPEN')).toBe(inBlock.filter((t) => t.status === 'PENDING').length - 1);
}, 600_000);

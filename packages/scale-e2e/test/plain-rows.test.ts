import { plainRowReader } from '@medcollab/kit';
import { buildScaleWorld } from '@medcollab/scale-world';
import { type DataSource, type ObjectLiteral } from 'typeorm';
import { type LoadedWorld, loadWorldIntoTestDatabases, SCALE_SERVICES } from './support';

/**
 * The services' loaders read in plain SQL (the kit's plainRowReader, ADR 0036) and must hand
 * resolvers exactly what TypeORM's `find` did: for every flat entity of every service that keeps
 * a part of the generated world, over that world, the same rows in the same order, of the same
 * class, with the same values in the same JavaScript types (dates of `date` columns as strings,
 * numeric columns through their transformers, arrays, jsonb, nulls). An entity with relations
 * is refused by the reader rather than read wrongly.
 */
const world = buildScaleWorld({ scale: 'tiny', seed: 'plain-rows' });
let loaded: LoadedWorld;
let ds: Record<string, DataSource>;

beforeAll(async () => {
  loaded = await loadWorldIntoTestDatabases(world);
  ds = loaded.ds;
});

afterAll(() => loaded?.drop());

const cases = SCALE_SERVICES.flatMap(({ module }) =>
  (module.entities as (new () => ObjectLiteral)[]).map((entity) => [`${module.name} ${entity.name}`, module.name, entity] as const),
);

test.each(cases)('%s: every row as TypeORM reads it', async (_title, service, entity) => {
  const source = ds[service]!;
  const meta = source.getMetadata(entity);
  if (meta.relations.length || meta.embeddeds.length) {
    expect(() => plainRowReader(source, entity)).toThrow(/flat entities only/);
    return;
  }
  const order = Object.fromEntries(meta.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
  const orm = await source.getRepository(entity).find({ order: order as never });
  const plain = await plainRowReader(source, entity).all(order);
  expect(plain).toStrictEqual(orm);
});

test('the world fills the tables the hot loaders read, so the comparisons compare rows', async () => {
  const counts: Record<string, string[]> = {
    network: ['student', 'staff_member', 'department', 'institution'],
    rotations: ['placement', 'rotation_block', 'known_student'],
    assessment: ['assessment_task', 'instrument', 'instrument_item', 'known_student'],
    mentorship: ['mentorship', 'mentorship_mentee', 'development_goal', 'known_student'],
  };
  for (const [service, tables] of Object.entries(counts))
    for (const table of tables) {
      const [row] = (await ds[service]!.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
      expect({ service, table, n: row!.n > 0 }).toEqual({ service, table, n: true });
    }
});

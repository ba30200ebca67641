import { plainRowReader } from '@medcollab/kit';
import { In, type ObjectLiteral } from 'typeorm';
import { Department, entities } from '../src/entities';
import { seedDemoNetwork } from '../src/seed/demo-network';
import { type NetworkHarness, startNetwork } from './support/harness';

/**
 * The loaders read in plain SQL (ADR 0036) and must hand resolvers exactly what TypeORM's
 * `find` did — same class, properties, values and JavaScript types (agreement dates as
 * 'YYYY-MM-DD', roles as arrays, nulls as null) — for every flat network entity, over the demo network.
 */
let h: NetworkHarness;

beforeAll(async () => {
  h = await startNetwork();
  await seedDemoNetwork(h.dataSource);
}, 240_000);
afterAll(() => h?.stop());

describe.each(entities.map((e) => [e.name, e] as const))('%s', (_name, entity) => {
  it('reads every row as TypeORM does (or is refused when it has relations)', async () => {
    const meta = h.dataSource.getMetadata(entity);
    if (meta.relations.length) {
      expect(() => plainRowReader(h.dataSource, entity as new () => ObjectLiteral)).toThrow(/flat entities only/);
      return;
    }
    const order = Object.fromEntries(meta.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
    const orm = await h.dataSource.getRepository(entity).find({ order: order as never });
    const plain = await plainRowReader(h.dataSource, entity as new () => ObjectLiteral).all(order);
    expect(plain).toStrictEqual(orm);
  });
});

test('departments by institution, in name order, as find gives them', async () => {
  const institutionIds = ((await h.dataSource.query(`SELECT DISTINCT institution_id FROM department`)) as { institution_id: string }[]).map(
    (r) => r.institution_id,
  );
  expect(institutionIds.length).toBeGreaterThan(1);
  const orm = await h.dataSource
    .getRepository(Department)
    .find({ where: { institutionId: In(institutionIds) }, order: { name: 'ASC', id: 'ASC' } });
  const plain = await plainRowReader(h.dataSource, Department).by('institutionId', institutionIds, { order: { name: 'ASC', id: 'ASC' } });
  expect(plain.map((d) => d.id)).toEqual(orm.map((d) => d.id));
  expect(plain).toStrictEqual(orm);
});

import { assessmentSubgraph } from '@medcollab/assessment';
import { createDataSource } from '@medcollab/kit';
import { createTestDatabase } from '@medcollab/testing';

/** The indexes issue 16 added for the department page's hot reads come and go with their migration. */
test('assessment: the department lookup indexes are reversible', async () => {
  const db = await createTestDatabase('assessment', { entities: assessmentSubgraph.entities, migrations: assessmentSubgraph.migrations });
  const ds = await createDataSource({
    url: db.url,
    entities: assessmentSubgraph.entities,
    migrations: assessmentSubgraph.migrations,
  }).initialize();
  try {
    const indexes = async () =>
      (await ds.query(
        `SELECT to_regclass('known_placement_department')::text AS a, to_regclass('known_staff_department')::text AS b`,
      )) as unknown[];
    expect(await indexes()).toEqual([{ a: 'known_placement_department', b: 'known_staff_department' }]);
    // Undo newer migrations first, then this one (1765600000001).
    const last = async () => Number(((await ds.query(`SELECT max(timestamp) AS t FROM migrations`)) as { t: string }[])[0]!.t);
    while ((await last()) > 1765600000001) await ds.undoLastMigration();
    expect(await indexes()).toEqual([{ a: 'known_placement_department', b: 'known_staff_department' }]);
    await ds.undoLastMigration();
    expect(await indexes()).toEqual([{ a: null, b: null }]);
    await ds.runMigrations();
    expect(await indexes()).toEqual([{ a: 'known_placement_department', b: 'known_staff_department' }]);
  } finally {
    await ds.destroy();
    await db.drop();
  }
});

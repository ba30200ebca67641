import { BadUserInputError, ConflictError, createDataSource, initializeDataSource, runCommand } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../src/database';

let db: TestDatabase;
let ds: DataSource;
beforeAll(async () => {
  db = await createTestDatabase('kitcommand', { entities: [], migrations: [] });
  ds = await initializeDataSource(createDataSource({ url: db.url, entities: [], migrations: [], poolSize: 2 }), { migrate: false });
  await ds.query(
    'CREATE TABLE thing (id int PRIMARY KEY, code text CONSTRAINT thing_code_unique UNIQUE, name text CONSTRAINT thing_name_unique UNIQUE)',
  );
  await ds.query(`INSERT INTO thing VALUES (1, 'A', 'alpha')`);
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const refusals = {
  thing_code_unique: { message: 'This code is taken', field: 'code' },
  thing_name_unique: () => new BadUserInputError('Pick another name'),
};
const count = async () => ((await ds.query('SELECT count(*)::int AS n FROM thing')) as { n: number }[])[0]!.n;

describe('runCommand', () => {
  it('turns a unique index caught by a race into the service refusal, and writes nothing', async () => {
    const insert = (id: number, code: string, name: string) =>
      runCommand(
        ds,
        async (em) => {
          await em.query(`INSERT INTO thing VALUES ($1 + 100, 'fresh' || $1, 'fresh' || $1)`, [id]);
          await em.query('INSERT INTO thing VALUES ($1, $2, $3)', [id, code, name]);
        },
        refusals,
      );
    await expect(insert(2, 'A', 'beta')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This code is taken',
      details: { field: 'code' },
    });
    await expect(insert(3, 'B', 'alpha')).rejects.toBeInstanceOf(BadUserInputError);
    await expect(insert(1, 'C', 'gamma')).rejects.toThrow(new ConflictError('This record already exists'));
    expect(await count()).toBe(1);
    await insert(4, 'D', 'delta');
    expect(await count()).toBe(3);
  });
});

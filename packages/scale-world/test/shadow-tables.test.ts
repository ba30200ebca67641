import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { ShadowTables } from '../src';

/** A table shaped like the quality rollups: a composite key, a partial index, a default, a check. */
const SCHEMA = `
  CREATE TABLE cell (a text NOT NULL, b text NOT NULL, n int NOT NULL DEFAULT 0 CHECK (n >= 0), note jsonb NOT NULL DEFAULT '{}',
                     CONSTRAINT cell_pkey PRIMARY KEY (a, b));
  CREATE INDEX cell_by_b ON cell (b, a) WHERE n > 0;
  CREATE TABLE fact (id text NOT NULL, CONSTRAINT fact_id_unique UNIQUE (id));
  INSERT INTO cell VALUES ('old', 'x', 1, '{}');
  INSERT INTO fact VALUES ('old');`;

const CATALOG = `
  SELECT 'index ' || indexname || ': ' || indexdef AS d FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT 'table ' || relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
  ORDER BY 1`;

const lines = async function* (...pieces: string[]) {
  for (const piece of pieces) yield Buffer.from(piece);
};

describe('ShadowTables (ADR 0061)', () => {
  let db: TestDatabase;
  let main: Client;
  let reader: Client;
  const catalog = async () => (await reader.query<{ d: string }>(CATALOG)).rows.map((r) => r.d);

  beforeEach(async () => {
    db = await createTestDatabase('shadowtables', { entities: [], migrations: [] });
    main = new Client({ connectionString: db.url });
    reader = new Client({ connectionString: db.url });
    await Promise.all([main.connect(), reader.connect()]);
    await main.query(SCHEMA);
  });
  afterEach(async () => {
    await Promise.all([main.end(), reader.end()]);
    await db.drop();
  });

  it('swaps filled shadows in, in the caller transaction: new rows under the old keys and indexes, old rows read until commit', async () => {
    const before = await catalog();
    await main.query('BEGIN');
    const shadows = await ShadowTables.open(main, { connectionString: db.url }, ['cell', 'fact']);
    await shadows.copy(
      'cell',
      [
        ['a', 'text'],
        ['b', 'text'],
        ['n', 'int'],
      ],
      lines('new\tx\t2\n', 'new\ty\t0\n'),
    );
    await shadows.copy('fact', [['id', 'text']], lines('f1\nf2\n'));
    await Promise.all([shadows.index('cell'), shadows.index('fact')]);
    // Loaded but not swapped: readers still read the live rows.
    expect((await reader.query('SELECT a FROM cell')).rows).toEqual([{ a: 'old' }]);
    await shadows.swap(main);
    // Until the swap commits, another connection reads the old rows (it waits for the commit, then reads the new).
    const read = reader.query<{ a: string }>('SELECT a FROM cell ORDER BY a');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await main.query('COMMIT');
    expect((await read).rows.map((r) => r.a)).toEqual(['new', 'new']);
    await shadows.close();

    expect(await catalog()).toEqual(before);
    expect((await reader.query('SELECT a, b, n, note FROM cell ORDER BY b')).rows).toEqual([
      { a: 'new', b: 'x', n: 2, note: {} },
      { a: 'new', b: 'y', n: 0, note: {} },
    ]);
    // The keys refuse duplicates, and the check and the partial index hold as before.
    await expect(reader.query(`INSERT INTO cell (a, b) VALUES ('new', 'x')`)).rejects.toMatchObject({ code: '23505' });
    await expect(reader.query(`INSERT INTO fact VALUES ('f1')`)).rejects.toMatchObject({ code: '23505' });
    await expect(reader.query(`INSERT INTO cell (a, b, n) VALUES ('z', 'z', -1)`)).rejects.toMatchObject({ code: '23514' });
    const plan = await reader.query<{ 'QUERY PLAN': string }>(
      `SET enable_seqscan = off; EXPLAIN SELECT a FROM cell WHERE b = 'x' AND n > 0`,
    );
    expect(JSON.stringify(plan)).toContain('cell_by_b');
  });

  it('leaves the live tables as they were when the load fails, and drops the shadows', async () => {
    const before = await catalog();
    await main.query('BEGIN');
    const shadows = await ShadowTables.open(main, { connectionString: db.url }, ['cell', 'fact']);
    // A duplicate key: the shadow's key build fails, as the live key would refuse it.
    await shadows.copy(
      'cell',
      [
        ['a', 'text'],
        ['b', 'text'],
      ],
      lines('d\tx\n', 'd\tx\n'),
    );
    await expect(shadows.index('cell')).rejects.toMatchObject({ code: '23505' });
    await main.query('ROLLBACK');
    await shadows.close();
    expect(await catalog()).toEqual(before);
    expect((await reader.query('SELECT a FROM cell')).rows).toEqual([{ a: 'old' }]);
  });

  it('drops the shadows a rebuild that died left behind', async () => {
    await main.query(`CREATE TABLE cell__rebuilt (x int); INSERT INTO cell__rebuilt VALUES (1)`);
    await main.query('BEGIN');
    const shadows = await ShadowTables.open(main, { connectionString: db.url }, ['cell']);
    await shadows.copy(
      'cell',
      [
        ['a', 'text'],
        ['b', 'text'],
      ],
      lines('a\tb\n'),
    );
    await shadows.index('cell');
    await shadows.swap(main);
    await main.query('COMMIT');
    expect((await reader.query('SELECT a, b, n FROM cell')).rows).toEqual([{ a: 'a', b: 'b', n: 0 }]);
    await expect(shadows.copy('nothing', [['a', 'text']], lines())).rejects.toThrow('nothing has no shadow');
  });
});

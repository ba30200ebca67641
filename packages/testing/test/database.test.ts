import { Client } from 'pg';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase } from '../src/database';

class CreateWidgets1700000000000 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE widget (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE widget');
  }
}

describe('createTestDatabase', () => {
  it('gives each caller its own migrated database cloned from one template', async () => {
    const [a, b] = await Promise.all([
      createTestDatabase('kitcheck', { entities: [], migrations: [CreateWidgets1700000000000] }),
      createTestDatabase('kitcheck', { entities: [], migrations: [CreateWidgets1700000000000] }),
    ]);
    try {
      expect(a.name).not.toEqual(b.name);
      const client = new Client({ connectionString: a.url });
      await client.connect();
      await client.query('INSERT INTO widget VALUES (1)');
      await client.end();
      const other = new Client({ connectionString: b.url });
      await other.connect();
      const { rows } = await other.query('SELECT count(*)::int AS n FROM widget');
      await other.end();
      expect(rows[0].n).toBe(0);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});

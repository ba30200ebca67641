import { type DataSource } from 'typeorm';

/** How a service's database compares with the migrations its code ships. */
export interface SchemaVersion {
  /** Migrations the code has that the database has not applied (the release's Job has not run yet). */
  pending: string[];
  /** Migrations the database has applied that the code does not know (a newer release migrated it). */
  unknown: string[];
}

/**
 * Compares the `migrations` table with the DataSource's migrations, by name (TypeORM records a
 * migration class's name). A process may serve only when both lists are empty: the init
 * container of every Deployment waits for that (scripts/wait-for-schema.ts).
 */
export async function schemaVersion(ds: DataSource): Promise<SchemaVersion> {
  const expected = ds.migrations.map((m) => m.name ?? m.constructor.name);
  const table = await ds.query(`SELECT to_regclass('migrations') IS NOT NULL AS "exists"`);
  const applied: string[] = (table as { exists: boolean }[])[0]?.exists
    ? ((await ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[]).map((r) => r.name)
    : [];
  const appliedSet = new Set(applied);
  const expectedSet = new Set(expected);
  return { pending: expected.filter((n) => !appliedSet.has(n)), unknown: applied.filter((n) => !expectedSet.has(n)) };
}

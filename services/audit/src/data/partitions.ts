import { type DataSource } from 'typeorm';

/** How many months past the current one have their partition ready (ADR 0023). */
export const PARTITION_MONTHS_AHEAD = 3;

/** The partition of a UTC month: audit_entry_pYYYYMM. */
export const partitionName = (month: Date) => `audit_entry_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

const monthStart = (d: Date, plus = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1));

/** A monthly partition of audit_entry and the UTC month it holds. */
export interface MonthlyPartition {
  name: string;
  from: Date;
  to: Date;
}

const MONTHLY = /^audit_entry_p(\d{4})(\d{2})$/;

/** The monthly partitions attached to audit_entry, oldest first (the default partition is not one). */
export async function monthlyPartitions(ds: DataSource): Promise<MonthlyPartition[]> {
  const rows = (await ds.query(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_entry'::regclass`,
  )) as { relname: string }[];
  return rows
    .map((r) => ({ name: r.relname, m: MONTHLY.exec(r.relname) }))
    .filter((r): r is { name: string; m: RegExpExecArray } => r.m !== null)
    .map(({ name, m }) => {
      const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
      return { name, from, to: monthStart(from, 1) };
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Creates the monthly partitions of audit_entry from the current month to
 * {@link PARTITION_MONTHS_AHEAD} ahead, where missing (the worker's `audit-partitions` task,
 * daily; the migration made the first ones). A month whose entries already went to the default
 * partition (the task had not run for months) is left there and reported: PostgreSQL refuses a
 * partition whose range the default already holds, and the entries are as safe and verifiable
 * there. Returns how many partitions were created.
 */
export async function ensurePartitions(ds: DataSource, now: Date, onStranded?: (month: string) => void): Promise<number> {
  const existing = new Set(
    (
      (await ds.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_entry'::regclass`,
      )) as { relname: string }[]
    ).map((r) => r.relname),
  );
  let created = 0;
  for (let i = 0; i <= PARTITION_MONTHS_AHEAD; i++) {
    const from = monthStart(now, i);
    const to = monthStart(now, i + 1);
    const name = partitionName(from);
    if (existing.has(name)) continue;
    const [stranded] = (await ds.query(
      `SELECT EXISTS (SELECT 1 FROM audit_entry_default WHERE recorded_at >= $1 AND recorded_at < $2) AS any`,
      [from, to],
    )) as { any: boolean }[];
    if (stranded!.any) {
      onStranded?.(name);
      continue;
    }
    // Identifiers cannot be parameters; the name is built from digits above, the bounds are ISO instants.
    await ds.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF audit_entry FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    created++;
  }
  return created;
}

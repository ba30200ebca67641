import { type DataSource, type EntityManager } from 'typeorm';
import { monthlyPartitions } from './partitions';

/** What a retired month becomes: dropped, or moved to the audit_archive schema (AUDIT_RETIRED_PARTITIONS). */
export type RetiredPartitions = 'drop' | 'archive';

/**
 * A month is retired only once it is over by this much: an entry's recorded_at is its
 * transaction's start, so one begun just before midnight may still land in the month after it ended.
 */
const SETTLE_MS = 86_400_000;

interface Policy {
  institution_id: string;
  months: number;
}

const lockChain = (em: EntityManager, institutionId: string) =>
  em.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit-chain:' || $1, 0))`, [institutionId]);

const latestAnchor = async (em: EntityManager, institutionId: string): Promise<number> => {
  const [a] = (await em.query(`SELECT max(seq) AS seq FROM audit_anchor WHERE institution_id = $1`, [institutionId])) as {
    seq: string | null;
  }[];
  return Number(a?.seq ?? 0);
};

/**
 * Step 1: closes each institution's entries past its cut-off with an anchor (the position and
 * hash of the last one), under the chain's lock. Nothing is removed yet: the kept chain verifies
 * from the anchor (ADR 0008), so the entries it closes may go in any order, by partition or row.
 */
async function closeExpired(ds: DataSource, p: Policy, now: Date): Promise<void> {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - p.months);
  await ds.transaction(async (em) => {
    await lockChain(em, p.institution_id);
    const anchored = await latestAnchor(em, p.institution_id);
    // The last entry to close: positions are in recording order, so everything up to it is older.
    const [last] = (await em.query(
      `SELECT seq, hash FROM audit_entry WHERE institution_id = $1 AND recorded_at < $2 AND seq > $3 ORDER BY seq DESC LIMIT 1`,
      [p.institution_id, cutoff, anchored],
    )) as { seq: string; hash: string }[];
    if (!last) return;
    const [counted] = (await em.query(`SELECT count(*)::int AS n FROM audit_entry WHERE institution_id = $1 AND seq > $2 AND seq <= $3`, [
      p.institution_id,
      anchored,
      last.seq,
    ])) as { n: number }[];
    await em.query(`INSERT INTO audit_anchor (institution_id, seq, hash, pruned_count) VALUES ($1, $2, $3, $4)`, [
      p.institution_id,
      last.seq,
      last.hash,
      counted!.n,
    ]);
  });
}

/**
 * Step 2: retires each past month every entry of which an anchor closes — every institution with
 * entries in it allows their removal — as a whole: detached from audit_entry, then dropped or
 * moved to audit_archive, and recorded in audit_partition_retired, in one transaction. No row is
 * deleted one by one, and the row trigger is not involved (the anchors are the check it would make).
 * Returns the entries the retired months held.
 */
async function retireClosedMonths(ds: DataSource, now: Date, disposition: RetiredPartitions): Promise<number> {
  let removed = 0;
  for (const part of await monthlyPartitions(ds)) {
    if (part.to.getTime() > now.getTime() - SETTLE_MS) break; // oldest first: the rest are later still
    removed += await ds.transaction(async (em) => {
      // The name comes from pg_class and matches audit_entry_pYYYYMM (monthlyPartitions); identifiers cannot be parameters.
      const [open] = (await em.query(
        `SELECT count(*)::int AS entries,
                count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM audit_anchor a WHERE a.institution_id = e.institution_id AND a.seq >= e.seq))::int AS unclosed
           FROM ${part.name} e`,
      )) as { entries: number; unclosed: number }[];
      // Some institution keeps entries of this month: its rows go one by one (step 3). An empty month
      // has nothing to remove; it stays, so that an entry recorded late still finds its month.
      if (open!.unclosed > 0 || open!.entries === 0) return 0;
      await em.query(`ALTER TABLE audit_entry DETACH PARTITION ${part.name}`);
      if (disposition === 'archive') await em.query(`ALTER TABLE ${part.name} SET SCHEMA audit_archive`);
      else await em.query(`DROP TABLE ${part.name}`);
      await em.query(
        `INSERT INTO audit_partition_retired (partition, month_from, month_to, entries, disposition) VALUES ($1, $2, $3, $4, $5)`,
        [part.name, part.from, part.to, open!.entries, disposition === 'archive' ? 'ARCHIVED' : 'DROPPED'],
      );
      return open!.entries;
    });
  }
  return removed;
}

/**
 * Step 3: deletes, one by one, the closed entries of months still kept (another institution's
 * longer policy or legal hold keeps the month, or the month is not over) and of the default
 * partition. The append-only trigger lets a DELETE through only for entries an anchor closes.
 */
async function deleteClosedRows(ds: DataSource, p: Policy): Promise<number> {
  return ds.transaction(async (em) => {
    await lockChain(em, p.institution_id);
    const anchored = await latestAnchor(em, p.institution_id);
    if (!anchored) return 0;
    const [deleted] = (await em.query(
      `WITH d AS (DELETE FROM audit_entry WHERE institution_id = $1 AND seq <= $2 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [p.institution_id, anchored],
    )) as { n: number }[];
    return deleted!.n;
  });
}

/**
 * Applies each institution's retention policy (ADR 0008, ADR 0028). Entries recorded before an
 * institution's cut-off are closed by an anchor, so its kept chain still verifies from there;
 * whole past months that no institution keeps any more are retired as partitions; what is left
 * of the closed entries (in months another institution still keeps) is deleted row by row.
 * Institutions under legal hold, or without a policy, keep everything, and with it every month
 * they have entries in. Each step is idempotent: a run interrupted between them is finished by
 * the next one. Returns how many entries were removed (retired with their month or deleted).
 */
export async function applyRetention(ds: DataSource, now: Date, opts: { retired?: RetiredPartitions } = {}): Promise<number> {
  const policies = (await ds.query(
    `SELECT institution_id, months FROM audit_retention WHERE NOT legal_hold ORDER BY institution_id`,
  )) as Policy[];
  for (const p of policies) await closeExpired(ds, p, now);
  let removed = await retireClosedMonths(ds, now, opts.retired ?? 'drop');
  for (const p of policies) removed += await deleteClosedRows(ds, p);
  return removed;
}

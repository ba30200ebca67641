import { type DataSource } from 'typeorm';

/**
 * Applies each institution's retention policy: entries recorded before the cut-off are removed,
 * after an anchor (the hash and position of the last removed entry) is written in the same
 * transaction, so the kept chain still verifies from that anchor. Institutions under legal hold
 * keep everything. Returns how many entries were removed.
 */
export async function applyRetention(ds: DataSource, now: Date): Promise<number> {
  const policies = (await ds.query(`SELECT institution_id, months FROM audit_retention WHERE NOT legal_hold ORDER BY institution_id`)) as {
    institution_id: string;
    months: number;
  }[];
  let removed = 0;
  for (const p of policies) {
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - p.months);
    removed += await ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit-chain:' || $1, 0))`, [p.institution_id]);
      // The last entry to remove: positions are in recording order, so everything up to it is older.
      const [last] = (await em.query(
        `SELECT seq, hash FROM audit_entry WHERE institution_id = $1 AND recorded_at < $2 ORDER BY seq DESC LIMIT 1`,
        [p.institution_id, cutoff],
      )) as { seq: string; hash: string }[];
      if (!last) return 0;
      const [counted] = (await em.query(`SELECT count(*)::int AS n FROM audit_entry WHERE institution_id = $1 AND seq <= $2`, [
        p.institution_id,
        last.seq,
      ])) as { n: number }[];
      await em.query(`INSERT INTO audit_anchor (institution_id, seq, hash, pruned_count) VALUES ($1, $2, $3, $4)`, [
        p.institution_id,
        last.seq,
        last.hash,
        counted!.n,
      ]);
      await em.query(`DELETE FROM audit_entry WHERE institution_id = $1 AND seq <= $2`, [p.institution_id, last.seq]);
      return counted!.n;
    });
  }
  return removed;
}

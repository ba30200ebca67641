import { AuditChainAnchored } from '@medcollab/events';
import { type DataSource } from 'typeorm';
import { outbox } from '../outbox';

/**
 * Writes a checkpoint of every chain that has grown since its last one (head position and hash)
 * and its AuditChainAnchored event, in one transaction per institution under the chain's lock, so
 * a checkpoint is always an entry the chain really had. Returns how many were written.
 */
export async function writeCheckpoints(ds: DataSource, now: Date): Promise<number> {
  const grown = (await ds.query(
    `SELECT e.institution_id FROM audit_entry e
      GROUP BY e.institution_id
     HAVING max(e.seq) > COALESCE((SELECT max(c.seq) FROM audit_checkpoint c WHERE c.institution_id = e.institution_id), 0)
      ORDER BY e.institution_id`,
  )) as { institution_id: string }[];
  let written = 0;
  for (const { institution_id: institutionId } of grown) {
    written += await ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('audit-chain:' || $1, 0))`, [institutionId]);
      const [head] = (await em.query(`SELECT seq, hash FROM audit_entry WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1`, [
        institutionId,
      ])) as { seq: string; hash: string }[];
      const inserted = (await em.query(
        `INSERT INTO audit_checkpoint (institution_id, seq, hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING seq`,
        [institutionId, head!.seq, head!.hash, now],
      )) as unknown[];
      if (!inserted.length) return 0;
      await outbox.append(em, AuditChainAnchored, institutionId, {
        institutionId,
        seq: Number(head!.seq),
        hash: head!.hash,
        anchoredAt: now.toISOString(),
      });
      return 1;
    });
  }
  return written;
}

import { type DataSource } from 'typeorm';
import { chainHash, GENESIS } from '../domain/chain';
import { chainedOf, ENTRY_COLUMNS, type EntryRow } from './rows';

export interface BrokenLink {
  institutionId: string;
  /** The database id and chain position of the first entry that does not verify. */
  entryId: string;
  seq: number;
  /** What the entry's prev_hash should be / what its hash should be, given the chain before it. */
  expected: string;
  found: string;
  /**
   * PREV_HASH, HASH, GAP: the chain itself is broken. CHECKPOINT: the chain is consistent but not
   * the one a checkpoint (ours, or the institution's copy) recorded — it was rewritten or cut short.
   */
  problem: 'PREV_HASH' | 'HASH' | 'GAP' | 'CHECKPOINT';
}

/** A chain head the institution received (AuditChainAnchored): position and hash. */
export interface Checkpoint {
  seq: number;
  hash: string;
}

export interface ChainReport {
  institutionId: string;
  /** Entries checked (after the latest anchor). */
  checked: number;
  /** The anchor the check started from, if the chain was pruned by retention. */
  anchorSeq: number | null;
  broken: BrokenLink | null;
}

const PAGE = 5_000;

/**
 * Recomputes an institution's chain from its latest anchor (or genesis) and stops at the first
 * broken link: a changed entry (its hash no longer matches its content), a removed or inserted
 * one (its prev_hash or position does not follow the entry before it).
 */
export async function verifyChain(ds: DataSource, institutionId: string, expected: readonly Checkpoint[] = []): Promise<ChainReport> {
  const [anchor] = (await ds.query(`SELECT seq, hash FROM audit_anchor WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1`, [
    institutionId,
  ])) as { seq: string; hash: string }[];
  let prevSeq = anchor ? Number(anchor.seq) : 0;
  let prevHash = anchor ? anchor.hash : GENESIS;
  let checked = 0;
  // Every checkpoint past the anchor must be an entry of the chain as it is now.
  const checkpoints = new Map<number, Set<string>>();
  const stored = (await ds.query(`SELECT seq, hash FROM audit_checkpoint WHERE institution_id = $1 AND seq > $2`, [
    institutionId,
    prevSeq,
  ])) as { seq: string; hash: string }[];
  for (const c of [...stored.map((r) => ({ seq: Number(r.seq), hash: r.hash })), ...expected]) {
    if (c.seq > prevSeq) checkpoints.set(c.seq, (checkpoints.get(c.seq) ?? new Set()).add(c.hash));
  }
  for (;;) {
    const rows = (await ds.query(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE institution_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [institutionId, prevSeq],
    )) as EntryRow[];
    for (const row of rows) {
      const seq = Number(row.seq);
      const at = { institutionId, entryId: String(row.id), seq };
      const broken = (problem: BrokenLink['problem'], expected: string, found: string): ChainReport => ({
        institutionId,
        checked,
        anchorSeq: anchor ? Number(anchor.seq) : null,
        broken: { ...at, problem, expected, found },
      });
      if (seq !== prevSeq + 1) return broken('GAP', String(prevSeq + 1), String(seq));
      if (row.prev_hash !== prevHash) return broken('PREV_HASH', prevHash, row.prev_hash);
      const expected = chainHash(prevHash, chainedOf(row));
      if (row.hash !== expected) return broken('HASH', expected, row.hash);
      const recorded = [...(checkpoints.get(seq) ?? [])].find((hash) => hash !== row.hash);
      if (recorded) return broken('CHECKPOINT', recorded, row.hash);
      checkpoints.delete(seq);
      prevSeq = seq;
      prevHash = row.hash;
      checked++;
    }
    if (rows.length < PAGE) {
      const anchorSeq = anchor ? Number(anchor.seq) : null;
      // A checkpoint beyond the head: entries the institution was told of are gone.
      const [beyond] = [...checkpoints.entries()].sort(([a], [b]) => a - b);
      if (beyond) {
        const [seq, hashes] = beyond;
        const [hash = ''] = hashes;
        return {
          institutionId,
          checked,
          anchorSeq,
          broken: { institutionId, entryId: '', seq, problem: 'CHECKPOINT', expected: hash, found: 'missing' },
        };
      }
      return { institutionId, checked, anchorSeq, broken: null };
    }
  }
}

/** Every institution's chain, or one (against the checkpoints the institution kept, if given). */
export async function verifyChains(ds: DataSource, institutionId?: string, expected: readonly Checkpoint[] = []): Promise<ChainReport[]> {
  const ids = institutionId
    ? [institutionId]
    : (
        (await ds.query(
          `SELECT institution_id FROM audit_entry GROUP BY institution_id
         UNION SELECT institution_id FROM audit_anchor ORDER BY 1`,
        )) as { institution_id: string }[]
      ).map((r) => r.institution_id);
  const reports: ChainReport[] = [];
  for (const id of ids) reports.push(await verifyChain(ds, id, expected));
  return reports;
}

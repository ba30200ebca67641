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
  problem: 'PREV_HASH' | 'HASH' | 'GAP';
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
export async function verifyChain(ds: DataSource, institutionId: string): Promise<ChainReport> {
  const [anchor] = (await ds.query(`SELECT seq, hash FROM audit_anchor WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1`, [
    institutionId,
  ])) as { seq: string; hash: string }[];
  let prevSeq = anchor ? Number(anchor.seq) : 0;
  let prevHash = anchor ? anchor.hash : GENESIS;
  let checked = 0;
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
      prevSeq = seq;
      prevHash = row.hash;
      checked++;
    }
    if (rows.length < PAGE) return { institutionId, checked, anchorSeq: anchor ? Number(anchor.seq) : null, broken: null };
  }
}

/** Every institution's chain, or one. */
export async function verifyChains(ds: DataSource, institutionId?: string): Promise<ChainReport[]> {
  const ids = institutionId
    ? [institutionId]
    : (
        (await ds.query(
          `SELECT institution_id FROM audit_entry GROUP BY institution_id
         UNION SELECT institution_id FROM audit_anchor ORDER BY 1`,
        )) as { institution_id: string }[]
      ).map((r) => r.institution_id);
  const reports: ChainReport[] = [];
  for (const id of ids) reports.push(await verifyChain(ds, id));
  return reports;
}

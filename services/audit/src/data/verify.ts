import { type DataSource } from 'typeorm';
import { chainHash, GENESIS } from '../domain/chain';
import { archivedPartitions, entrySource } from './archive';
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
   * ANCHOR: an entry kept in an archived month is not the one a retention anchor closed.
   */
  problem: 'PREV_HASH' | 'HASH' | 'GAP' | 'CHECKPOINT' | 'ANCHOR';
}

/** A chain head the institution received (AuditChainAnchored): position and hash. */
export interface Checkpoint {
  seq: number;
  hash: string;
}

/** Where a check may start: an entry's position, or the first entry recorded at or after an instant. */
export type VerifyFrom = { seq: number } | { recordedAt: Date };

export interface ChainReport {
  institutionId: string;
  /** Entries checked. */
  checked: number;
  /** Of them, entries kept in months retention moved to the audit_archive schema. */
  archived: number;
  /** The latest retention anchor of the chain, if it was pruned. */
  anchorSeq: number | null;
  /**
   * The hash the check started from: GENESIS (position 0), a retention ANCHOR, or the stored
   * hash of the ENTRY at that position (--from: the entry before the first one checked).
   */
  start: { by: 'GENESIS' | 'ANCHOR' | 'ENTRY'; seq: number };
  broken: BrokenLink | null;
}

const PAGE = 5_000;

type Row = EntryRow & { archived: boolean; part: string };

/**
 * Recomputes an institution's chain and stops at the first broken link: a changed entry (its hash
 * no longer matches its content), a removed or inserted one (its prev_hash or position does not
 * follow the entry before it).
 *
 * Where it starts: by default the latest retention anchor (or genesis). When retention archived
 * months holding the institution's entries (AUDIT_RETIRED_PARTITIONS=archive, ADR 0028), from
 * genesis through the archived entries as well: a gap there is retention's only where an anchor
 * closes it (the anchor's hash continues the chain, and an archived entry at an anchor's position
 * must be the one it closed). With `from`, at the first entry at or past that point, on the stored
 * hash of the entry before it (or the anchor or genesis at that position).
 */
export async function verifyChain(
  ds: DataSource,
  institutionId: string,
  expected: readonly Checkpoint[] = [],
  opts: { from?: VerifyFrom; archive?: readonly string[] } = {},
): Promise<ChainReport> {
  const archive = opts.archive ?? (await archivedPartitions(ds));
  const source = entrySource(archive);
  const anchors = new Map(
    (
      (await ds.query(`SELECT seq, hash FROM audit_anchor WHERE institution_id = $1 ORDER BY seq`, [institutionId])) as {
        seq: string;
        hash: string;
      }[]
    ).map((a) => [Number(a.seq), a.hash]),
  );
  const latest = Math.max(0, ...anchors.keys());
  const anchorSeq = anchors.size ? latest : null;
  const hashAt = async (seq: number): Promise<{ by: 'GENESIS' | 'ANCHOR' | 'ENTRY'; hash: string } | null> => {
    if (seq === 0) return { by: 'GENESIS', hash: GENESIS };
    const [row] = (await ds.query(`SELECT hash FROM ${source} WHERE institution_id = $1 AND seq = $2 LIMIT 1`, [institutionId, seq])) as {
      hash: string;
    }[];
    if (row) return { by: 'ENTRY', hash: row.hash };
    const anchored = anchors.get(seq);
    return anchored === undefined ? null : { by: 'ANCHOR', hash: anchored };
  };

  let start: ChainReport['start'] = { by: anchors.size ? 'ANCHOR' : 'GENESIS', seq: latest };
  let prevSeq = latest;
  let prevHash = anchors.get(latest) ?? GENESIS;
  if (opts.from) {
    const from = opts.from;
    const [first] = (await ds.query(
      `SELECT seq, prev_hash FROM ${source} WHERE institution_id = $1 AND ${'seq' in from ? 'seq >= $2' : 'recorded_at >= $2'}
        ORDER BY seq LIMIT 1`,
      [institutionId, 'seq' in from ? from.seq : from.recordedAt],
    )) as { seq: string; prev_hash: string }[];
    prevSeq = first ? Number(first.seq) - 1 : 'seq' in from ? from.seq - 1 : latest;
    // The entry before the first one checked vouches for it; with nothing before it kept, its own prev_hash is all there is.
    const before = first ? await hashAt(prevSeq) : null;
    prevHash = before?.hash ?? first?.prev_hash ?? GENESIS;
    start = { by: before?.by ?? 'ENTRY', seq: prevSeq };
  } else if (archive.length) {
    const [kept] = (await ds.query(`SELECT EXISTS (SELECT 1 FROM ${entrySource(archive, true)} WHERE institution_id = $1) AS any`, [
      institutionId,
    ])) as { any: boolean }[];
    if (kept!.any) {
      prevSeq = 0;
      prevHash = GENESIS;
      start = { by: 'GENESIS', seq: 0 };
    }
  }

  let checked = 0;
  let archived = 0;
  let prevPart = '';
  // Every checkpoint past the start must be an entry of the chain as it is now.
  const checkpoints = new Map<number, Set<string>>();
  const stored = (await ds.query(`SELECT seq, hash FROM audit_checkpoint WHERE institution_id = $1 AND seq > $2`, [
    institutionId,
    Math.max(prevSeq, latest),
  ])) as { seq: string; hash: string }[];
  for (const c of [...stored.map((r) => ({ seq: Number(r.seq), hash: r.hash })), ...expected]) {
    if (c.seq > prevSeq) checkpoints.set(c.seq, (checkpoints.get(c.seq) ?? new Set()).add(c.hash));
  }
  const report = (broken: BrokenLink | null): ChainReport => ({ institutionId, checked, archived, anchorSeq, start, broken });
  for (;;) {
    const rows = (await ds.query(
      `SELECT ${ENTRY_COLUMNS}, archived, part FROM ${source} WHERE institution_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [institutionId, prevSeq],
    )) as Row[];
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (problem: BrokenLink['problem'], expected: string, found: string) =>
        report({ institutionId, entryId: String(row.id), seq, problem, expected, found });
      if (seq !== prevSeq + 1) {
        // Retention removed the entries between: an anchor at the one before continues the chain;
        // an entry that an anchor closes further on starts a kept stretch, which that anchor vouches for.
        // Entries missing between two of one month are no retention's: it keeps or retires months whole.
        const anchored = anchors.get(seq - 1);
        if (anchored !== undefined) prevHash = anchored;
        else if (seq <= latest && row.part !== prevPart) prevHash = row.prev_hash;
        else return broken('GAP', String(prevSeq + 1), String(seq));
      }
      if (row.prev_hash !== prevHash) return broken('PREV_HASH', prevHash, row.prev_hash);
      const expected = chainHash(prevHash, chainedOf(row));
      if (row.hash !== expected) return broken('HASH', expected, row.hash);
      const closed = anchors.get(seq);
      if (closed !== undefined && closed !== row.hash) return broken('ANCHOR', closed, row.hash);
      const recorded = [...(checkpoints.get(seq) ?? [])].find((hash) => hash !== row.hash);
      if (recorded) return broken('CHECKPOINT', recorded, row.hash);
      checkpoints.delete(seq);
      prevSeq = seq;
      prevHash = row.hash;
      prevPart = row.part;
      checked++;
      if (row.archived) archived++;
    }
    if (rows.length < PAGE) {
      // A checkpoint beyond the head: entries the institution was told of are gone.
      const [beyond] = [...checkpoints.entries()].sort(([a], [b]) => a - b);
      if (beyond) {
        const [seq, hashes] = beyond;
        const [hash = ''] = hashes;
        return report({ institutionId, entryId: '', seq, problem: 'CHECKPOINT', expected: hash, found: 'missing' });
      }
      return report(null);
    }
  }
}

/** Every institution's chain, or one (against the checkpoints the institution kept, if given). */
export async function verifyChains(
  ds: DataSource,
  institutionId?: string,
  expected: readonly Checkpoint[] = [],
  opts: { from?: VerifyFrom } = {},
): Promise<ChainReport[]> {
  const archive = await archivedPartitions(ds);
  const ids = institutionId
    ? [institutionId]
    : (
        (await ds.query(
          `SELECT institution_id FROM ${entrySource(archive)} GROUP BY institution_id
         UNION SELECT institution_id FROM audit_anchor ORDER BY 1`,
        )) as { institution_id: string }[]
      ).map((r) => r.institution_id);
  const reports: ChainReport[] = [];
  for (const id of ids) reports.push(await verifyChain(ds, id, expected, { ...opts, archive }));
  return reports;
}

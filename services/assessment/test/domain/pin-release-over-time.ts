/**
 * Regenerates release-over-time.pinned.json, the decisions release-over-time-pinned.test.ts pins:
 * a fixed corpus of tables from a seeded generator (no library, so it never changes under us).
 * Run only when a change to the decisions is meant: pnpm exec tsx services/assessment/test/domain/pin-release-over-time.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseOverTime, type TimedCell, type TimedTable } from '../../src/domain/release-over-time';
import { stepsToText, tableToText, tableFromText } from './release-over-time-text';

let seed = 20261206;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const POOL = 'abcdefghij'.split('');
const cases: { k: number; table: string; steps: string }[] = [];
const seen = new Set<string>();
while (cases.length < 150) {
  const rows = int(1, 4);
  const nb = int(1, 4);
  const k = int(2, 5);
  const blocks = Array.from({ length: nb }, (_, b) => `b${b}`);
  const cells: TimedCell[] = [];
  for (let r = 0; r < rows; r++)
    for (let b = 0; b < nb; b++) {
      const x = rand();
      if (x < 0.2) continue;
      const size = x < 0.3 ? 0 : int(1, 6);
      const ids = [...new Set(Array.from({ length: size }, () => POOL[int(0, POOL.length - 1)]!))].sort();
      const evaluations = ids.length + (rand() < 0.3 ? int(1, 3) : 0);
      cells.push({ row: `d${r}`, block: `b${b}`, evaluations: ids.length ? evaluations : 0, evaluatorIds: ids });
    }
  if (rand() < 0.1) cells.push({ row: 'dx', block: 'bx', evaluations: 2, evaluatorIds: ['a', 'b'] });
  for (let i = cells.length - 1; i > 0; i--) {
    const j = int(0, i);
    [cells[i], cells[j]] = [cells[j]!, cells[i]!];
  }
  const table: TimedTable = { blocks, cells };
  const text = tableToText(table);
  if (seen.has(`${k}|${text}`)) continue;
  seen.add(`${k}|${text}`);
  if (tableToText(tableFromText(text)) !== text) throw new Error(`codec: ${text}`);
  cases.push({ k, table: text, steps: stepsToText(releaseOverTime(table, k)) });
}
writeFileSync(join(__dirname, 'release-over-time.pinned.json'), JSON.stringify(cases, null, 2) + '\n');

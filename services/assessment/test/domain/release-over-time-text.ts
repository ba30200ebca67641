import { type ReleaseMark, type TableRelease, type TimedTable } from '../../src/domain/release-over-time';

/**
 * A compact text form of release-over-time inputs and decisions, so the pinned cases
 * (release-over-time.pinned.json) stay readable. A table is `b0 b1 | d0.b0=3:abc d1.b1=0:`:
 * the blocks in closing order, then each cell as row.block=evaluations:evaluator letters. A step
 * is `rows: cells row by row / row totals / column totals / total`, each mark `.` (released),
 * `k` (too few evaluators) or `c` (complementary).
 */
export const tableToText = (t: TimedTable): string =>
  `${t.blocks.join(' ')} | ${t.cells.map((c) => `${c.row}.${c.block}=${c.evaluations}:${c.evaluatorIds.join('')}`).join(' ')}`;

export function tableFromText(text: string): TimedTable {
  const [blocks = '', cells = ''] = text.split(' | ');
  return {
    blocks: blocks.split(' '),
    cells: cells
      .split(' ')
      .filter(Boolean)
      .map((cell) => {
        const [, row = '', block = '', evaluations = '', ids = ''] = /^([^.]+)\.([^=]+)=(\d+):(.*)$/.exec(cell) ?? [];
        return { row, block, evaluations: Number(evaluations), evaluatorIds: ids.split('').filter(Boolean) };
      }),
  };
}

const markText = (m: ReleaseMark | undefined): string =>
  m === null ? '.' : m === 'TOO_FEW_EVALUATORS' ? 'k' : m === 'COMPLEMENTARY' ? 'c' : '?';

export const stepsToText = (steps: readonly TableRelease[]): string =>
  steps
    .map(
      (s) =>
        `${s.rows.join(',')}: ${s.rows.map((r) => s.blocks.map((b) => markText(s.cells[r]?.[b])).join('')).join(' ')} / ` +
        `${s.rows.map((r) => markText(s.rowTotals[r])).join('')} / ${s.blocks.map((b) => markText(s.columnTotals[b])).join('')} / ${markText(s.total)}`,
    )
    .join(' ; ');

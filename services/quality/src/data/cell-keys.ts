import { type CellDelta } from '../domain/cells';

/** A rollup cell's primary key, as columns of `rollup_cell` and `rollup_cell_evaluator`. */
export const KEY_COLUMNS = ['metric', 'school', 'scope_kind', 'scope_id', 'period_kind', 'period_id', 'item'] as const;
export const KEY = KEY_COLUMNS.join(', ');
/** `$1::text[], …, $7::text[]`: the key columns as parallel arrays for `unnest`. */
export const KEY_ARRAYS = KEY_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ');

export type KeyRow = {
  metric: string;
  school: string;
  scope_kind: string;
  scope_id: string;
  period_kind: string;
  period_id: string;
  item: string;
};

export const keyRowOf = (d: CellDelta): KeyRow => ({
  metric: d.key.metric,
  school: d.key.school,
  scope_kind: d.key.scopeKind,
  scope_id: d.key.scopeId,
  period_kind: d.key.periodKind,
  period_id: d.key.periodId,
  item: d.key.item,
});

/** The key columns of some rows as parallel arrays (the first seven parameters of a statement on `KEY_ARRAYS`). */
export const keyArrays = (rows: readonly KeyRow[]): string[][] => KEY_COLUMNS.map((c) => rows.map((r) => r[c]));

/** One string per cell key, for maps and for the order rows are written in. */
export const rowKey = (r: KeyRow): string =>
  `${r.metric}\u0001${r.school}\u0001${r.scope_kind}\u0001${r.scope_id}\u0001${r.period_kind}\u0001${r.period_id}\u0001${r.item}`;
export const keyParams = (r: KeyRow): string[] => KEY_COLUMNS.map((c) => r[c]);
/** `metric = $1 AND … AND item = $7`. */
export const PK_MATCH = KEY_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(' AND ');

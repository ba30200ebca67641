import { BadUserInputError, toConnection, type Connection } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type EntryFilter } from '../domain/validation';
import { ENTRY_COLUMNS, type EntryRow } from './rows';

export type EntryListFilter = Partial<Omit<EntryFilter, 'institutionId'>> & { institutionId?: string };

function where(filter: EntryListFilter, afterKey: string | null): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.institutionId) add('institution_id = ?', filter.institutionId);
  if (filter.studentId) add('student_id = ?', filter.studentId);
  if (filter.actorId) add('actor_id = ?', filter.actorId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.from) add('occurred_at >= ?', filter.from);
  if (filter.to) add('occurred_at < ?', filter.to);
  if (afterKey !== null) {
    if (!/^\d{1,18}$/.test(afterKey)) throw new BadUserInputError('Invalid cursor', { field: 'after' });
    add('id < ?', afterKey);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** One page of entries, newest first (by id: the order they were appended). */
export async function listEntries(
  ds: DataSource,
  filter: EntryListFilter,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<EntryRow>> {
  const { sql, params } = where(filter, page.afterKey);
  const rows = (await ds.query(
    `SELECT ${ENTRY_COLUMNS} FROM audit_entry ${sql} ORDER BY id DESC LIMIT ${page.limit + 1}`,
    params,
  )) as EntryRow[];
  return toConnection(rows, page.limit, (r) => String(r.id));
}

/** Every entry the filter selects, newest first, a page at a time (the CSV export). */
export async function* allEntries(ds: DataSource, filter: EntryListFilter): AsyncGenerator<EntryRow> {
  let after: string | null = null;
  for (;;) {
    const { sql, params } = where(filter, after);
    const rows = (await ds.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entry ${sql} ORDER BY id DESC LIMIT 1000`, params)) as EntryRow[];
    yield* rows;
    if (rows.length < 1000) return;
    after = String(rows.at(-1)!.id);
  }
}

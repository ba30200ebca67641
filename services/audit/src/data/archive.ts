import { type DataSource } from 'typeorm';

const ARCHIVED = /^audit_entry_p\d{6}$/;

/**
 * The months retention moved to the audit_archive schema (AUDIT_RETIRED_PARTITIONS=archive,
 * ADR 0028), oldest first: detached partitions of audit_entry, same columns, hashes intact.
 */
export async function archivedPartitions(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'audit_archive' AND c.relkind = 'r' ORDER BY 1`,
  )) as { relname: string }[];
  return rows.map((r) => r.relname).filter((name) => ARCHIVED.test(name));
}

/**
 * A FROM item of every entry still held: the attached trail and the archived months, each row
 * flagged `archived` and named by its month's table (`part`). Only the archive when `archiveOnly`. The names come from pg_class and match
 * audit_entry_pYYYYMM (identifiers cannot be parameters).
 */
export function entrySource(archive: readonly string[], archiveOnly = false): string {
  const parts = [
    ...(archiveOnly ? [] : ['SELECT *, false AS archived, tableoid::regclass::text AS part FROM audit_entry']),
    ...archive.map((name) => `SELECT *, true AS archived, '${name}' AS part FROM audit_archive.${name}`),
  ];
  if (!parts.length) return '(SELECT *, false AS archived, tableoid::regclass::text AS part FROM audit_entry WHERE false) AS e';
  return `(${parts.join(' UNION ALL ')}) AS e`;
}

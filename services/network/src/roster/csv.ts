import { CsvError, parse } from 'csv-parse/sync';
import { type RosterIssue } from './model';

/** One data row of a CSV file, by column name, with the line it started on (the header is line 1). */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export interface CsvTable {
  file: string;
  columns: string[];
  rows: CsvRow[];
}

/**
 * Reads a CSV file (UTF-8, optional BOM, header row). A file that cannot be read at all
 * (unbalanced quotes, ragged rows) becomes one issue naming the line; columns listed in
 * `required` but absent from the header become one issue each.
 */
export function readCsv(file: string, text: string, required: readonly string[], issues: RosterIssue[]): CsvTable | null {
  let columns: string[] = [];
  try {
    const records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      columns: (header: string[]) => (columns = header.map((h) => h.trim())),
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
    const missing = required.filter((c) => !columns.includes(c));
    for (const column of missing) issues.push({ file, line: 1, column, message: `missing required column "${column}"` });
    if (missing.length) return null;
    return { file, columns, rows: records.map((r) => ({ line: r.info.lines, values: r.record })) };
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? null;
      issues.push({ file, line, column: null, message: `not readable as CSV: ${error.message}` });
      return null;
    }
    throw error;
  }
}

/** ISO 8601 calendar date (YYYY-MM-DD) that exists on the calendar. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

import { createHash } from 'node:crypto';

/** The prev_hash of a chain's first entry. */
export const GENESIS = '0'.repeat(64);

/** What a chained row commits to: every column but its own hash and the database's row id. */
export interface ChainedEntry {
  institutionId: string;
  seq: number;
  eventId: string;
  source: string;
  requestId: string;
  operation: string;
  actorId: string;
  actorInstitutionId: string | null;
  actorRoles: string[];
  action: 'READ' | 'CHANGE';
  recordType: string;
  recordId: string;
  studentId: string;
  fields: string[];
  change: string | null;
  reason: string | null;
  /** ISO 8601, milliseconds, UTC (as `Date#toISOString` writes it). */
  occurredAt: string;
}

/** JSON with object keys sorted at every depth: one byte string per value, whatever built it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = SHA-256(prev_hash ‖ canonical JSON of the entry), hex. */
export function chainHash(prevHash: string, entry: ChainedEntry): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(entry)).digest('hex');
}

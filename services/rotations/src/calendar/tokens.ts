import { createHash, randomBytes } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { type CalendarOwnerKind } from '../domain/model';
import { CalendarToken } from '../entities';

/**
 * Calendar feeds are read by calendar apps that cannot sign in: the URL's secret token is the
 * credential. 32 random bytes (base64url, 43 characters); only its SHA-256 is stored, so a
 * leaked database does not leak working URLs. One token per owner: rotating replaces it and
 * the old URL stops working at once.
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface FeedOwner {
  kind: CalendarOwnerKind;
  ownerId: string;
}

/** Issues a new token for the owner, replacing (revoking) any earlier one. Returns the token itself. */
export async function rotateCalendarToken(em: EntityManager, owner: FeedOwner): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await em.query(
    `INSERT INTO calendar_token (token_hash, owner_kind, owner_id) VALUES ($1, $2, $3)
     ON CONFLICT (owner_kind, owner_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
    [hashOf(token), owner.kind, owner.ownerId],
  );
  return token;
}

/** The owner of a token, or null for an unknown, rotated or malformed one. */
export async function ownerOfToken(ds: DataSource, token: string): Promise<FeedOwner | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await ds.getRepository(CalendarToken).findOneBy({ tokenHash: hashOf(token) });
  return row ? { kind: row.ownerKind, ownerId: row.ownerId } : null;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor } from '@medcollab/kit';

/**
 * Short-lived signed links to a CSV of audit entries (as quality's report exports): the link
 * carries who asked, the filter and the expiry, signed with the service's export secret. The
 * download route checks signature and expiry, then applies today's access rule to that caller.
 */
export interface ExportClaims {
  actor: Actor;
  filter: unknown;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

const sign = (body: string, secret: string): string => createHmac('sha256', secret).update(body).digest('base64url');

export function signExport(claims: ExportClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${sign(body, secret)}`;
}

export type ExportCheck = { ok: true; claims: ExportClaims } | { ok: false; reason: 'INVALID' | 'EXPIRED' };

export function verifyExport(token: string, secret: string, now: Date): ExportCheck {
  const [body, signature] = token.split('.');
  if (!body || !signature) return { ok: false, reason: 'INVALID' };
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'INVALID' };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ExportClaims;
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims };
}

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180); formula-leading text defused. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

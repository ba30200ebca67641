import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor } from '@medcollab/kit';

/**
 * Short-lived signed links to a report's CSV: the link carries who asked, for which report, and
 * until when, signed with the service's export secret (HMAC-SHA256). The download route checks
 * the signature and the expiry, then reads the report AS that caller, with today's access
 * rules, so a link never shows more than its holder's owner could see.
 */
export interface ExportClaims {
  actor: Actor;
  scope: unknown;
  period: unknown;
  metrics: string[] | null;
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

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

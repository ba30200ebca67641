import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from './messages';

/**
 * The token of a one-click unsubscribe link (RFC 8058): who, which kind of message, signed with
 * the service's secret so nobody can unsubscribe someone else. It never expires: an old email's
 * link must still work.
 */
export interface UnsubscribeClaim {
  personId: string;
  kind: NotificationKind;
}

const sign = (secret: string, payload: string) => createHmac('sha256', `unsubscribe:${secret}`).update(payload).digest('base64url');

export function unsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  const payload = Buffer.from(`${claim.personId}|${claim.kind}`).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaim | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [personId, kind] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  if (!personId || !(NOTIFICATION_KINDS as readonly string[]).includes(kind ?? '')) return null;
  return { personId, kind: kind as NotificationKind };
}

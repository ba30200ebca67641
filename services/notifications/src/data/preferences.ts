import { type EntityManager } from 'typeorm';
import { type Preference, preferenceOf } from './deliver';

/** Stores a person's preferences (the whole set: what the form shows is what is kept). */
export async function savePreference(em: EntityManager, personId: string, p: Preference, now: Date): Promise<Preference> {
  await em.query(
    `INSERT INTO notification_preference (person_id, locale, email_off_kinds, in_app_off_kinds, digest, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (person_id) DO UPDATE SET locale = EXCLUDED.locale, email_off_kinds = EXCLUDED.email_off_kinds,
       in_app_off_kinds = EXCLUDED.in_app_off_kinds, digest = EXCLUDED.digest, updated_at = EXCLUDED.updated_at`,
    [personId, p.locale, p.emailOffKinds, p.inAppOffKinds, p.digest, now],
  );
  return preferenceOf(em, personId);
}

/** One-click unsubscribe: emails of `kind` stop; everything else stays as it was. Idempotent. */
export async function stopEmails(em: EntityManager, personId: string, kind: string, now: Date): Promise<void> {
  await em.query(
    `INSERT INTO notification_preference (person_id, email_off_kinds, updated_at) VALUES ($1, ARRAY[$2], $3)
     ON CONFLICT (person_id) DO UPDATE SET updated_at = EXCLUDED.updated_at,
       email_off_kinds = CASE WHEN $2 = ANY(notification_preference.email_off_kinds) THEN notification_preference.email_off_kinds
                              ELSE array_append(notification_preference.email_off_kinds, $2) END`,
    [personId, kind, now],
  );
}

import { createHmac } from 'node:crypto';

/**
 * A student as a distinct contributor (learner outcomes, mentees, allocated students): a keyed
 * pseudonym, never the id (ADR 0047). HMAC-SHA-256 under QUALITY_PSEUDONYM_SECRET, a key only
 * quality holds, so a student id alone does not lead to the buckets that student counts in (an
 * unkeyed hash of the id would: anyone could compute it). Stable under one key, so distinct
 * students can be counted; a new key gives every student a new pseudonym (see pseudonym-key).
 */
export const studentPseudonym = (studentId: string, key: string): string =>
  createHmac('sha256', key).update(studentId).digest('hex').slice(0, 32);

/** The development key (docker-compose and the k8s development overlay have their own); production refuses it. */
export const DEV_PSEUDONYM_SECRET = 'local-only-quality-pseudonym-secret-0123456789';

/** The key the rollups' pseudonyms are made with: the settings', or the development key (tests). */
export const pseudonymKeyOf = (settings: { pseudonymKey?: string }): string => settings.pseudonymKey ?? DEV_PSEUDONYM_SECRET;

/**
 * Names a key without giving it away (an HMAC of a fixed text under it), so quality can tell
 * that the key its tables were made with is no longer the key it runs with.
 */
export const pseudonymKeyFingerprint = (key: string): string =>
  createHmac('sha256', key).update('medcollab quality pseudonym key').digest('hex').slice(0, 16);

/** What tables made before keyed pseudonyms are marked with (ADR 0047): any key differs from it. */
export const UNKEYED_FINGERPRINT = 'unkeyed-sha256';

import { createHash, createHmac } from 'node:crypto';
import { keyedByQuality } from '../../src/domain/metrics';
import { changeAcrossKeys, revisionChange } from '../../src/domain/protection';
import {
  DEV_PSEUDONYM_SECRET,
  pseudonymKeyFingerprint,
  pseudonymKeyOf,
  studentPseudonym,
  UNKEYED_FINGERPRINT,
} from '../../src/domain/pseudonyms';
import { DEV_EXPORT_SECRET, qualitySettings } from '../../src/settings';

/**
 * Students' pseudonyms are keyed (ADR 0047): holding a student id is not enough to find the cells
 * that student counts in; only quality's key is.
 */
const KEY_A = 'a-key-of-our-own-0123456789-0123456789';
const KEY_B = 'another-key-of-our-own-0123456789-01234';
const student = '6f1c1d6e-0b8a-4c47-9a41-0d4f3d6a2b10';

describe('studentPseudonym', () => {
  it('is not any unkeyed hash of the id: it depends on the key', () => {
    const p = studentPseudonym(student, KEY_A);
    expect(p).toMatch(/^[0-9a-f]{32}$/);
    for (const unkeyed of [student, `quality-student:${student}`])
      expect(createHash('sha256').update(unkeyed).digest('hex')).not.toContain(p);
    expect(p).toBe(createHmac('sha256', KEY_A).update(student).digest('hex').slice(0, 32));
    expect(studentPseudonym(student, KEY_B)).not.toBe(p);
  });

  it('is stable under one key (distinct students can be counted) and tells students apart', () => {
    expect(studentPseudonym(student, KEY_A)).toBe(studentPseudonym(student, KEY_A));
    expect(studentPseudonym(student.replace(/0$/, '1'), KEY_A)).not.toBe(studentPseudonym(student, KEY_A));
  });

  it('takes the settings’ key, the development key only when none is given', () => {
    expect(pseudonymKeyOf({ pseudonymKey: KEY_A })).toBe(KEY_A);
    expect(pseudonymKeyOf({})).toBe(DEV_PSEUDONYM_SECRET);
  });

  it('names a key by a fingerprint that is neither the key nor the unkeyed marker', () => {
    expect(pseudonymKeyFingerprint(KEY_A)).not.toBe(pseudonymKeyFingerprint(KEY_B));
    expect(pseudonymKeyFingerprint(KEY_A)).not.toContain(KEY_A.slice(0, 8));
    expect(pseudonymKeyFingerprint(KEY_A)).not.toBe(UNKEYED_FINGERPRINT);
  });
});

describe('QUALITY_PSEUDONYM_SECRET', () => {
  it('has a development default, and production refuses it and every key written in the repository', () => {
    expect(qualitySettings({}).pseudonymKey).toBe(DEV_PSEUDONYM_SECRET);
    for (const committed of [
      DEV_PSEUDONYM_SECRET,
      'compose-quality-pseudonym-secret-0123456789',
      'development-quality-pseudonym-secret-0123456789',
    ])
      expect(() => qualitySettings({ NODE_ENV: 'production', QUALITY_PSEUDONYM_SECRET: committed, QUALITY_EXPORT_SECRET: KEY_B })).toThrow(
        /QUALITY_PSEUDONYM_SECRET: must be set in production/,
      );
    expect(qualitySettings({ NODE_ENV: 'production', QUALITY_PSEUDONYM_SECRET: KEY_A, QUALITY_EXPORT_SECRET: KEY_B }).pseudonymKey).toBe(
      KEY_A,
    );
    expect(() => qualitySettings({ QUALITY_PSEUDONYM_SECRET: 'short' })).toThrow(/QUALITY_PSEUDONYM_SECRET/);
  });
});

describe('QUALITY_EXPORT_SECRET (ADR 0053)', () => {
  it('has a development default, and production refuses it as it refuses the pseudonyms key', () => {
    expect(qualitySettings({}).exportSecret).toBe(DEV_EXPORT_SECRET);
    expect(() => qualitySettings({ NODE_ENV: 'production', QUALITY_PSEUDONYM_SECRET: KEY_A })).toThrow(
      /QUALITY_EXPORT_SECRET: must be set in production/,
    );
    expect(() =>
      qualitySettings({ NODE_ENV: 'production', QUALITY_PSEUDONYM_SECRET: KEY_A, QUALITY_EXPORT_SECRET: DEV_EXPORT_SECRET }),
    ).toThrow(/QUALITY_EXPORT_SECRET: must be set in production/);
    // Both defaults at once: one message naming both.
    expect(() => qualitySettings({ NODE_ENV: 'production' })).toThrow(/QUALITY_PSEUDONYM_SECRET[^]*QUALITY_EXPORT_SECRET/);
    expect(qualitySettings({ NODE_ENV: 'production', QUALITY_PSEUDONYM_SECRET: KEY_A, QUALITY_EXPORT_SECRET: KEY_B }).exportSecret).toBe(
      KEY_B,
    );
    expect(qualitySettings({ QUALITY_EXPORT_SECRET: DEV_EXPORT_SECRET }).exportSecret).toBe(DEV_EXPORT_SECRET);
  });
});

describe('changeAcrossKeys', () => {
  const cell = (n: number, totalMilli: number, histogram: Record<string, number>) => ({ n, totalMilli, histogram });

  it('counts a changed cell as changed by one evaluator (hidden below k), an unchanged one as unchanged', () => {
    expect(changeAcrossKeys(cell(6, 24_000, { 4: 6 }), cell(6, 24_000, { 4: 6 }))).toEqual({ evaluations: 0, evaluators: 0 });
    expect(changeAcrossKeys(cell(6, 24_000, { 4: 6 }), cell(7, 29_000, { 4: 6, 5: 1 }))).toEqual({ evaluations: 1, evaluators: 1 });
    expect(changeAcrossKeys(cell(6, 24_000, { 4: 6 }), cell(6, 25_000, { 4: 5, 5: 1 }))).toEqual({ evaluations: 1, evaluators: 1 });
    expect(changeAcrossKeys(undefined, cell(3, 9_000, { 3: 3 }))).toEqual({ evaluations: 3, evaluators: 1 });
    expect(changeAcrossKeys(undefined, undefined)).toEqual({ evaluations: 0, evaluators: 0 });
  });
});

describe('revisionChange', () => {
  const before = { n: 6, totalMilli: 24_000, histogram: { 4: 6 }, evaluatorCounts: { a: 3, b: 3 } };
  const after = { n: 7, totalMilli: 29_000, histogram: { 4: 6, 5: 1 }, evaluatorCounts: { c: 4, d: 3 } };

  it('compares evaluators under one key, and across keys only when quality made the pseudonyms', () => {
    // The same key: a, b gone, c, d come (what changeStats sees).
    expect(revisionChange(before, after, true, true)).toEqual({ evaluations: 13, evaluators: 4 });
    // Another key, quality's pseudonyms (learner outcomes, mentees, allocated students): one changed evaluator.
    expect(revisionChange(before, after, false, true)).toEqual({ evaluations: 1, evaluators: 1 });
    // Another key of quality's, but assessment's pseudonyms (teaching evaluations): as under one key.
    expect(revisionChange(before, after, false, false)).toEqual({ evaluations: 13, evaluators: 4 });
  });

  it("counts teaching evaluations as assessment's pseudonyms, the other protected figures as quality's", () => {
    expect(['SITE_SCORE', 'TEACHER_SCORE', 'SITE_SCORE_BY_MODULE', 'TEACHER_SCORE_BY_MODULE'].some((m) => keyedByQuality(m as never))).toBe(
      false,
    );
    expect(['COMPETENCY_SCORE', 'MEETINGS_PER_MENTEE', 'FIRST_CHOICE', 'RUN_FIRST_CHOICE'].every((m) => keyedByQuality(m as never))).toBe(
      true,
    );
    expect(keyedByQuality('PLACEMENTS')).toBe(false);
  });
});

import { assessmentSettings, DEV_EVALUATOR_PSEUDONYM_KEY } from '../../src/settings';

/**
 * The evaluator pseudonyms' key (ASSESSMENT_EVALUATOR_PSEUDONYM_KEY) is what keeps an evaluation's
 * author from quality: with the key in the repository, anyone holding a student id could compute
 * the pseudonym and find that student's evaluations. Production refuses it (ADR 0053).
 */
describe('ASSESSMENT_EVALUATOR_PSEUDONYM_KEY', () => {
  const own = 'an-evaluator-key-of-our-own-0123456789';

  it('has a development default, refused in production', () => {
    expect(assessmentSettings({}).evaluatorPseudonymKey).toBe(DEV_EVALUATOR_PSEUDONYM_KEY);
    expect(() => assessmentSettings({ NODE_ENV: 'production' })).toThrow(/ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: must be set in production/);
    expect(() =>
      assessmentSettings({
        NODE_ENV: 'production',
        ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: DEV_EVALUATOR_PSEUDONYM_KEY,
      }),
    ).toThrow(/ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: must be set in production/);
  });

  it('accepts a key of your own in production', () => {
    expect(assessmentSettings({ NODE_ENV: 'production', ASSESSMENT_EVALUATOR_PSEUDONYM_KEY: own }).evaluatorPseudonymKey).toBe(own);
  });
});

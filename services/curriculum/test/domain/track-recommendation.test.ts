import { EXPERIENCED_MIN_YEARS, recommendTrack } from '../../src/domain/track-recommendation';

const tracks = [
  { id: 't-clin-b', kind: 'CLINICAL_PRACTICE' as const, title: 'Clinical practice B' },
  { id: 't-clin-a', kind: 'CLINICAL_PRACTICE' as const, title: 'Clinical practice A' },
  { id: 't-res', kind: 'RESEARCH' as const, title: 'Clinician scientist' },
];

describe('recommendTrack', () => {
  it('steers experienced students to research methods, without mentorship', () => {
    const advice = recommendTrack(EXPERIENCED_MIN_YEARS + 1, tracks);
    expect(advice).toMatchObject({ kind: 'RESEARCH', trackId: 't-res', mentorship: null });
    expect(advice.focusAreas).toEqual(['research methods', 'biostatistics', 'clinical trial design', 'scientific paper writing']);
    expect(advice.reasons.join(' ')).toContain('3 years of clinical work');
  });

  it('steers students without experience to clinical practice with one-on-one mentorship, some experience to small groups', () => {
    expect(recommendTrack(0, tracks)).toMatchObject({
      kind: 'CLINICAL_PRACTICE',
      trackId: 't-clin-a',
      mentorship: { format: 'ONE_ON_ONE', focus: 'CLINICAL_PRACTICE' },
    });
    expect(recommendTrack(EXPERIENCED_MIN_YEARS - 1, tracks).mentorship?.format).toBe('SMALL_GROUP');
  });

  it('says so when the program has no track of the advised kind', () => {
    const advice = recommendTrack(
      5,
      tracks.filter((t) => t.kind !== 'RESEARCH'),
    );
    expect(advice.trackId).toBeNull();
    expect(advice.reasons.at(-1)).toBe('The program offers no RESEARCH track yet.');
  });
});

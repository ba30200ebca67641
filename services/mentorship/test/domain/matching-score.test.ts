import {
  eligibility,
  MAX_SCORE,
  type MentorFacts,
  rankMentors,
  scoreMatch,
  type StudentFacts,
  studentNeed,
} from '../../src/domain/matching-score';

const SCHOOL = 'school';
const HOSPITAL = 'hospital';
const partners = new Set([HOSPITAL]);

const student = (over: Partial<StudentFacts> = {}): StudentFacts => ({
  id: 's1',
  schoolId: SCHOOL,
  priorClinicalYears: 0,
  trackKind: null,
  specialtyInterests: [],
  researchInterests: [],
  preferredFormat: null,
  currentMentorIds: [],
  ...over,
});

const mentor = (over: Partial<MentorFacts> = {}): MentorFacts => ({
  id: 'm1',
  institutionId: SCHOOL,
  isMentor: true,
  isClinicalInstructor: false,
  capacity: 4,
  menteeCount: 0,
  acceptingMentees: true,
  researchActive: false,
  specialties: [],
  researchAreas: [],
  formats: ['ONE_ON_ONE'],
  ...over,
});

describe('studentNeed', () => {
  it('reads the track and clinical experience', () => {
    expect(studentNeed({ trackKind: 'RESEARCH', priorClinicalYears: 0 })).toBe('RESEARCH');
    expect(studentNeed({ trackKind: 'CLINICAL_PRACTICE', priorClinicalYears: 0 })).toBe('CLINICAL_NOVICE');
    expect(studentNeed({ trackKind: 'CLINICAL_PRACTICE', priorClinicalYears: 2 })).toBe('GENERAL');
    expect(studentNeed({ trackKind: null, priorClinicalYears: 0 })).toBe('GENERAL');
  });
});

describe('eligibility', () => {
  it('accepts a mentor of the own school or of a partner hospital', () => {
    expect(eligibility(student(), mentor(), partners)).toEqual({ eligible: true });
    expect(eligibility(student(), mentor({ institutionId: HOSPITAL }), partners)).toEqual({ eligible: true });
  });

  it.each([
    ['another institution', mentor({ institutionId: 'elsewhere' }), /partner hospital/],
    ['not a MENTOR', mentor({ isMentor: false }), /MENTOR/],
    ['not accepting', mentor({ acceptingMentees: false }), /accepting/],
    ['full', mentor({ capacity: 2, menteeCount: 2 }), /capacity/],
  ])('refuses a mentor %s', (_, m, reason) => {
    const result = eligibility(student(), m, partners);
    expect(result.eligible).toBe(false);
    expect(!result.eligible && result.reason).toMatch(reason);
  });

  it("refuses the student's current mentor", () => {
    expect(eligibility(student({ currentMentorIds: ['m1'] }), mentor(), partners).eligible).toBe(false);
  });

  it('requires a research-active mentor for the research track', () => {
    expect(eligibility(student({ trackKind: 'RESEARCH' }), mentor(), partners).eligible).toBe(false);
    expect(eligibility(student({ trackKind: 'RESEARCH' }), mentor({ researchActive: true }), partners).eligible).toBe(true);
  });

  it('requires a clinical instructor for clinical-practice students without experience, not for experienced ones', () => {
    const novice = student({ trackKind: 'CLINICAL_PRACTICE' });
    expect(eligibility(novice, mentor(), partners).eligible).toBe(false);
    expect(eligibility(novice, mentor({ isClinicalInstructor: true, institutionId: HOSPITAL }), partners).eligible).toBe(true);
    expect(eligibility(student({ trackKind: 'CLINICAL_PRACTICE', priorClinicalYears: 3 }), mentor(), partners).eligible).toBe(true);
  });

  it('uses the seats a matching run gives instead of the stored count', () => {
    expect(eligibility(student(), mentor({ capacity: 4, menteeCount: 0 }), partners, 0).eligible).toBe(false);
  });
});

describe('scoreMatch', () => {
  it('scores the research need, shared interests, proximity, room and format, strongest reason first', () => {
    const s = student({
      trackKind: 'RESEARCH',
      researchInterests: ['Sepsis Outcomes'],
      specialtyInterests: ['ICU'],
      preferredFormat: 'ONE_ON_ONE',
    });
    const m = mentor({ researchActive: true, researchAreas: ['sepsis outcomes'], specialties: ['ICU'] });
    const { score, reasons } = scoreMatch(s, m, partners);
    expect(reasons.map((r) => r.code)).toEqual([
      'RESEARCH_ACTIVE',
      'RESEARCH_AREA_MATCH',
      'SPECIALTY_MATCH',
      'SAME_INSTITUTION',
      'CAPACITY_LEFT',
      'FORMAT_MATCH',
    ]);
    expect(score).toBe(MAX_SCORE);
    expect(score).toBe(100);
    expect(reasons.every((r) => r.detail.length > 0 && r.points > 0)).toBe(true);
  });

  it('gives a clinical instructor at a partner hospital to a clinical novice', () => {
    const { score, reasons } = scoreMatch(
      student({ trackKind: 'CLINICAL_PRACTICE' }),
      mentor({ isClinicalInstructor: true, institutionId: HOSPITAL, capacity: 4, menteeCount: 2 }),
      partners,
    );
    expect(reasons.map((r) => [r.code, r.points])).toEqual([
      ['CLINICAL_INSTRUCTOR', 40],
      ['PARTNER_HOSPITAL', 10],
      ['CAPACITY_LEFT', 5],
    ]);
    expect(score).toBe(55);
  });

  it('steers experienced students without a track towards research-active mentors', () => {
    const experienced = student({ priorClinicalYears: 2 });
    expect(scoreMatch(experienced, mentor({ researchActive: true }), partners).score).toBeGreaterThan(
      scoreMatch(experienced, mentor(), partners).score,
    );
    expect(scoreMatch(student(), mentor({ researchActive: true }), partners).score).toBe(scoreMatch(student(), mentor(), partners).score);
  });

  it('gives more points to mentors with more room', () => {
    expect(scoreMatch(student(), mentor({ menteeCount: 0 }), partners).score).toBeGreaterThan(
      scoreMatch(student(), mentor({ menteeCount: 3 }), partners).score,
    );
  });
});

describe('rankMentors', () => {
  it('lists eligible mentors only, best first, ties by id, up to the limit', () => {
    const mentors = [
      mentor({ id: 'b' }),
      mentor({ id: 'a' }),
      mentor({ id: 'far', institutionId: 'elsewhere' }),
      mentor({ id: 'best', specialties: ['SURGERY'] }),
    ];
    const ranked = rankMentors(student({ specialtyInterests: ['SURGERY'] }), mentors, partners);
    expect(ranked.map((r) => r.mentorId)).toEqual(['best', 'a', 'b']);
    expect(rankMentors(student(), mentors, partners, 1)).toHaveLength(1);
  });
});

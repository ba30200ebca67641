import { parseInput } from '@medcollab/kit';
import {
  createGoalFromGapSchema,
  createMentorshipSchema,
  logMeetingSchema,
  startMatchingRunSchema,
  upsertMentorProfileSchema,
} from '../../src/domain/validation';

const ID = '0b6f4f3e-1f0e-4a57-9a8e-2d2b9c0f5a11';
const fields = (fn: () => unknown): string[] => {
  try {
    fn();
    return [];
  } catch (error) {
    return ((error as { details?: { fields?: { path: string }[] } }).details?.fields ?? []).map((f) => f.path);
  }
};

describe('input validation', () => {
  it('normalises a mentor profile and names every bad field', () => {
    const ok = parseInput(upsertMentorProfileSchema, {
      staffId: ID,
      capacity: 3,
      formats: ['ONE_ON_ONE', 'ONE_ON_ONE'],
      researchAreas: [' Sepsis ', 'sepsis', 'ECMO'],
    });
    expect(ok).toMatchObject({
      formats: ['ONE_ON_ONE'],
      researchAreas: ['sepsis', 'ECMO'],
      researchActive: false,
      acceptingMentees: true,
      specialties: [],
      hoursPerMonth: null,
      bio: null,
    });
    expect(
      fields(() => parseInput(upsertMentorProfileSchema, { staffId: 'x', capacity: 0, formats: [], hoursPerMonth: 500 })).sort(),
    ).toEqual(['capacity', 'formats', 'hoursPerMonth', 'staffId']);
  });

  it('takes a program or a school cohort, not both', () => {
    expect(parseInput(startMatchingRunSchema, { programId: ID })).toEqual({ kind: 'program', programId: ID });
    expect(parseInput(startMatchingRunSchema, { schoolId: ID, cohortYear: 2024 })).toEqual({
      kind: 'cohort',
      schoolId: ID,
      cohortYear: 2024,
    });
    expect(() => parseInput(startMatchingRunSchema, { programId: ID, schoolId: ID, cohortYear: 2024 })).toThrow(/either programId/);
    expect(() => parseInput(startMatchingRunSchema, { schoolId: ID })).toThrow(/either programId/);
  });

  it('asks a group size only of small groups', () => {
    expect(
      fields(() => parseInput(createMentorshipSchema, { mentorId: ID, menteeIds: [ID], format: 'SMALL_GROUP', focus: 'CAREER' })),
    ).toEqual(['groupSizeLimit']);
    expect(
      fields(() =>
        parseInput(createMentorshipSchema, { mentorId: ID, menteeIds: [ID], format: 'ONE_ON_ONE', focus: 'CAREER', groupSizeLimit: 3 }),
      ),
    ).toEqual(['groupSizeLimit']);
    expect(
      fields(() =>
        parseInput(createMentorshipSchema, { mentorId: ID, menteeIds: [], format: 'SMALL_GROUP', focus: 'CAREER', groupSizeLimit: 20 }),
      ).sort(),
    ).toEqual(['groupSizeLimit', 'menteeIds']);
  });

  it('checks meeting dates and gap levels', () => {
    expect(parseInput(logMeetingSchema, { mentorshipId: ID, date: new Date('2026-03-01T00:00:00Z'), attendeeIds: [ID, ID] })).toMatchObject(
      { date: '2026-03-01', attendeeIds: [ID], notes: null },
    );
    expect(fields(() => parseInput(logMeetingSchema, { mentorshipId: ID, date: '2026-02-30', attendeeIds: [] })).sort()).toEqual([
      'attendeeIds',
      'date',
    ]);
    expect(
      fields(() => parseInput(createGoalFromGapSchema, { studentId: ID, competencyId: ID, requiredLevel: 2, currentLevel: 3 })),
    ).toEqual(['requiredLevel']);
  });
});

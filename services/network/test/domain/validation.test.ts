import { parseInput, isIsoDate, todayIn } from '@medcollab/kit';
import {
  createInstitutionSchema,
  endAgreementSchema,
  proposeAgreementSchema,
  registerStaffMemberSchema,
  registerStudentSchema,
} from '../../src/domain/validation';

const S = '5b0d8b0e-1b7a-4a55-9a43-0d1f3f7a6c01';
const H = '5b0d8b0e-1b7a-4a55-9a43-0d1f3f7a6c02';
const D = '5b0d8b0e-1b7a-4a55-9a43-0d1f3f7a6c03';

/** The fields a refused input names. */
function badFields(schema: Parameters<typeof parseInput>[0], input: unknown): string[] {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect((error as { code: string }).code).toBe('BAD_USER_INPUT');
    return ((error as { details: { fields: { path: string }[] } }).details.fields ?? []).map((f) => f.path);
  }
  throw new Error('input was accepted');
}

describe('institution input', () => {
  it('accepts IANA zones and UTC', () => {
    for (const timezone of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'UTC']) {
      expect(parseInput(createInstitutionSchema, { name: 'St Elsewhere', kind: 'HOSPITAL', timezone }).timezone).toBe(timezone);
    }
  });
  it('refuses unknown zones and abbreviations', () => {
    for (const timezone of ['Mars/Olympus_Mons', 'EST', '', '+02:00']) {
      expect(badFields(createInstitutionSchema, { name: 'St Elsewhere', kind: 'HOSPITAL', timezone })).toEqual(['timezone']);
    }
  });
});

describe('student input', () => {
  const schema = registerStudentSchema(2025);
  const base = { schoolId: S, givenName: 'Ada', familyName: 'Lovelace', email: 'Ada.Lovelace@Example.EDU ', cohortYear: 2024 };

  it('normalises the email to lower case and defaults priorClinicalYears to 0', () => {
    expect(parseInput(schema, base)).toMatchObject({ email: 'ada.lovelace@example.edu', priorClinicalYears: 0 });
  });
  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 'a@b' }, 'email'],
    [{ cohortYear: 1989 }, 'cohortYear'],
    [{ cohortYear: 2027 }, 'cohortYear'],
    [{ cohortYear: 2024.5 }, 'cohortYear'],
    [{ priorClinicalYears: -1 }, 'priorClinicalYears'],
    [{ givenName: '   ' }, 'givenName'],
    [{ schoolId: 'school-1' }, 'schoolId'],
  ])('refuses %j', (override, field) => {
    expect(badFields(schema, { ...base, ...override })).toEqual([field]);
  });
  it("accepts next year's cohort", () => {
    expect(parseInput(schema, { ...base, cohortYear: 2026 }).cohortYear).toBe(2026);
  });
});

describe('staff input', () => {
  const base = {
    institutionId: S,
    givenName: 'Grace',
    familyName: 'Hopper',
    email: 'grace@example.org',
    roles: ['TEACHER', 'TEACHER', 'MENTOR'],
  };
  it('deduplicates roles', () => {
    expect(parseInput(registerStaffMemberSchema, base).roles).toEqual(['TEACHER', 'MENTOR']);
  });
  it('refuses the STUDENT role, no roles, and unknown roles', () => {
    expect(badFields(registerStaffMemberSchema, { ...base, roles: ['TEACHER', 'STUDENT'] })).toEqual(['roles']);
    expect(badFields(registerStaffMemberSchema, { ...base, roles: [] })).toEqual(['roles']);
    expect(badFields(registerStaffMemberSchema, { ...base, roles: ['WIZARD'] })).toEqual(['roles.0']);
  });
});

describe('agreement input', () => {
  const base = { schoolId: S, hospitalId: H, departmentIds: [D], startsOn: new Date('2025-01-01T00:00:00Z'), endsOn: '2025-12-31' };
  it('takes the Date scalar (UTC midnight) or a YYYY-MM-DD string, and gives YYYY-MM-DD', () => {
    expect(parseInput(proposeAgreementSchema, base)).toMatchObject({ startsOn: '2025-01-01', endsOn: '2025-12-31' });
  });
  it('needs endsOn after startsOn', () => {
    expect(badFields(proposeAgreementSchema, { ...base, endsOn: '2025-01-01' })).toEqual(['endsOn']);
    expect(badFields(proposeAgreementSchema, { ...base, endsOn: '2024-12-31' })).toEqual(['endsOn']);
  });
  it('needs at least one department, two different parties and real dates', () => {
    expect(badFields(proposeAgreementSchema, { ...base, departmentIds: [] })).toEqual(['departmentIds']);
    expect(badFields(proposeAgreementSchema, { ...base, hospitalId: S })).toEqual(['hospitalId']);
    expect(badFields(proposeAgreementSchema, { ...base, endsOn: '2025-02-30' })).toEqual(['endsOn']);
  });
  it('lets endedOn be left out', () => {
    expect(parseInput(endAgreementSchema, { id: S })).toEqual({ id: S, endedOn: null });
  });
});

describe('dates', () => {
  it('knows real calendar days', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-1-01')).toBe(false);
  });
  it('reckons today in a time zone', () => {
    const instant = new Date('2025-03-01T02:00:00Z');
    expect(todayIn('Europe/Paris', instant)).toBe('2025-03-01');
    expect(todayIn('America/Chicago', instant)).toBe('2025-02-28');
  });
});

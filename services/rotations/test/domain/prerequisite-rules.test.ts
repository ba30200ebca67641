import {
  applicableRequirement,
  assertPrerequisitesMet,
  missingPrerequisites,
  type RequirementPrerequisites,
} from '../../src/domain/prerequisite-rules';

const requirement = (
  id: string,
  programId: string,
  trackId: string | null,
  specialty: RequirementPrerequisites['specialty'],
  modules: string[],
): RequirementPrerequisites => ({
  id,
  programId,
  trackId,
  specialty,
  prerequisiteModuleIds: modules,
});

const REQUIREMENTS = [
  requirement('p-surgery', 'p', null, 'SURGERY', ['m-anatomy', 'm-asepsis']),
  requirement('p-surgery-research', 'p', 'research', 'SURGERY', []),
  requirement('p-im', 'p', null, 'INTERNAL_MEDICINE', ['m-cvs']),
  requirement('q-surgery', 'q', null, 'SURGERY', ['m-asepsis', 'm-ethics']),
];

const errorOf = (fn: () => void): { code?: string; details?: Record<string, unknown> } | undefined => {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; details?: Record<string, unknown> };
  }
  return undefined;
};

describe('the requirement that applies', () => {
  it("is the track's own when the program sets one, else the program's for every track, else none", () => {
    expect(applicableRequirement(REQUIREMENTS, { programId: 'p', trackId: 'research' }, 'SURGERY')?.id).toBe('p-surgery-research');
    expect(applicableRequirement(REQUIREMENTS, { programId: 'p', trackId: 'clinical' }, 'SURGERY')?.id).toBe('p-surgery');
    expect(applicableRequirement(REQUIREMENTS, { programId: 'p', trackId: null }, 'SURGERY')?.id).toBe('p-surgery');
    expect(applicableRequirement(REQUIREMENTS, { programId: 'p', trackId: 'research' }, 'INTERNAL_MEDICINE')?.id).toBe('p-im');
    expect(applicableRequirement(REQUIREMENTS, { programId: 'p', trackId: null }, 'PEDIATRICS')).toBeNull();
    expect(applicableRequirement(REQUIREMENTS, { programId: 'other', trackId: null }, 'SURGERY')).toBeNull();
  });
});

describe('missing prerequisites', () => {
  it('lists the modules of the applicable requirement not yet completed, sorted', () => {
    expect(missingPrerequisites(REQUIREMENTS, [{ programId: 'p', trackId: null }], 'SURGERY', new Set(['m-cvs']))).toEqual({
      requirementIds: ['p-surgery'],
      missingModuleIds: ['m-anatomy', 'm-asepsis'],
    });
    expect(
      missingPrerequisites(REQUIREMENTS, [{ programId: 'p', trackId: null }], 'SURGERY', new Set(['m-asepsis'])).missingModuleIds,
    ).toEqual(['m-anatomy']);
    expect(missingPrerequisites(REQUIREMENTS, [{ programId: 'p', trackId: null }], 'SURGERY', new Set(['m-asepsis', 'm-anatomy']))).toEqual(
      { requirementIds: [], missingModuleIds: [] },
    );
  });

  it("replaces the program's requirement by the track's (here: none to complete)", () => {
    expect(missingPrerequisites(REQUIREMENTS, [{ programId: 'p', trackId: 'research' }], 'SURGERY', new Set())).toEqual({
      requirementIds: [],
      missingModuleIds: [],
    });
  });

  it('joins the requirements of every active enrolment, each module once', () => {
    const both = [
      { programId: 'p', trackId: null },
      { programId: 'q', trackId: null },
    ];
    expect(missingPrerequisites(REQUIREMENTS, both, 'SURGERY', new Set(['m-anatomy']))).toEqual({
      requirementIds: ['p-surgery', 'q-surgery'],
      missingModuleIds: ['m-asepsis', 'm-ethics'],
    });
  });

  it('asks nothing of a student with no known enrolment, nor for a department of unknown specialty', () => {
    expect(missingPrerequisites(REQUIREMENTS, [], 'SURGERY', new Set()).missingModuleIds).toEqual([]);
    expect(missingPrerequisites(REQUIREMENTS, [{ programId: 'p', trackId: null }], null, new Set()).missingModuleIds).toEqual([]);
  });
});

describe('the prerequisite refusal', () => {
  const site = { departmentId: 'd-surgery', specialty: 'SURGERY' as const };

  it('is CONFLICT/PREREQUISITE_NOT_MET naming the missing modules, the requirement and the site', () => {
    const error = errorOf(() =>
      assertPrerequisitesMet(REQUIREMENTS, [{ programId: 'p', trackId: 'clinical' }], site, new Set(['m-anatomy'])),
    );
    expect(error?.code).toBe('CONFLICT');
    expect(error?.details).toEqual({
      reason: 'PREREQUISITE_NOT_MET',
      departmentId: 'd-surgery',
      specialty: 'SURGERY',
      requirementIds: ['p-surgery'],
      missingModuleIds: ['m-asepsis'],
    });
  });

  it('passes once every prerequisite is completed, or when none applies', () => {
    expect(
      errorOf(() => assertPrerequisitesMet(REQUIREMENTS, [{ programId: 'p', trackId: null }], site, new Set(['m-anatomy', 'm-asepsis']))),
    ).toBeUndefined();
    expect(errorOf(() => assertPrerequisitesMet(REQUIREMENTS, [], site, new Set()))).toBeUndefined();
    expect(
      errorOf(() =>
        assertPrerequisitesMet(REQUIREMENTS, [{ programId: 'p', trackId: null }], { departmentId: 'd', specialty: null }, new Set()),
      ),
    ).toBeUndefined();
  });
});

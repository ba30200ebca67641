import { type Actor } from '@medcollab/kit';
import { cohortFor, type CallerFacts, mayReadOwnTeaching, mayReadProgramCurriculum, type ScopeFacts } from '../../src/domain/access-policy';
import { ALL_SCHOOLS } from '../../src/domain/metrics';

/** School S partners hospital H; K is a hospital S has no agreement with. */
const admin: Actor = { personId: 'admin', institutionId: null, roles: ['NETWORK_ADMIN'] };
const officerS: Actor = { personId: 'qs', institutionId: 'S', roles: ['QUALITY_OFFICER'] };
const adminS: Actor = { personId: 'as', institutionId: 'S', roles: ['INSTITUTION_ADMIN'] };
const coordinatorS: Actor = { personId: 'cs', institutionId: 'S', roles: ['COORDINATOR'] };
const officerH: Actor = { personId: 'qh', institutionId: 'H', roles: ['QUALITY_OFFICER'] };
const adminH: Actor = { personId: 'ah', institutionId: 'H', roles: ['INSTITUTION_ADMIN'] };
const coordinatorH: Actor = { personId: 'ch', institutionId: 'H', roles: ['COORDINATOR'] };
const teacherH: Actor = { personId: 'th', institutionId: 'H', roles: ['TEACHER'] };

const school: CallerFacts = { isSchool: true, partnerHospitals: ['H'] };
const hospital: CallerFacts = { isSchool: false, partnerHospitals: [] };
const network: ScopeFacts = { kind: 'NETWORK', hospitalId: null };
const at = (kind: ScopeFacts['kind'], hospitalId: string): ScopeFacts => ({ kind, hospitalId });

describe('whose figures a caller reads', () => {
  it("gives network admins every student's figures in any scope", () => {
    expect(cohortFor(admin, hospital, network)).toBe(ALL_SCHOOLS);
    expect(cohortFor(admin, school, at('TEACHER', 'K'))).toBe(ALL_SCHOOLS);
  });

  it("gives a school's quality officers and admins their own students' figures across the network and at partner hospitals only", () => {
    for (const office of [officerS, adminS]) {
      expect(cohortFor(office, school, network)).toBe('S');
      expect(cohortFor(office, school, at('INSTITUTION', 'H'))).toBe('S');
      expect(cohortFor(office, school, at('TEACHER', 'H'))).toBe('S');
      expect(cohortFor(office, school, at('INSTITUTION', 'K'))).toBeNull();
    }
  });

  it("gives a school's quality officers and admins their own students' figures in a program (which has no hospital)", () => {
    const program: ScopeFacts = { kind: 'PROGRAM', hospitalId: null };
    for (const office of [officerS, adminS]) expect(cohortFor(office, school, program)).toBe('S');
    expect(cohortFor(coordinatorS, school, program)).toBeNull();
    expect(cohortFor(officerH, hospital, program)).toBeNull();
  });

  it("refuses a school's other staff, even for the network", () => {
    expect(cohortFor(coordinatorS, school, network)).toBeNull();
    expect(cohortFor(coordinatorS, school, at('DEPARTMENT', 'H'))).toBeNull();
  });

  it("gives a hospital's quality officers and admins every student's figures of their own hospital, nothing of another nor of the network", () => {
    for (const office of [officerH, adminH]) {
      expect(cohortFor(office, hospital, at('INSTITUTION', 'H'))).toBe(ALL_SCHOOLS);
      expect(cohortFor(office, hospital, at('TEACHER', 'H'))).toBe(ALL_SCHOOLS);
      expect(cohortFor(office, hospital, at('INSTITUTION', 'K'))).toBeNull();
      expect(cohortFor(office, hospital, network)).toBeNull();
    }
  });

  it('refuses the network scope to a quality officer of no institution', () => {
    expect(cohortFor({ personId: 'q', institutionId: null, roles: ['QUALITY_OFFICER'] }, hospital, network)).toBeNull();
  });

  it("gives a hospital's coordinators its departments and teachers, not the hospital as a whole nor staff views", () => {
    expect(cohortFor(coordinatorH, hospital, at('DEPARTMENT', 'H'))).toBe(ALL_SCHOOLS);
    expect(cohortFor(coordinatorH, hospital, at('TEACHER', 'H'))).toBe(ALL_SCHOOLS);
    expect(cohortFor(coordinatorH, hospital, at('INSTITUTION', 'H'))).toBeNull();
    expect(cohortFor(coordinatorH, hospital, at('STAFF', 'H'))).toBeNull();
    expect(cohortFor(coordinatorH, hospital, at('DEPARTMENT', 'K'))).toBeNull();
  });

  it("gives a school's quality officers and admins their own students' figures in a cohort of their programs, and nobody else at the school", () => {
    const cohort: ScopeFacts = { kind: 'COHORT', hospitalId: null };
    expect(cohortFor(officerS, school, cohort)).toBe('S');
    expect(cohortFor(adminS, school, cohort)).toBe('S');
    expect(cohortFor(coordinatorS, school, cohort)).toBeNull();
    expect(cohortFor(officerH, hospital, cohort)).toBeNull();
  });

  it("refuses a hospital's teachers the figures (they read their own released evaluation elsewhere)", () => {
    expect(cohortFor(teacherH, hospital, at('DEPARTMENT', 'H'))).toBeNull();
    expect(cohortFor(teacherH, hospital, at('TEACHER', 'H'))).toBeNull();
  });
});

describe("a teacher's own released evaluation", () => {
  it('is read by the teacher and by network admins, nobody else', () => {
    expect(mayReadOwnTeaching(teacherH, 'th')).toBe(true);
    expect(mayReadOwnTeaching(admin, 'th')).toBe(true);
    expect(mayReadOwnTeaching(officerH, 'th')).toBe(false);
  });
});

describe("who reads a program's curriculum figures (latest, modules, history)", () => {
  it("lets network admins and the program's school's quality officers and admins read them; nobody else", () => {
    expect(mayReadProgramCurriculum(admin, 'S')).toBe(true);
    expect(mayReadProgramCurriculum(admin, null)).toBe(true);
    expect(mayReadProgramCurriculum(officerS, 'S')).toBe(true);
    expect(mayReadProgramCurriculum(adminS, 'S')).toBe(true);
    for (const other of [coordinatorS, officerH, adminH, teacherH]) expect(mayReadProgramCurriculum(other, 'S')).toBe(false);
    // Another school's program, or one quality knows nothing of.
    expect(mayReadProgramCurriculum(officerS, 'S9')).toBe(false);
    expect(mayReadProgramCurriculum(officerS, null)).toBe(false);
    // An office role held outside any institution does not match a program of no known school.
    expect(mayReadProgramCurriculum({ personId: 'q0', institutionId: null, roles: ['QUALITY_OFFICER'] }, null)).toBe(false);
  });
});

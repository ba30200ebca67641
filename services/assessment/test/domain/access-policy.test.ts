import { type Actor } from '@medcollab/kit';
import {
  assessorEligible,
  canAssign,
  canConfigureSchool,
  canCreateInstrument,
  canReadQuality,
  canReadStudentRecord,
  canReadSubmission,
  canReadTask,
  canReadTeachingEvaluation,
  canWorkOnTask,
  departmentDecides,
  grantActive,
  hospitalHolds,
  isEvaluationRole,
  mayHoldMentorGrant,
  mentorHolds,
  type PlacementFacts,
  type StaffFacts,
  type TaskFacts,
} from '../../src/domain/access-policy';

/** School S places student st at hospital H; K is an unrelated institution. */
const admin: Actor = { personId: 'admin', institutionId: null, roles: ['NETWORK_ADMIN'] };
const adminS: Actor = { personId: 'as', institutionId: 'S', roles: ['INSTITUTION_ADMIN'] };
const coordinatorS: Actor = { personId: 'cs', institutionId: 'S', roles: ['COORDINATOR'] };
const teacherS: Actor = { personId: 'ts', institutionId: 'S', roles: ['TEACHER'] };
const instructorS: Actor = { personId: 'is', institutionId: 'S', roles: ['CLINICAL_INSTRUCTOR'] };
const student: Actor = { personId: 'st', institutionId: 'S', roles: ['STUDENT'] };
const otherStudent: Actor = { personId: 'st2', institutionId: 'S', roles: ['STUDENT'] };
const coordinatorH: Actor = { personId: 'ch', institutionId: 'H', roles: ['COORDINATOR'] };
const adminH: Actor = { personId: 'ah', institutionId: 'H', roles: ['INSTITUTION_ADMIN'] };
const instructorH: Actor = { personId: 'ih', institutionId: 'H', roles: ['CLINICAL_INSTRUCTOR'] };
const studentAtH: Actor = { personId: 'sh', institutionId: 'H', roles: ['STUDENT'] };
const mentor: Actor = { personId: 'm', institutionId: 'K', roles: ['MENTOR'] };
const outsider: Actor = { personId: 'o', institutionId: 'K', roles: ['COORDINATOR'] };
const now = new Date('2026-11-01T12:00:00Z');

const placement = (over: Partial<PlacementFacts> = {}): PlacementFacts => ({
  id: 'p1',
  studentId: 'st',
  schoolId: 'S',
  hospitalId: 'H',
  departmentId: 'd1',
  supervisorId: 'ih',
  status: 'CONFIRMED',
  accessUntil: null,
  ...over,
});

/** A supervisor's assessment of student st, written by the hospital's instructor ih. */
const assessment = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  role: 'SUPERVISOR_ASSESSMENT',
  assessorId: 'ih',
  studentId: 'st',
  schoolId: 'S',
  placementId: 'p1',
  ...over,
});

/** Student st's evaluation of the site. */
const evaluation = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  role: 'SITE_EVALUATION',
  assessorId: 'st',
  studentId: 'st',
  schoolId: 'S',
  placementId: 'p1',
  ...over,
});

describe("the hospital's access through a placement", () => {
  it('runs while a placement without an end date is confirmed or in progress, not while proposed, completed or cancelled', () => {
    expect(grantActive(placement({ status: 'CONFIRMED' }), now)).toBe(true);
    expect(grantActive(placement({ status: 'IN_PROGRESS' }), now)).toBe(true);
    expect(grantActive(placement({ status: 'PROPOSED' }), now)).toBe(false);
    expect(grantActive(placement({ status: 'COMPLETED' }), now)).toBe(false);
    expect(grantActive(placement({ status: 'CANCELLED' }), now)).toBe(false);
  });

  it('runs until the end of access, whatever the status, and ends exactly then', () => {
    expect(grantActive(placement({ status: 'COMPLETED', accessUntil: new Date(now.getTime() + 1) }), now)).toBe(true);
    expect(grantActive(placement({ status: 'COMPLETED', accessUntil: now }), now)).toBe(false);
    expect(grantActive(placement({ status: 'CONFIRMED', accessUntil: new Date(now.getTime() - 1) }), now)).toBe(false);
  });

  it("is held by the placement's hospital staff only, and only while the grant runs", () => {
    expect(hospitalHolds(instructorH, placement(), now)).toBe(true);
    expect(hospitalHolds(coordinatorH, placement(), now)).toBe(true);
    expect(hospitalHolds(coordinatorH, null, now)).toBe(false);
    expect(hospitalHolds(studentAtH, placement(), now)).toBe(false);
    expect(hospitalHolds(outsider, placement(), now)).toBe(false);
    expect(hospitalHolds(coordinatorH, placement({ status: 'COMPLETED', accessUntil: now }), now)).toBe(false);
    expect(hospitalHolds(instructorH, placement({ status: 'COMPLETED', accessUntil: now }), now, 'd1')).toBe(false);
  });

  it("reaches all of the hospital's placements for coordinators and admins, an instructor's department and supervisees only (hole 6)", () => {
    const inD2 = placement({ departmentId: 'd2', supervisorId: 'someone' });
    expect(hospitalHolds(coordinatorH, inD2, now)).toBe(true);
    expect(hospitalHolds(adminH, inD2, now)).toBe(true);
    expect(hospitalHolds({ ...coordinatorH, roles: ['INTEGRATION'] }, inD2, now)).toBe(true);
    expect(hospitalHolds(instructorH, inD2, now, 'd2')).toBe(true);
    expect(hospitalHolds({ ...instructorH, roles: ['TEACHER'] }, inD2, now, 'd2')).toBe(true);
    expect(hospitalHolds(instructorH, inD2, now, 'd1')).toBe(false);
    expect(hospitalHolds(instructorH, inD2, now)).toBe(false);
    expect(hospitalHolds(instructorH, { ...inD2, supervisorId: 'ih' }, now, 'd1')).toBe(true);
    expect(hospitalHolds({ ...instructorH, roles: ['QUALITY_OFFICER'] }, { ...inD2, supervisorId: 'ih' }, now, 'd2')).toBe(false);
    expect(canReadTask({ ...instructorH, personId: 'ih2' }, assessment(), placement(), now)).toBe(false);
    expect(canReadTask({ ...instructorH, personId: 'ih2' }, assessment(), placement(), now, [], 'd1')).toBe(true);
    expect(canReadSubmission({ ...instructorH, personId: 'ih2' }, assessment(), placement(), now, true, [], 'd1')).toBe(true);
    expect(canReadSubmission({ ...instructorH, personId: 'ih2' }, assessment(), placement(), now, true, [], 'd2')).toBe(false);
    expect(departmentDecides(instructorH)).toBe(true);
    expect(departmentDecides({ ...instructorH, roles: ['TEACHER'] })).toBe(true);
    expect(departmentDecides({ ...instructorH, roles: ['CLINICAL_INSTRUCTOR', 'COORDINATOR'] })).toBe(false);
    expect(departmentDecides(coordinatorH)).toBe(false);
    expect(departmentDecides(student)).toBe(false);
  });
});

describe('mentor grants', () => {
  it("can be held only by an institution's staff", () => {
    expect(mayHoldMentorGrant(mentor)).toBe(true);
    expect(mayHoldMentorGrant(student)).toBe(false);
    expect(mayHoldMentorGrant({ personId: 'x', institutionId: null, roles: ['MENTOR'] })).toBe(false);
  });

  it('let a staff member holding a live grant see the mentee, nobody else', () => {
    expect(mentorHolds(mentor, ['m'])).toBe(true);
    expect(mentorHolds(mentor, ['other'])).toBe(false);
    expect(mentorHolds(mentor, [])).toBe(false);
    expect(mentorHolds(student, ['st'])).toBe(false);
  });
});

describe('instruments and school configuration', () => {
  it("let a school's admins and teachers create instruments for it, network admins for anyone or the network", () => {
    expect(canCreateInstrument(admin, null)).toBe(true);
    expect(canCreateInstrument(admin, 'S')).toBe(true);
    expect(canCreateInstrument(adminS, 'S')).toBe(true);
    expect(canCreateInstrument(teacherS, 'S')).toBe(true);
    expect(canCreateInstrument(coordinatorS, 'S')).toBe(false);
    expect(canCreateInstrument(teacherS, 'K')).toBe(false);
    expect(canCreateInstrument(teacherS, null)).toBe(false);
    expect(canCreateInstrument({ personId: 'x', institutionId: null, roles: ['TEACHER'] }, null)).toBe(false);
  });

  it("let a school's admins and coordinators choose its assessment, not its teachers nor another institution", () => {
    expect(canConfigureSchool(admin, 'S')).toBe(true);
    expect(canConfigureSchool(adminS, 'S')).toBe(true);
    expect(canConfigureSchool(coordinatorS, 'S')).toBe(true);
    expect(canConfigureSchool(teacherS, 'S')).toBe(false);
    expect(canConfigureSchool(coordinatorH, 'S')).toBe(false);
  });
});

describe('reading a task', () => {
  it('knows which roles are evaluations', () => {
    expect(isEvaluationRole('SITE_EVALUATION')).toBe(true);
    expect(isEvaluationRole('TEACHER_EVALUATION')).toBe(true);
    expect(isEvaluationRole('SUPERVISOR_ASSESSMENT')).toBe(false);
    expect(isEvaluationRole('ASSIGNED')).toBe(false);
  });

  it('shows an assessment to network admins and its assessor, even an assessor with no other right', () => {
    expect(canReadTask(admin, assessment(), null, now)).toBe(true);
    expect(canReadTask(outsider, assessment({ assessorId: 'o', placementId: null }), null, now)).toBe(true);
    expect(canReadTask(outsider, assessment(), placement(), now)).toBe(false);
  });

  it('shows an assessment to the student signed in as a student, not to a staff account with the same id nor to another student', () => {
    expect(canReadTask(student, assessment(), null, now)).toBe(true);
    expect(canReadTask({ personId: 'st', institutionId: 'K', roles: ['TEACHER'] }, assessment(), null, now)).toBe(false);
    expect(canReadTask(otherStudent, assessment(), null, now)).toBe(false);
  });

  it("shows an assessment to the student's school staff, and to the hospital only through the task's placement while it grants access", () => {
    expect(canReadTask(teacherS, assessment(), null, now)).toBe(true);
    expect(canReadTask(coordinatorH, assessment(), placement(), now)).toBe(true);
    expect(canReadTask(coordinatorH, assessment({ placementId: null }), placement(), now)).toBe(false);
    expect(canReadTask(coordinatorH, assessment(), placement({ status: 'COMPLETED', accessUntil: now }), now)).toBe(false);
    expect(canReadTask(coordinatorH, assessment(), null, now)).toBe(false);
  });

  it("shows an assessment to the student's mentor holding a live grant", () => {
    expect(canReadTask(mentor, assessment(), null, now, ['m'])).toBe(true);
    expect(canReadTask(mentor, assessment(), null, now, ['other'])).toBe(false);
    expect(canReadTask(mentor, assessment(), null, now)).toBe(false);
  });

  it("shows an evaluation to its author and the school's staff only: never the hospital it is about, nor the mentor", () => {
    for (const role of ['SITE_EVALUATION', 'TEACHER_EVALUATION'] as const) {
      expect(canReadTask(student, evaluation({ role }), placement(), now)).toBe(true);
      expect(canReadTask(teacherS, evaluation({ role }), placement(), now)).toBe(true);
      expect(canReadTask(coordinatorH, evaluation({ role }), placement(), now)).toBe(false);
      expect(canReadTask(mentor, evaluation({ role }), placement(), now, ['m'])).toBe(false);
      expect(canReadTask(otherStudent, evaluation({ role }), placement(), now)).toBe(false);
    }
  });
});

describe('reading what was answered', () => {
  it('keeps an evaluation answer to its author alone, always, even from the school and network admins', () => {
    expect(canReadSubmission(student, evaluation(), placement(), now, true)).toBe(true);
    expect(canReadSubmission(teacherS, evaluation(), placement(), now, true)).toBe(false);
    expect(canReadSubmission(admin, evaluation(), placement(), now, true)).toBe(false);
  });

  it('keeps a draft to its author until submitted, then shows it as the task', () => {
    expect(canReadSubmission(instructorH, assessment(), placement(), now, false)).toBe(true);
    expect(canReadSubmission(teacherS, assessment(), placement(), now, false)).toBe(false);
    expect(canReadSubmission(teacherS, assessment(), placement(), now, true)).toBe(true);
    expect(canReadSubmission(mentor, assessment(), placement(), now, true, ['m'])).toBe(true);
    expect(canReadSubmission(outsider, assessment(), placement(), now, true)).toBe(false);
  });
});

describe('working on a task', () => {
  it('is for its assessor only, signed in as a student for an evaluation and as staff for an assessment', () => {
    expect(canWorkOnTask(student, evaluation())).toBe(true);
    expect(canWorkOnTask(otherStudent, evaluation())).toBe(false);
    expect(canWorkOnTask({ personId: 'st', institutionId: 'S', roles: ['TEACHER'] }, evaluation())).toBe(false);
    expect(canWorkOnTask(instructorH, assessment())).toBe(true);
    expect(canWorkOnTask(coordinatorH, assessment())).toBe(false);
    expect(canWorkOnTask({ personId: 'ih', institutionId: 'H', roles: ['STUDENT'] }, assessment())).toBe(false);
  });
});

describe('assigning a task by hand', () => {
  const st = { id: 'st', schoolId: 'S' };

  it("is for the student's school coordinators, admins and teachers, and network admins", () => {
    expect(canAssign(admin, st, null, now)).toBe(true);
    expect(canAssign(coordinatorS, st, null, now)).toBe(true);
    expect(canAssign(adminS, st, null, now)).toBe(true);
    expect(canAssign(teacherS, st, null, now)).toBe(true);
    expect(canAssign(instructorS, st, null, now)).toBe(false);
    expect(canAssign(outsider, st, null, now)).toBe(false);
  });

  it("is for the hospital's coordinators and admins through that student's placement while it grants access", () => {
    expect(canAssign(coordinatorH, st, placement(), now)).toBe(true);
    expect(canAssign(adminH, st, placement(), now)).toBe(true);
    expect(canAssign(instructorH, st, placement(), now)).toBe(false);
    expect(canAssign(coordinatorH, st, null, now)).toBe(false);
    expect(canAssign(coordinatorH, st, placement({ studentId: 'st2' }), now)).toBe(false);
    expect(canAssign(coordinatorH, st, placement({ status: 'COMPLETED', accessUntil: now }), now)).toBe(false);
  });
});

describe('who may assess', () => {
  const teacher = (institutionId: string, roles: string[] = ['TEACHER']): StaffFacts => ({
    id: 'a',
    institutionId,
    departmentId: null,
    roles,
  });

  it("is a teacher or clinical instructor at the student's school or at a hospital placing them", () => {
    expect(assessorEligible(teacher('S'), { schoolId: 'S' }, [])).toBe(true);
    expect(assessorEligible(teacher('H', ['CLINICAL_INSTRUCTOR']), { schoolId: 'S' }, ['H'])).toBe(true);
    expect(assessorEligible(teacher('H', ['CLINICAL_INSTRUCTOR']), { schoolId: 'S' }, [])).toBe(false);
    expect(assessorEligible(teacher('K'), { schoolId: 'S' }, ['H'])).toBe(false);
    expect(assessorEligible(teacher('S', ['COORDINATOR']), { schoolId: 'S' }, [])).toBe(false);
  });
});

describe("a student's assessment record", () => {
  const st = { id: 'st', schoolId: 'S' };

  it('is read by network admins, the student, their school staff and their mentor; never by the hospital', () => {
    expect(canReadStudentRecord(admin, st)).toBe(true);
    expect(canReadStudentRecord(student, st)).toBe(true);
    expect(canReadStudentRecord({ personId: 'st', institutionId: 'K', roles: ['TEACHER'] }, st)).toBe(false);
    expect(canReadStudentRecord(otherStudent, st)).toBe(false);
    expect(canReadStudentRecord(teacherS, st)).toBe(true);
    expect(canReadStudentRecord(teacherS, { id: 'st', schoolId: null })).toBe(false);
    expect(canReadStudentRecord({ personId: 'x', institutionId: null, roles: ['TEACHER'] }, { id: 'st', schoolId: null })).toBe(false);
    expect(canReadStudentRecord(mentor, st, ['m'])).toBe(true);
    expect(canReadStudentRecord(mentor, st)).toBe(false);
    expect(canReadStudentRecord(coordinatorH, st)).toBe(false);
  });
});

describe('quality figures', () => {
  const qualityOfficer = (institutionId: string | null): Actor => ({ personId: 'q', institutionId, roles: ['QUALITY_OFFICER'] });

  it("of a hospital are read by its quality officers, its partner schools' and network admins", () => {
    expect(canReadQuality(admin, 'H', [])).toBe(true);
    expect(canReadQuality(qualityOfficer('H'), 'H', [])).toBe(true);
    expect(canReadQuality(qualityOfficer('S'), 'H', ['S'])).toBe(true);
    expect(canReadQuality(qualityOfficer('K'), 'H', ['S'])).toBe(false);
    expect(canReadQuality(qualityOfficer(null), 'H', ['S'])).toBe(false);
    expect(canReadQuality(coordinatorH, 'H', [])).toBe(false);
  });

  it("of a teacher are read by the teacher, quality officers of the teacher's institution and its partners, network admins", () => {
    const t: StaffFacts = { id: 't', institutionId: 'H', departmentId: 'd1', roles: ['CLINICAL_INSTRUCTOR'] };
    const self: Actor = { personId: 't', institutionId: 'H', roles: ['CLINICAL_INSTRUCTOR'] };
    expect(canReadTeachingEvaluation(admin, 't', t, [])).toBe(true);
    expect(canReadTeachingEvaluation(self, 't', t, [])).toBe(true);
    expect(canReadTeachingEvaluation(self, 't', null, [])).toBe(true);
    expect(canReadTeachingEvaluation(qualityOfficer('H'), 't', t, [])).toBe(true);
    expect(canReadTeachingEvaluation(qualityOfficer('H'), 't', null, [])).toBe(false);
    expect(canReadTeachingEvaluation(qualityOfficer('S'), 't', t, ['S'])).toBe(true);
    expect(canReadTeachingEvaluation(qualityOfficer('K'), 't', t, ['S'])).toBe(false);
    expect(canReadTeachingEvaluation(qualityOfficer(null), 't', t, ['S'])).toBe(false);
    expect(canReadTeachingEvaluation(instructorH, 't', t, [])).toBe(false);
  });
});

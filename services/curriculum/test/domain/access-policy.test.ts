import { type Actor, type Role } from '@medcollab/kit';
import {
  canChangeCurriculum,
  canChangeOwnTrack,
  canManageEnrolments,
  canReadCurriculum,
  canReadReferenceData,
  canReadStudentRecords,
  canRecordResults,
  canWriteReferenceData,
  needsPartnerCheck,
} from '../../src/domain/access-policy';

const actor = (institutionId: string | null, ...roles: Role[]): Actor => ({ personId: 'p1', institutionId, roles });
const partners = new Set(['hospital-1']);

describe('curriculum access policy', () => {
  it('lets the school, its students, its ACTIVE partner hospitals and network admins read a curriculum', () => {
    expect(canReadCurriculum(actor('school', 'TEACHER'), 'school', partners)).toBe(true);
    expect(canReadCurriculum(actor('school', 'STUDENT'), 'school', partners)).toBe(true);
    expect(canReadCurriculum(actor('hospital-1', 'CLINICAL_INSTRUCTOR'), 'school', partners)).toBe(true);
    expect(canReadCurriculum(actor(null, 'NETWORK_ADMIN'), 'school', new Set())).toBe(true);
    expect(canReadCurriculum(actor('hospital-2', 'CLINICAL_INSTRUCTOR'), 'school', partners)).toBe(false);
    expect(canReadCurriculum(actor('other-school', 'STUDENT'), 'school', new Set(['other-school']))).toBe(false);
    expect(canReadCurriculum(actor('school'), 'school', partners)).toBe(false);
    expect(canReadCurriculum(actor(null, 'TEACHER'), 'school', partners)).toBe(false);
  });

  it('asks for partners only for staff of another institution', () => {
    expect(needsPartnerCheck(actor('hospital-1', 'COORDINATOR'), 'school')).toBe(true);
    expect(needsPartnerCheck(actor('school', 'COORDINATOR'), 'school')).toBe(false);
    expect(needsPartnerCheck(actor('hospital-1', 'STUDENT'), 'school')).toBe(false);
    expect(needsPartnerCheck(actor(null, 'NETWORK_ADMIN'), 'school')).toBe(false);
  });

  it("lets only the school's admins and teachers (and network admins) change it", () => {
    expect(canChangeCurriculum(actor('school', 'TEACHER'), 'school')).toBe(true);
    expect(canChangeCurriculum(actor('school', 'INSTITUTION_ADMIN'), 'school')).toBe(true);
    expect(canChangeCurriculum(actor(null, 'NETWORK_ADMIN'), 'school')).toBe(true);
    expect(canChangeCurriculum(actor('school', 'COORDINATOR'), 'school')).toBe(false);
    expect(canChangeCurriculum(actor('other', 'TEACHER'), 'school')).toBe(false);
  });

  it('writes reference data for the own institution, or anything for network admins', () => {
    expect(canWriteReferenceData(actor('school', 'TEACHER'), 'school')).toBe(true);
    expect(canWriteReferenceData(actor('school', 'TEACHER'), null)).toBe(false);
    expect(canWriteReferenceData(actor('school', 'TEACHER'), 'other')).toBe(false);
    expect(canWriteReferenceData(actor(null, 'NETWORK_ADMIN'), null)).toBe(true);
  });

  it('follows the student rules for enrolments', () => {
    const student = { id: 'stu', schoolId: 'school' };
    expect(canReadStudentRecords({ personId: 'stu', institutionId: 'school', roles: ['STUDENT'] }, 'stu', student)).toBe(true);
    expect(canReadStudentRecords(actor('school', 'MENTOR'), 'stu', student)).toBe(true);
    expect(canReadStudentRecords(actor('school', 'MENTOR'), 'stu', null)).toBe(false);
    expect(canReadStudentRecords(actor('hospital-1', 'CLINICAL_INSTRUCTOR'), 'stu', student)).toBe(false);
    expect(canReadStudentRecords(actor('school', 'STUDENT'), 'stu', student)).toBe(false);
    expect(canManageEnrolments(actor('school', 'COORDINATOR'), 'school')).toBe(true);
    expect(canManageEnrolments(actor('school', 'TEACHER'), 'school')).toBe(false);
    expect(canChangeOwnTrack({ personId: 'stu', institutionId: 'school', roles: ['STUDENT'] }, 'stu', 'school')).toBe(true);
    expect(canChangeOwnTrack({ personId: 'other', institutionId: 'school', roles: ['STUDENT'] }, 'stu', 'school')).toBe(false);
  });

  it('lets every signed-in caller read the network-wide reference data', () => {
    expect(canReadReferenceData(actor('school', 'STUDENT'))).toBe(true);
    expect(canReadReferenceData(actor('hospital-1', 'CLINICAL_INSTRUCTOR'))).toBe(true);
  });

  it('writes reference data for the own institution only as an admin or teacher', () => {
    expect(canWriteReferenceData(actor('school', 'INSTITUTION_ADMIN'), 'school')).toBe(true);
    expect(canWriteReferenceData(actor('school', 'COORDINATOR'), 'school')).toBe(false);
    expect(canWriteReferenceData(actor(null, 'NETWORK_ADMIN'), 'school')).toBe(true);
  });

  it("lets a partner hospital's staff, not its students, read the curriculum, and a school's staff of any role read their own", () => {
    expect(canReadCurriculum(actor('hospital-1', 'STUDENT'), 'school', partners)).toBe(false);
    expect(canReadCurriculum(actor('school', 'COORDINATOR'), 'school', new Set())).toBe(true);
    expect(canReadCurriculum(actor('hospital-1', 'NETWORK_ADMIN'), 'school', new Set())).toBe(true);
  });

  it('asks for partners of no one without an institution, and of no one of the school itself', () => {
    expect(needsPartnerCheck(actor(null, 'COORDINATOR'), 'school')).toBe(false);
    expect(needsPartnerCheck(actor('hospital-1', 'NETWORK_ADMIN', 'COORDINATOR'), 'school')).toBe(false);
  });

  it("lets the school's admins manage enrolments, not another school's, and network admins any", () => {
    expect(canManageEnrolments(actor('school', 'INSTITUTION_ADMIN'), 'school')).toBe(true);
    expect(canManageEnrolments(actor('other', 'COORDINATOR'), 'school')).toBe(false);
    expect(canManageEnrolments(actor(null, 'NETWORK_ADMIN'), 'school')).toBe(true);
  });

  it('lets a student change their own track only at their own school and signed in as a student; enrolment managers any', () => {
    expect(canChangeOwnTrack({ personId: 'stu', institutionId: 'other', roles: ['STUDENT'] }, 'stu', 'school')).toBe(false);
    expect(canChangeOwnTrack({ personId: 'stu', institutionId: 'school', roles: ['TEACHER'] }, 'stu', 'school')).toBe(false);
    expect(canChangeOwnTrack(actor('school', 'COORDINATOR'), 'stu', 'school')).toBe(true);
  });

  it('lets network admins and the student read records the school has not yet learned of; nobody else', () => {
    expect(canReadStudentRecords(actor(null, 'NETWORK_ADMIN'), 'stu', null)).toBe(true);
    expect(canReadStudentRecords({ personId: 'stu', institutionId: 'school', roles: ['STUDENT'] }, 'stu', null)).toBe(true);
    expect(canReadStudentRecords({ personId: 'x', institutionId: null, roles: ['MENTOR'] }, 'stu', { id: 'stu', schoolId: 'school' })).toBe(
      false,
    );
  });

  it("records module completions for the school's admins and teachers (and network admins) only", () => {
    expect(canRecordResults(actor('school', 'TEACHER'), 'school')).toBe(true);
    expect(canRecordResults(actor(null, 'NETWORK_ADMIN'), 'school')).toBe(true);
    expect(canRecordResults(actor('school', 'COORDINATOR'), 'school')).toBe(false);
    expect(canRecordResults(actor('other', 'TEACHER'), 'school')).toBe(false);
  });
});

describe('curriculum access policy: the edges the mutation gate found', () => {
  it('does not let a teacher of no institution write network reference data', () => {
    expect(canWriteReferenceData(actor(null, 'TEACHER'), null)).toBe(false);
  });
});

import { z } from 'zod';
import { SPECIALTIES } from '@medcollab/kit';
import { defineEvent } from '../contract';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/**
 * A school-hospital agreement took effect: the hospital's listed departments may host the
 * school's students. `departmentSpecialties` tells consumers each listed department's specialty
 * (rotations matches its requirements on it); optional, so events written before it existed
 * still parse (their departments' specialties are unknown).
 */
export const AgreementActivated = defineEvent(
  'AgreementActivated',
  1,
  'CollaborationAgreement',
  z.object({
    agreementId: z.uuid(),
    schoolId: z.uuid(),
    hospitalId: z.uuid(),
    departmentIds: z.array(z.uuid()),
    startsOn: isoDate,
    endsOn: isoDate,
    departmentSpecialties: z.array(z.object({ departmentId: z.uuid(), specialty: z.enum(SPECIALTIES).nullable() })).optional(),
  }),
);

/** An agreement ended (early or on its end date); no new placements may rely on it. */
export const AgreementEnded = defineEvent(
  'AgreementEnded',
  1,
  'CollaborationAgreement',
  z.object({ agreementId: z.uuid(), schoolId: z.uuid(), hospitalId: z.uuid(), endedOn: isoDate }),
);

/** A school registered a student. */
export const StudentRegistered = defineEvent(
  'StudentRegistered',
  1,
  'Student',
  z.object({
    studentId: z.uuid(),
    schoolId: z.uuid(),
    email: z.email(),
    cohortYear: z.number().int(),
    priorClinicalYears: z.number().int().min(0),
    /** Optional (added later; earlier events lack it): reminders and messages name the person. */
    givenName: z.string().optional(),
    familyName: z.string().optional(),
  }),
);

/** An institution registered a staff member. */
export const StaffRegistered = defineEvent(
  'StaffRegistered',
  1,
  'StaffMember',
  z.object({
    staffId: z.uuid(),
    institutionId: z.uuid(),
    departmentId: z.uuid().nullable(),
    roles: z.array(z.string()),
    /** Optional (added later; earlier events lack them): reminders address and name the person. */
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    email: z.email().optional(),
  }),
);

/** An institution was created: its name, kind and time zone (reminders keep quiet hours in it). */
export const InstitutionCreated = defineEvent(
  'InstitutionCreated',
  1,
  'Institution',
  z.object({ institutionId: z.uuid(), name: z.string(), kind: z.enum(['SCHOOL', 'HOSPITAL']), timezone: z.string() }),
);

/** A department was created at an institution (escalations name it and reach its coordinators). */
export const DepartmentCreated = defineEvent(
  'DepartmentCreated',
  1,
  'Department',
  z.object({ departmentId: z.uuid(), institutionId: z.uuid(), name: z.string() }),
);

import { z } from 'zod';
import { SPECIALTIES } from '@medcollab/kit';
import { defineEvent } from '../contract';
import { isoDate } from './scalars';

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
    /** Names for messages people read (allocation explanations); optional so older events still parse. */
    departmentNames: z.array(z.object({ departmentId: z.uuid(), name: z.string() })).optional(),
    hospitalName: z.string().optional(),
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
    /** For messages people read (allocation explanations); optional so older events still parse. */
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

/**
 * A student's record changed (through the API or a roster import). Carries the record as it
 * now is, in the same fields as StudentRegistered, plus `changed`: the fields that changed.
 * Emitted once per real change: saving the same values again emits nothing. The names are
 * optional only so that events written before they were carried still parse.
 */
export const StudentUpdated = defineEvent(
  'StudentUpdated',
  1,
  'Student',
  z.object({
    studentId: z.uuid(),
    schoolId: z.uuid(),
    email: z.email(),
    cohortYear: z.number().int(),
    priorClinicalYears: z.number().int().min(0),
    sourcedId: z.string().nullable(),
    changed: z.array(z.string()).min(1),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
  }),
);

/** A staff member's record or roles changed; the record as it now is (names optional as above), with the changed fields. */
export const StaffUpdated = defineEvent(
  'StaffUpdated',
  1,
  'StaffMember',
  z.object({
    staffId: z.uuid(),
    institutionId: z.uuid(),
    departmentId: z.uuid().nullable(),
    roles: z.array(z.string()),
    sourcedId: z.string().nullable(),
    changed: z.array(z.string()).min(1),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    email: z.email().optional(),
  }),
);

/**
 * A student was deactivated (leave, graduation, withdrawal) or reactivated, with the reason
 * given. Consumers end what an inactive student may no longer hold (future placements, access).
 */
export const StudentStatusChanged = defineEvent(
  'StudentStatusChanged',
  1,
  'Student',
  z.object({ studentId: z.uuid(), schoolId: z.uuid(), active: z.boolean(), reason: z.string().min(1) }),
);

/** A staff member was deactivated (contract end, leave) or reactivated, with the reason given. */
export const StaffStatusChanged = defineEvent(
  'StaffStatusChanged',
  1,
  'StaffMember',
  z.object({ staffId: z.uuid(), institutionId: z.uuid(), active: z.boolean(), reason: z.string().min(1) }),
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

/**
 * A roster import's files were uploaded and it waits to be processed (ADR 0026). Written in the
 * upload's transaction, so the import is queued if and only if its files are stored; the relay
 * publishes it to the network worker's roster import queue, and the sweeper publishes it again
 * if Redis lost the job. The `roster_import` row stays the truth for status, progress and report.
 */
export const RosterImportQueued = defineEvent(
  'RosterImportQueued',
  1,
  'RosterImport',
  z.object({ importId: z.uuid(), institutionId: z.uuid() }),
);

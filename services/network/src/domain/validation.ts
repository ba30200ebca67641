import { isIanaTimeZone, ROLES, isoDateInput } from '@medcollab/kit';
import { z } from 'zod';
import { AGREEMENT_STATUSES, INSTITUTION_KINDS, SPECIALTIES } from './model';

/**
 * Input schemas for every mutation. They only check what can be judged from the input
 * alone; rules that need stored data (parties, departments, overlaps) live in the other
 * domain modules and run inside the write transaction.
 */

/** The first cohort the network accepts; older records belong to an archive, not here. */
export const MIN_COHORT_YEAR = 1990;
/** How many years of earlier clinical work a student can plausibly bring. */
export const MAX_PRIOR_CLINICAL_YEARS = 40;

const id = z.uuid('must be a UUID');
const personName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const orgName = z.string().trim().min(2, 'must be at least 2 characters').max(200, 'must be at most 200 characters');

/** Emails are login identities: compared and stored in lower case. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a well-formed email address'));

/**
 * An IANA zone name in Area/Location form (or UTC). Abbreviations such as EST or CET are
 * refused even where the runtime knows them: they are ambiguous and ignore daylight saving.
 */
export const timeZoneSchema = z
  .string()
  .trim()
  .refine((tz) => (tz.includes('/') || tz === 'UTC') && isIanaTimeZone(tz), 'must be an IANA time zone such as Europe/Paris');

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/**
 * The id an institution's own system gives a record (OneRoster's sourcedId): any printable
 * text up to 255 characters, compared exactly (case matters, as in the source systems).
 */
export const sourcedIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'must not contain control characters');
const optionalSourcedId = sourcedIdSchema.nullish().transform((v) => v ?? null);

/** Why a person was deactivated or reactivated; people read it later (coordinators, the person). */
export const statusReasonSchema = z.string().trim().min(3, 'must be at least 3 characters').max(500, 'must be at most 500 characters');

export const createInstitutionSchema = z.object({
  name: orgName,
  kind: z.enum(INSTITUTION_KINDS),
  timezone: timeZoneSchema,
  sourcedId: optionalSourcedId,
});
export type CreateInstitutionInput = z.infer<typeof createInstitutionSchema>;

export const createDepartmentSchema = z.object({
  institutionId: id,
  name: orgName,
  specialty: z
    .enum(SPECIALTIES)
    .nullish()
    .transform((v) => v ?? null),
  sourcedId: optionalSourcedId,
});
export type CreateDepartmentInput = z.infer<typeof createDepartmentSchema>;

/** `currentYear` is passed in so the rule stays pure (and testable across a new year). */
const cohortYear = (currentYear: number) =>
  z
    .number()
    .int('must be a whole year')
    .min(MIN_COHORT_YEAR, `must be ${MIN_COHORT_YEAR} or later`)
    .max(currentYear + 1, `must be at most ${currentYear + 1} (next year's cohort)`);
const priorClinicalYears = z
  .number()
  .int('must be a whole number of years')
  .min(0, 'must be 0 or more')
  .max(MAX_PRIOR_CLINICAL_YEARS, `must be at most ${MAX_PRIOR_CLINICAL_YEARS}`);

export function registerStudentSchema(currentYear: number) {
  return z.object({
    schoolId: id,
    givenName: personName,
    familyName: personName,
    email: emailSchema,
    cohortYear: cohortYear(currentYear),
    priorClinicalYears: priorClinicalYears.nullish().transform((v) => v ?? 0),
    sourcedId: optionalSourcedId,
  });
}
export type RegisterStudentInput = z.infer<ReturnType<typeof registerStudentSchema>>;

const staffRoles = z
  .array(z.enum(ROLES))
  .min(1, 'give at least one role')
  .transform(unique)
  .refine((roles) => !roles.includes('STUDENT'), 'a staff member cannot hold the STUDENT role (register a student instead)');

export const registerStaffMemberSchema = z.object({
  institutionId: id,
  departmentId: id.nullish().transform((v) => v ?? null),
  givenName: personName,
  familyName: personName,
  email: emailSchema,
  roles: staffRoles,
  sourcedId: optionalSourcedId,
});
export type RegisterStaffMemberInput = z.infer<typeof registerStaffMemberSchema>;

/** Fields left out (or null) stay as they are; at least one must be given. */
const atLeastOneChange = (v: Record<string, unknown>) => Object.entries(v).some(([k, value]) => k !== 'id' && value !== undefined);
const keep = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export function updateStudentSchema(currentYear: number) {
  return z
    .object({
      id,
      givenName: keep(personName),
      familyName: keep(personName),
      email: keep(emailSchema),
      cohortYear: keep(cohortYear(currentYear)),
      priorClinicalYears: keep(priorClinicalYears),
      sourcedId: keep(sourcedIdSchema),
    })
    .refine(atLeastOneChange, { message: 'give at least one field to change', path: ['id'] });
}
export type UpdateStudentInput = z.infer<ReturnType<typeof updateStudentSchema>>;

export const updateStaffMemberSchema = z
  .object({
    id,
    givenName: keep(personName),
    familyName: keep(personName),
    email: keep(emailSchema),
    /** Absent: unchanged; null: leaves their department. */
    departmentId: id.nullish(),
    sourcedId: keep(sourcedIdSchema),
  })
  .refine(atLeastOneChange, { message: 'give at least one field to change', path: ['id'] });
export type UpdateStaffMemberInput = z.infer<typeof updateStaffMemberSchema>;

export const changeStaffRolesSchema = z.object({ id, roles: staffRoles });
export type ChangeStaffRolesInput = z.infer<typeof changeStaffRolesSchema>;

export const statusChangeSchema = z.object({ id, reason: statusReasonSchema });
export type StatusChangeInput = z.infer<typeof statusChangeSchema>;

export const proposeAgreementSchema = z
  .object({
    schoolId: id,
    hospitalId: id,
    departmentIds: z.array(id).min(1, 'list at least one hospital department').transform(unique),
    startsOn: isoDateInput,
    endsOn: isoDateInput,
  })
  .refine((v) => v.endsOn > v.startsOn, { path: ['endsOn'], message: 'must be after startsOn' })
  .refine((v) => v.schoolId !== v.hospitalId, { path: ['hospitalId'], message: 'must differ from schoolId' });
export type ProposeAgreementInput = z.infer<typeof proposeAgreementSchema>;

export const activateAgreementSchema = z.object({ id });
export type ActivateAgreementInput = z.infer<typeof activateAgreementSchema>;

export const endAgreementSchema = z.object({
  id,
  endedOn: isoDateInput.nullish().transform((v) => v ?? null),
});
export type EndAgreementInput = z.infer<typeof endAgreementSchema>;

/** Ids in read arguments: a malformed one can never match, so reads treat it as absent. */
export const isUuid = (value: string): boolean => id.safeParse(value).success;

const optionalId = id.nullish().transform((v) => v ?? null);
const search = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .nullish()
  .transform((v) => v || null);

export const studentFilterSchema = z
  .object({
    institutionId: optionalId,
    cohortYear: z
      .number()
      .int()
      .nullish()
      .transform((v) => v ?? null),
    search,
  })
  .nullish()
  .transform((v) => v ?? { institutionId: null, cohortYear: null, search: null });
export type StudentFilter = z.infer<typeof studentFilterSchema>;

export const staffFilterSchema = z
  .object({
    institutionId: optionalId,
    departmentId: optionalId,
    role: z
      .enum(ROLES)
      .nullish()
      .transform((v) => v ?? null),
    search,
  })
  .nullish()
  .transform((v) => v ?? { institutionId: null, departmentId: null, role: null, search: null });
export type StaffFilter = z.infer<typeof staffFilterSchema>;

export const agreementFilterSchema = z
  .object({
    schoolId: optionalId,
    hospitalId: optionalId,
    status: z
      .enum(AGREEMENT_STATUSES)
      .nullish()
      .transform((v) => v ?? null),
  })
  .nullish()
  .transform((v) => v ?? { schoolId: null, hospitalId: null, status: null });
export type AgreementFilter = z.infer<typeof agreementFilterSchema>;

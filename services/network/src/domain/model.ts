/**
 * The network's vocabulary, shared by the SDL, the validation schemas and the tables.
 * Each list mirrors an enum in schema.graphql (a test keeps them in step).
 */

export const INSTITUTION_KINDS = ['SCHOOL', 'HOSPITAL'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const AGREEMENT_STATUSES = ['PROPOSED', 'ACTIVE', 'ENDED'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/**
 * Clinical specialties of hospital departments. Other subgraphs (rotations, curriculum)
 * reuse the SDL enum verbatim, so values are only ever added, never renamed.
 */
export const SPECIALTIES = [
  'INTERNAL_MEDICINE',
  'SURGERY',
  'PEDIATRICS',
  'OBSTETRICS_GYNECOLOGY',
  'PSYCHIATRY',
  'FAMILY_MEDICINE',
  'EMERGENCY_MEDICINE',
  'NEUROLOGY',
  'CARDIOLOGY',
  'ANESTHESIOLOGY',
  'RADIOLOGY',
  'PATHOLOGY',
  'ORTHOPEDICS',
  'ONCOLOGY',
  'INFECTIOUS_DISEASES',
  'GERIATRICS',
  'DERMATOLOGY',
  'OPHTHALMOLOGY',
  'OTOLARYNGOLOGY',
  'UROLOGY',
  'PUBLIC_HEALTH',
  'ICU',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

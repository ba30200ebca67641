/**
 * The curriculum's vocabulary, shared by the SDL, the validation schemas and the tables.
 * Each list mirrors an enum in schema.graphql (a test keeps them in step); values are only
 * ever added, never renamed, because other systems integrate against them.
 */

export const COMPETENCY_DOMAINS = ['TECHNICAL', 'NON_TECHNICAL'] as const;
export type CompetencyDomain = (typeof COMPETENCY_DOMAINS)[number];

/**
 * Categories the seeded frameworks use. `category` stays free text (frameworks bring their
 * own), but these are the spellings to prefer so that reports group alike with alike.
 */
export const SUGGESTED_CATEGORIES = [
  'medical knowledge',
  'patient care',
  'procedural skills',
  'communication',
  'teamwork',
  'leadership',
  'situation awareness',
  'decision making',
  'professionalism',
  'ethics',
  'research',
  'prevention',
  'health advocacy',
  'scholarship',
  'systems-based practice',
  'practice-based learning',
] as const;

export const TEACHING_METHODS = [
  'LECTURE',
  'PBL',
  'TBL',
  'CBL',
  'FLIPPED',
  'SIMULATION',
  'BEDSIDE',
  'LAB',
  'SEMINAR',
  'SELF_STUDY',
] as const;
export type TeachingMethod = (typeof TEACHING_METHODS)[number];

export const DELIVERY_MODES = ['ONLINE', 'OFFLINE'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const ORGAN_SYSTEMS = [
  'FOUNDATIONS',
  'CARDIOVASCULAR',
  'RESPIRATORY',
  'RENAL_URINARY',
  'GASTROINTESTINAL',
  'ENDOCRINE',
  'REPRODUCTIVE',
  'NERVOUS',
  'MUSCULOSKELETAL',
  'HEMATOLOGIC_LYMPHATIC',
  'IMMUNE',
  'INTEGUMENTARY',
  'SPECIAL_SENSES',
  'MULTISYSTEM',
] as const;
export type OrganSystem = (typeof ORGAN_SYSTEMS)[number];

/** Basic sciences, clinical specialties and preventive disciplines a module integrates. */
export const DISCIPLINES = [
  'ANATOMY',
  'HISTOLOGY',
  'PHYSIOLOGY',
  'BIOCHEMISTRY',
  'GENETICS',
  'PATHOLOGY',
  'PHARMACOLOGY',
  'MICROBIOLOGY',
  'IMMUNOLOGY',
  'BEHAVIORAL_SCIENCE',
  'INTERNAL_MEDICINE',
  'CARDIOLOGY',
  'PULMONOLOGY',
  'NEPHROLOGY',
  'GASTROENTEROLOGY',
  'ENDOCRINOLOGY',
  'NEUROLOGY',
  'SURGERY',
  'PEDIATRICS',
  'OBSTETRICS_GYNECOLOGY',
  'PSYCHIATRY',
  'EMERGENCY_MEDICINE',
  'FAMILY_MEDICINE',
  'RADIOLOGY',
  'CLINICAL_SKILLS',
  'PREVENTIVE_MEDICINE',
  'EPIDEMIOLOGY',
  'BIOSTATISTICS',
  'PUBLIC_HEALTH',
  'MEDICAL_ETHICS',
] as const;
export type Discipline = (typeof DISCIPLINES)[number];

export const TRACK_KINDS = ['CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const ENROLLMENT_STATUSES = ['ACTIVE', 'WITHDRAWN'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

export const MENTORSHIP_FORMATS = ['ONE_ON_ONE', 'SMALL_GROUP'] as const;
export type MentorshipFormat = (typeof MENTORSHIP_FORMATS)[number];

export const MODULE_RESULT_STATUSES = ['COMPLETED'] as const;
export type ModuleResultStatus = (typeof MODULE_RESULT_STATUSES)[number];

export const INTEGRITY_ISSUE_KINDS = [
  'OBJECTIVE_WITHOUT_COMPETENCY',
  'MODULE_WITHOUT_OBJECTIVE',
  'SESSION_WITHOUT_OBJECTIVE',
  'DISCIPLINE_ZERO_HOURS',
  'UNKNOWN_PREREQUISITE',
  'CYCLIC_PREREQUISITE',
] as const;
export type IntegrityIssueKind = (typeof INTEGRITY_ISSUE_KINDS)[number];

export const CURRICULUM_ITEM_TYPES = ['MODULE', 'OBJECTIVE', 'SESSION'] as const;
export type CurriculumItemType = (typeof CURRICULUM_ITEM_TYPES)[number];

/** Shared with every subgraph; the SDL repeats the enum verbatim (federation needs it in each). */
export { SPECIALTIES, type Specialty } from '@medcollab/kit';

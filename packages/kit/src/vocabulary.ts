/**
 * Vocabulary every subgraph shares. Federation needs each subgraph that uses an enum to
 * declare it in its SDL (the same values everywhere); the code keeps one list, here.
 */

/** Clinical specialties of departments, post profiles, tracks and mentors. Values are only ever added. */
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

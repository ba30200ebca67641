import { type Role } from '@medcollab/kit';
import { type DemoInstitution } from './catalog';

/**
 * Demo people built from fixed name lists by arithmetic on their position: the same
 * names, emails and cohorts on every run, varied enough to look like a real roster.
 */

const GIVEN = [
  'Amara',
  'Benjamin',
  'Chiara',
  'Daniel',
  'Elif',
  'Farah',
  'Gabriel',
  'Hana',
  'Ibrahim',
  'Julia',
  'Kwame',
  'Leila',
  'Mateo',
  'Nadia',
  'Oliver',
  'Priya',
  'Quentin',
  'Rosa',
  'Samuel',
  'Tatiana',
  'Umar',
  'Valentina',
  'William',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Aiko',
  'Lucas',
  'Mei',
  'Noah',
  'Sofia',
  'Arjun',
  'Emma',
  'Diego',
  'Ingrid',
  'Kofi',
  'Chloé',
  'Rafael',
  'Sara',
  'Tomás',
];
const FAMILY = [
  'Adeyemi',
  'Bennett',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Morales',
  'Nakamura',
  "O'Connor",
  'Patel',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Uddin',
  'Varga',
  'Walsh',
  'Xu',
  'Yilmaz',
  'Zielinski',
  'Okafor',
  'Murphy',
  'Chen',
  'Novak',
  'Mensah',
  'Costa',
  'Hughes',
  'Kim',
  'Larsen',
  'Moreau',
  'Nguyen',
  'Petrov',
  'Romero',
  'Sato',
];

export const STUDENTS_PER_SCHOOL = 30;
const COHORT_YEARS = [2021, 2022, 2023, 2024, 2025];
/** Mostly none, a few with earlier clinical work (nurses, paramedics, foreign graduates). */
const PRIOR_CLINICAL_YEARS = [0, 0, 0, 1, 0, 0, 3, 0, 0, 2];

export interface DemoStudent {
  key: string;
  givenName: string;
  familyName: string;
  email: string;
  cohortYear: number;
  priorClinicalYears: number;
}

export interface DemoStaff {
  key: string;
  givenName: string;
  familyName: string;
  email: string;
  roles: Role[];
  /** Department key within the institution, if any. */
  department: string | null;
}

const at = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

/** "Chloé O'Connor" -> "chloe.oconnor". */
function emailLocalPart(givenName: string, familyName: string): string {
  const clean = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  return `${clean(givenName)}.${clean(familyName)}`;
}

/** Unique emails within one domain: a repeated name gets a number, as mail systems do. */
function uniqueEmail(used: Set<string>, local: string, domain: string): string {
  let email = `${local}@${domain}`;
  for (let n = 2; used.has(email); n++) email = `${local}${n}@${domain}`;
  used.add(email);
  return email;
}

/** The students of the `schoolIndex`-th school. 7 and 40 are coprime, so given names never repeat within a school. */
export function demoStudents(school: DemoInstitution, schoolIndex: number): DemoStudent[] {
  const used = new Set<string>();
  return Array.from({ length: STUDENTS_PER_SCHOOL }, (_, i) => {
    const givenName = at(GIVEN, schoolIndex * 13 + i * 7);
    const familyName = at(FAMILY, schoolIndex * 7 + i * 3 + Math.floor(i / 4));
    return {
      key: `${school.key}/student/${i}`,
      givenName,
      familyName,
      email: uniqueEmail(used, emailLocalPart(givenName, familyName), `students.${school.domain}`),
      cohortYear: at(COHORT_YEARS, i),
      priorClinicalYears: at(PRIOR_CLINICAL_YEARS, i + schoolIndex),
    };
  });
}

interface StaffSlot {
  roles: Role[];
  department: string | null;
}

/** Who works where: each institution gets an admin, a coordinator and a quality officer, then its teachers or instructors. */
function staffSlots(institution: DemoInstitution): StaffSlot[] {
  const base: StaffSlot[] = [
    { roles: ['INSTITUTION_ADMIN'], department: null },
    { roles: ['COORDINATOR'], department: null },
    { roles: ['QUALITY_OFFICER'], department: null },
  ];
  const departments = institution.departments.map((d) => d.key);
  if (institution.kind === 'SCHOOL') {
    return [
      ...base,
      ...departments.map((d) => ({ roles: ['TEACHER'] as Role[], department: d })),
      { roles: ['TEACHER', 'MENTOR'], department: at(departments, 0) },
      { roles: ['MENTOR'], department: at(departments, 1) },
    ];
  }
  return [
    ...base,
    ...departments.map((d) => ({ roles: ['CLINICAL_INSTRUCTOR'] as Role[], department: d })),
    { roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'], department: at(departments, 0) },
  ];
}

/** The staff of the `institutionIndex`-th institution (schools first, then hospitals). */
export function demoStaff(institution: DemoInstitution, institutionIndex: number): DemoStaff[] {
  const used = new Set<string>();
  return staffSlots(institution).map((slot, i) => {
    const k = institutionIndex * 11 + i;
    const givenName = at(GIVEN, k * 11 + 3);
    // The shift by floor(k / 40) keeps the name pairs from repeating every 40 people.
    const familyName = at(FAMILY, k * 13 + 5 + Math.floor(k / 40));
    return {
      key: `${institution.key}/staff/${i}`,
      givenName,
      familyName,
      email: uniqueEmail(used, emailLocalPart(givenName, familyName), institution.domain),
      roles: slot.roles,
      department: slot.department,
    };
  });
}

/** The person who runs the network; a staff member of the first school. */
export const DEMO_NETWORK_ADMIN = {
  key: 'network-admin',
  givenName: 'Margaret',
  familyName: 'Okonkwo-Hale',
  roles: ['NETWORK_ADMIN'] as Role[],
  localPart: 'network.admin',
};

import { type Specialty } from '@medcollab/kit';

export type InstitutionKind = 'SCHOOL' | 'HOSPITAL';

/**
 * The demo network: three schools and four teaching hospitals (fictional, realistic
 * names), their departments and the agreements between them. Fixed data, no randomness.
 */

export interface DemoDepartment {
  key: string;
  name: string;
  specialty: Specialty | null;
}

export interface DemoInstitution {
  key: string;
  name: string;
  kind: InstitutionKind;
  timezone: string;
  /** Email domain of its people. */
  domain: string;
  departments: DemoDepartment[];
}

const dept = (key: string, name: string, specialty: Specialty | null): DemoDepartment => ({ key, name, specialty });

export const DEMO_SCHOOLS: DemoInstitution[] = [
  {
    key: 'northbridge-som',
    name: 'Northbridge University School of Medicine',
    kind: 'SCHOOL',
    timezone: 'America/Chicago',
    domain: 'med.northbridge.edu',
    departments: [
      dept('meded', 'Medical Education', null),
      dept('clinskills', 'Clinical Skills Centre', null),
      dept('publichealth', 'Population and Public Health', 'PUBLIC_HEALTH'),
    ],
  },
  {
    key: 'st-aldric-mc',
    name: 'St Aldric Medical College',
    kind: 'SCHOOL',
    timezone: 'Europe/London',
    domain: 'staldric.ac.uk',
    departments: [dept('meded', 'Medical Education', null), dept('clinskills', 'Simulation and Clinical Skills', null)],
  },
  {
    key: 'lakeshore-fom',
    name: 'Lakeshore University Faculty of Medicine',
    kind: 'SCHOOL',
    timezone: 'America/Toronto',
    domain: 'medicine.lakeshoreu.ca',
    departments: [
      dept('meded', 'Undergraduate Medical Education', null),
      dept('familymed', 'Family and Community Medicine', 'FAMILY_MEDICINE'),
    ],
  },
];

export const DEMO_HOSPITALS: DemoInstitution[] = [
  {
    key: 'northbridge-general',
    name: 'Northbridge General Hospital',
    kind: 'HOSPITAL',
    timezone: 'America/Chicago',
    domain: 'nbgh.org',
    departments: [
      dept('im', 'Internal Medicine', 'INTERNAL_MEDICINE'),
      dept('surgery', 'General Surgery', 'SURGERY'),
      dept('ed', 'Emergency Department', 'EMERGENCY_MEDICINE'),
      dept('cardio', 'Cardiology', 'CARDIOLOGY'),
      dept('neuro', 'Neurology', 'NEUROLOGY'),
      dept('icu', 'Medical Intensive Care Unit', 'ICU'),
      dept('radiology', 'Diagnostic Radiology', 'RADIOLOGY'),
    ],
  },
  {
    key: 'mercy-riverside',
    name: "Mercy Riverside Children's Hospital",
    kind: 'HOSPITAL',
    timezone: 'America/Chicago',
    domain: 'mercyriverside.org',
    departments: [
      dept('peds', 'General Pediatrics', 'PEDIATRICS'),
      dept('pedsurg', 'Pediatric Surgery', 'SURGERY'),
      dept('peded', 'Pediatric Emergency', 'EMERGENCY_MEDICINE'),
      dept('nicu', 'Neonatal Intensive Care Unit', 'ICU'),
      dept('pedid', 'Pediatric Infectious Diseases', 'INFECTIOUS_DISEASES'),
    ],
  },
  {
    key: 'st-aldric-infirmary',
    name: 'St Aldric Royal Infirmary',
    kind: 'HOSPITAL',
    timezone: 'Europe/London',
    domain: 'aldricinfirmary.nhs.uk',
    departments: [
      dept('acutemed', 'Acute Medicine', 'INTERNAL_MEDICINE'),
      dept('obgyn', 'Obstetrics and Gynaecology', 'OBSTETRICS_GYNECOLOGY'),
      dept('psych', 'Adult Psychiatry', 'PSYCHIATRY'),
      dept('ortho', 'Trauma and Orthopaedics', 'ORTHOPEDICS'),
      dept('onc', 'Clinical Oncology', 'ONCOLOGY'),
      dept('geri', 'Care of the Elderly', 'GERIATRICS'),
    ],
  },
  {
    key: 'lakeshore-regional',
    name: 'Lakeshore Regional Health Centre',
    kind: 'HOSPITAL',
    timezone: 'America/Toronto',
    domain: 'lakeshorehealth.ca',
    departments: [
      dept('fm', 'Family Medicine Teaching Unit', 'FAMILY_MEDICINE'),
      dept('im', 'General Internal Medicine', 'INTERNAL_MEDICINE'),
      dept('surgery', 'General Surgery', 'SURGERY'),
      dept('anes', 'Anesthesiology and Perioperative Care', 'ANESTHESIOLOGY'),
      dept('obgyn', 'Obstetrics and Gynecology', 'OBSTETRICS_GYNECOLOGY'),
      dept('ed', 'Emergency Medicine', 'EMERGENCY_MEDICINE'),
      dept('path', 'Laboratory Medicine and Pathology', 'PATHOLOGY'),
      dept('derm', 'Dermatology', 'DERMATOLOGY'),
      // The Department of Medicine's divisions that take students: internal medicine's
      // subspecialties (the vocabulary has no finer specialty), so the network has six
      // departments of internal medicine — enough for the anonymous peer benchmark's five peers.
      dept('resp', 'Respirology', 'INTERNAL_MEDICINE'),
      dept('gi', 'Gastroenterology and Hepatology', 'INTERNAL_MEDICINE'),
      dept('nephro', 'Nephrology', 'INTERNAL_MEDICINE'),
    ],
  },
];

export interface DemoAgreement {
  key: string;
  school: string;
  hospital: string;
  /** Department keys of the hospital; `*` for all of them. */
  departments: string[] | '*';
  startsOn: string;
  endsOn: string;
  /** What the seed leaves it as; every one goes through propose (and activate, end). */
  finalStatus: 'PROPOSED' | 'ACTIVE' | 'ENDED';
  endedOn?: string;
}

export const DEMO_AGREEMENTS: DemoAgreement[] = [
  // An earlier agreement that ran its course, then its successor for the same pair.
  {
    key: 'nb-ngh-2021',
    school: 'northbridge-som',
    hospital: 'northbridge-general',
    departments: ['im', 'surgery', 'ed'],
    startsOn: '2021-09-01',
    endsOn: '2024-08-31',
    finalStatus: 'ENDED',
    endedOn: '2024-08-31',
  },
  {
    key: 'nb-ngh-2024',
    school: 'northbridge-som',
    hospital: 'northbridge-general',
    departments: '*',
    startsOn: '2024-09-01',
    endsOn: '2029-08-31',
    finalStatus: 'ACTIVE',
  },
  {
    key: 'nb-mercy',
    school: 'northbridge-som',
    hospital: 'mercy-riverside',
    departments: ['peds', 'peded', 'nicu'],
    startsOn: '2024-09-01',
    endsOn: '2028-08-31',
    finalStatus: 'ACTIVE',
  },
  {
    key: 'sa-sari',
    school: 'st-aldric-mc',
    hospital: 'st-aldric-infirmary',
    departments: '*',
    startsOn: '2023-10-01',
    endsOn: '2028-09-30',
    finalStatus: 'ACTIVE',
  },
  {
    key: 'ls-lrhc',
    school: 'lakeshore-fom',
    hospital: 'lakeshore-regional',
    departments: '*',
    startsOn: '2024-07-01',
    endsOn: '2029-06-30',
    finalStatus: 'ACTIVE',
  },
  {
    key: 'ls-ngh',
    school: 'lakeshore-fom',
    hospital: 'northbridge-general',
    departments: ['cardio', 'neuro'],
    startsOn: '2025-01-01',
    endsOn: '2027-12-31',
    finalStatus: 'ACTIVE',
  },
  {
    key: 'nb-lrhc',
    school: 'northbridge-som',
    hospital: 'lakeshore-regional',
    departments: ['fm'],
    startsOn: '2026-09-01',
    endsOn: '2027-08-31',
    finalStatus: 'PROPOSED',
  },
];

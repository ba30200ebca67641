/**
 * Vocabulary values as strings: the curriculum's seed passes this data through its own
 * validation, which refuses any value its enums do not know.
 */
type DeliveryMode = string;
type Discipline = string;
type OrganSystem = string;
type TeachingMethod = string;

/**
 * The demo program of the first demo school: an integrated organ-system MD program with
 * DELIBERATE gaps, so that its curriculum map shows every kind of finding:
 *  - END-203 has no learning objective (MODULE_WITHOUT_OBJECTIVE);
 *  - the neuroanatomy dissection serves no objective (SESSION_WITHOUT_OBJECTIVE);
 *  - REN-201 lists biostatistics with 0 hours (DISCIPLINE_ZERO_HOURS);
 *  - the emergency medicine profile requires EPA 12 (general procedures), which no objective
 *    addresses (an uncovered competency).
 * Competencies are named "<framework key>/<code>" of the seeded library.
 */

export interface DemoObjective {
  key: string;
  statement: string;
  competencies: string[];
}

export interface DemoSession {
  title: string;
  method: TeachingMethod;
  delivery: DeliveryMode;
  durationMinutes: number;
  objectives: string[];
}

export interface DemoModule {
  code: string;
  title: string;
  organSystem: OrganSystem;
  year: number;
  disciplines: [Discipline, number][];
  prerequisites: string[];
  objectives: DemoObjective[];
  sessions: DemoSession[];
}

const EPA = (n: number) => `aamc-core-epas/EPA ${n}`;
const CANMEDS = (code: string) => `canmeds-roles/${code}`;
const NOTSS = (code: string) => `notss/${code}`;

export const DEMO_PROGRAM = {
  key: 'northbridge-md',
  title: 'Doctor of Medicine (integrated organ-system curriculum)',
  description:
    'Three pre-clerkship years of organ-system modules integrating basic, clinical and preventive disciplines, taught in a blended mix of methods.',
};

export const DEMO_MODULES: DemoModule[] = [
  {
    code: 'FND-101',
    title: 'Foundations of Medicine',
    organSystem: 'FOUNDATIONS',
    year: 1,
    disciplines: [
      ['BIOCHEMISTRY', 40],
      ['GENETICS', 12],
      ['HISTOLOGY', 16],
      ['ANATOMY', 20],
    ],
    prerequisites: [],
    objectives: [{ key: 'fnd-1', statement: 'Explain the molecular basis of common inherited disorders', competencies: [CANMEDS('ME1')] }],
    sessions: [
      {
        title: 'Cell and molecular biology lecture series',
        method: 'LECTURE',
        delivery: 'ONLINE',
        durationMinutes: 120,
        objectives: ['fnd-1'],
      },
      { title: 'PBL case: a child with cystic fibrosis', method: 'PBL', delivery: 'OFFLINE', durationMinutes: 120, objectives: ['fnd-1'] },
    ],
  },
  {
    code: 'CVS-102',
    title: 'Cardiovascular System',
    organSystem: 'CARDIOVASCULAR',
    year: 1,
    disciplines: [
      ['ANATOMY', 18],
      ['PHYSIOLOGY', 24],
      ['PHARMACOLOGY', 12],
      ['CARDIOLOGY', 16],
      ['PREVENTIVE_MEDICINE', 4],
    ],
    prerequisites: ['FND-101'],
    objectives: [
      {
        key: 'cvs-1',
        statement: 'Take a focused cardiovascular history and examine the heart and vessels',
        competencies: [EPA(1), CANMEDS('ME2')],
      },
      { key: 'cvs-2', statement: 'Interpret a 12-lead ECG in a patient with chest pain', competencies: [EPA(3)] },
    ],
    sessions: [
      { title: 'The cardiac cycle', method: 'LECTURE', delivery: 'OFFLINE', durationMinutes: 90, objectives: ['cvs-2'] },
      {
        title: 'TBL: chest pain in the emergency department',
        method: 'TBL',
        delivery: 'OFFLINE',
        durationMinutes: 120,
        objectives: ['cvs-2'],
      },
      {
        title: 'Cardiovascular examination at the bedside',
        method: 'BEDSIDE',
        delivery: 'OFFLINE',
        durationMinutes: 180,
        objectives: ['cvs-1'],
      },
      { title: 'ECG self-study module', method: 'SELF_STUDY', delivery: 'ONLINE', durationMinutes: 60, objectives: ['cvs-2'] },
    ],
  },
  {
    code: 'RES-103',
    title: 'Respiratory System',
    organSystem: 'RESPIRATORY',
    year: 1,
    disciplines: [
      ['ANATOMY', 12],
      ['PHYSIOLOGY', 18],
      ['PATHOLOGY', 10],
      ['PULMONOLOGY', 12],
      ['EPIDEMIOLOGY', 4],
    ],
    prerequisites: ['FND-101'],
    objectives: [
      { key: 'res-1', statement: 'Prioritize a differential diagnosis for acute breathlessness', competencies: [EPA(2)] },
      { key: 'res-2', statement: 'Explain inhaler technique and an asthma action plan to a patient', competencies: [CANMEDS('CM3')] },
    ],
    sessions: [
      { title: 'CBL: acute breathlessness', method: 'CBL', delivery: 'OFFLINE', durationMinutes: 120, objectives: ['res-1'] },
      { title: 'Flipped class: inhaler counselling', method: 'FLIPPED', delivery: 'ONLINE', durationMinutes: 60, objectives: ['res-2'] },
      { title: 'Spirometry laboratory', method: 'LAB', delivery: 'OFFLINE', durationMinutes: 90, objectives: ['res-1'] },
    ],
  },
  {
    code: 'REN-201',
    title: 'Renal and Urinary System',
    organSystem: 'RENAL_URINARY',
    year: 2,
    // Deliberate gap: biostatistics listed with 0 hours.
    disciplines: [
      ['PHYSIOLOGY', 16],
      ['PATHOLOGY', 10],
      ['PHARMACOLOGY', 8],
      ['NEPHROLOGY', 12],
      ['BIOSTATISTICS', 0],
    ],
    prerequisites: ['CVS-102'],
    objectives: [
      { key: 'ren-1', statement: 'Recommend and interpret tests of renal function', competencies: [EPA(3)] },
      { key: 'ren-2', statement: 'Prescribe safely for a patient with kidney disease', competencies: [EPA(4)] },
    ],
    sessions: [
      { title: 'Acid-base seminar', method: 'SEMINAR', delivery: 'OFFLINE', durationMinutes: 90, objectives: ['ren-1'] },
      {
        title: 'Prescribing in renal impairment (e-lecture)',
        method: 'LECTURE',
        delivery: 'ONLINE',
        durationMinutes: 60,
        objectives: ['ren-2'],
      },
    ],
  },
  {
    code: 'GI-202',
    title: 'Gastrointestinal System',
    organSystem: 'GASTROINTESTINAL',
    year: 2,
    disciplines: [
      ['ANATOMY', 12],
      ['BIOCHEMISTRY', 8],
      ['MICROBIOLOGY', 10],
      ['GASTROENTEROLOGY', 14],
      ['SURGERY', 6],
    ],
    prerequisites: ['FND-101'],
    objectives: [
      { key: 'gi-1', statement: 'Present a patient with acute abdominal pain to the team', competencies: [EPA(6)] },
      { key: 'gi-2', statement: 'Document an abdominal examination in the patient record', competencies: [EPA(5), CANMEDS('CM4')] },
    ],
    sessions: [
      { title: 'Simulation: the acute abdomen', method: 'SIMULATION', delivery: 'OFFLINE', durationMinutes: 120, objectives: ['gi-1'] },
      { title: 'Clinical documentation workshop', method: 'SEMINAR', delivery: 'ONLINE', durationMinutes: 60, objectives: ['gi-2'] },
    ],
  },
  {
    code: 'END-203',
    title: 'Endocrine System and Metabolism',
    organSystem: 'ENDOCRINE',
    year: 2,
    disciplines: [
      ['BIOCHEMISTRY', 10],
      ['PHYSIOLOGY', 12],
      ['ENDOCRINOLOGY', 12],
      ['PREVENTIVE_MEDICINE', 6],
    ],
    prerequisites: ['FND-101'],
    // Deliberate gap: no learning objective yet.
    objectives: [],
    sessions: [],
  },
  {
    code: 'NEU-301',
    title: 'Nervous System and Behaviour',
    organSystem: 'NERVOUS',
    year: 3,
    disciplines: [
      ['ANATOMY', 20],
      ['PHYSIOLOGY', 12],
      ['NEUROLOGY', 16],
      ['PSYCHIATRY', 10],
      ['PHARMACOLOGY', 8],
    ],
    prerequisites: ['FND-101'],
    objectives: [
      { key: 'neu-1', statement: 'Obtain informed consent for a lumbar puncture', competencies: [EPA(11), CANMEDS('PR1')] },
      { key: 'neu-2', statement: 'Perform and report a neurological examination', competencies: [EPA(1)] },
    ],
    sessions: [
      {
        title: 'Neurological examination at the bedside',
        method: 'BEDSIDE',
        delivery: 'OFFLINE',
        durationMinutes: 120,
        objectives: ['neu-2'],
      },
      {
        title: 'Consent conversation with a simulated patient',
        method: 'SIMULATION',
        delivery: 'OFFLINE',
        durationMinutes: 60,
        objectives: ['neu-1'],
      },
      // Deliberate gap: a session that serves no objective.
      { title: 'Neuroanatomy dissection', method: 'LAB', delivery: 'OFFLINE', durationMinutes: 180, objectives: [] },
    ],
  },
  {
    code: 'ACU-302',
    title: 'The Acutely Ill Patient',
    organSystem: 'MULTISYSTEM',
    year: 3,
    disciplines: [
      ['EMERGENCY_MEDICINE', 24],
      ['INTERNAL_MEDICINE', 12],
      ['CLINICAL_SKILLS', 16],
      ['PHARMACOLOGY', 6],
    ],
    prerequisites: ['CVS-102', 'RES-103'],
    objectives: [
      {
        key: 'acu-1',
        statement: 'Recognize the deteriorating patient and call for help early',
        competencies: [EPA(10), NOTSS('SA.1'), NOTSS('SA.2')],
      },
      {
        key: 'acu-2',
        statement: 'Lead a resuscitation team through a cardiac arrest',
        competencies: [NOTSS('L.1'), NOTSS('CT.3'), EPA(9)],
      },
      { key: 'acu-3', statement: 'Hand over a critically ill patient to the intensive care team', competencies: [EPA(8), NOTSS('CT.1')] },
      { key: 'acu-4', statement: 'Choose and communicate a management option under time pressure', competencies: [NOTSS('DM.2')] },
    ],
    sessions: [
      {
        title: 'High-fidelity simulation: the deteriorating patient',
        method: 'SIMULATION',
        delivery: 'OFFLINE',
        durationMinutes: 180,
        objectives: ['acu-1', 'acu-2', 'acu-4'],
      },
      { title: 'Structured handover practice (TBL)', method: 'TBL', delivery: 'OFFLINE', durationMinutes: 90, objectives: ['acu-3'] },
      { title: 'Recognising sepsis (e-learning)', method: 'SELF_STUDY', delivery: 'ONLINE', durationMinutes: 45, objectives: ['acu-1'] },
    ],
  },
];

export const DEMO_TRACKS = [
  {
    key: 'clinical',
    kind: 'CLINICAL_PRACTICE' as const,
    title: 'Clinical practice with mentorship',
    specialty: null,
    description: 'Early, supervised clinical exposure with a personal mentor.',
  },
  {
    key: 'research',
    kind: 'RESEARCH' as const,
    title: 'Clinician scientist',
    specialty: null,
    description: 'Research methods, biostatistics, trial design and paper writing.',
  },
  {
    key: 'em',
    kind: 'SPECIALTY' as const,
    title: 'Emergency medicine pathway',
    specialty: 'EMERGENCY_MEDICINE' as const,
    description: 'Electives and rotations towards emergency medicine.',
  },
];

/** The post profile the demo map is checked against; EPA 12 is the deliberate uncovered requirement. */
export const DEMO_POST_PROFILE = {
  key: 'em-resident-y1',
  title: 'Emergency medicine resident, year 1',
  specialty: 'EMERGENCY_MEDICINE' as const,
  description:
    'First-year resident in an emergency department: assesses undifferentiated patients, manages the acutely ill under supervision, hands over safely.',
  scale: { name: 'Entrustment (1 observe only … 5 supervise others)', min: 1, max: 5 },
  requirements: [
    [EPA(1), 4],
    [EPA(2), 4],
    [EPA(4), 3],
    [EPA(8), 4],
    [EPA(10), 4],
    [EPA(12), 3],
    [NOTSS('SA'), 4],
    [NOTSS('DM'), 3],
    [NOTSS('CT'), 4],
    [CANMEDS('CM'), 3],
  ] as [string, number][],
};

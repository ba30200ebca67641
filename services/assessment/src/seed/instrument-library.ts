import { libraryId, seedId } from '@medcollab/demo-world';
import { type AssessmentPurpose, type InstrumentKind } from '../domain/model';
import { CHEN_LABELS, type InstrumentItemDef, type ItemScale, NOTSS_SCALE, O_SCORE_LABELS, type ScaleLabel } from '../domain/scales';

/**
 * The instrument library every MedCollab network starts with (inserted by a migration, so the
 * default end-of-placement instrument always exists). Items map to the competencies of the
 * curriculum's seeded library by their stable ids (curriculum seed/library: CanMEDS roles, AAMC
 * Core EPAs, NOTSS), computed here without a database.
 */
export interface LibraryInstrument {
  key: string;
  kind: InstrumentKind;
  title: string;
  purpose: AssessmentPurpose;
  description: string;
  items: InstrumentItemDef[];
}

export const libraryInstrumentId = (key: string): string => seedId('medcollab-assessment-library', `instrument:${key}`);

const EPA = (n: number) => libraryId(`competency:aamc-core-epas/EPA ${n}`);
const CANMEDS = (code: string) => libraryId(`competency:canmeds-roles/${code}`);
const NOTSS = (code: string) => libraryId(`competency:notss/${code}`);

const likert = (min: number, max: number, labels: ScaleLabel[], allowsNotApplicable = false): ItemScale => ({
  type: 'LIKERT',
  min,
  max,
  labels,
  entrustmentMode: null,
  allowsNotApplicable,
});
const CHECKLIST: ItemScale = { type: 'CHECKLIST', min: null, max: null, labels: [], entrustmentMode: null, allowsNotApplicable: false };
const NARRATIVE: ItemScale = { type: 'NARRATIVE', min: null, max: null, labels: [], entrustmentMode: null, allowsNotApplicable: false };

const MINI_CEX_LABELS: ScaleLabel[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((value) => ({
  value,
  label: value <= 3 ? `${value} Unsatisfactory` : value <= 6 ? `${value} Satisfactory` : `${value} Superior`,
}));
const AGREEMENT: ScaleLabel[] = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'].map((label, i) => ({
  value: i + 1,
  label,
}));
const PERFORMANCE: ScaleLabel[] = [
  'Well below expectations',
  'Below expectations',
  'Meets expectations',
  'Above expectations',
  'Well above expectations',
].map((label, i) => ({ value: i + 1, label }));

const item = (
  key: string,
  label: string,
  scale: ItemScale,
  competencyIds: string[],
  opts: { required?: boolean; category?: string } = {},
): InstrumentItemDef => ({
  key,
  label,
  category: opts.category ?? null,
  required: opts.required ?? true,
  scale,
  competencyIds,
});
const comments = (key: string, label: string) => item(key, label, NARRATIVE, [], { required: false });

const NINE = likert(1, 9, MINI_CEX_LABELS, true);
const FIVE = likert(1, 5, PERFORMANCE);
const FIVE_NA = likert(1, 5, PERFORMANCE, true);
const AGREE = likert(1, 5, AGREEMENT);

const NOTSS_ELEMENTS: [string, string, string][] = [
  ['SA.1', 'Gathering information', 'Situation awareness'],
  ['SA.2', 'Understanding information', 'Situation awareness'],
  ['SA.3', 'Projecting and anticipating future state', 'Situation awareness'],
  ['DM.1', 'Considering options', 'Decision making'],
  ['DM.2', 'Selecting and communicating an option', 'Decision making'],
  ['DM.3', 'Implementing and reviewing decisions', 'Decision making'],
  ['CT.1', 'Exchanging information', 'Communication and teamwork'],
  ['CT.2', 'Establishing a shared understanding', 'Communication and teamwork'],
  ['CT.3', 'Co-ordinating team activities', 'Communication and teamwork'],
  ['L.1', 'Setting and maintaining standards', 'Leadership'],
  ['L.2', 'Supporting others', 'Leadership'],
  ['L.3', 'Coping with pressure', 'Leadership'],
];

const EPA_TITLES = [
  'Gather a history and perform a physical examination',
  'Prioritize a differential diagnosis following a clinical encounter',
  'Recommend and interpret common diagnostic and screening tests',
  'Enter and discuss orders and prescriptions',
  'Document a clinical encounter in the patient record',
  'Provide an oral presentation of a clinical encounter',
  'Form clinical questions and retrieve evidence to advance patient care',
  'Give or receive a patient handover to transition care responsibility',
  'Collaborate as a member of an interprofessional team',
  'Recognize a patient requiring urgent or emergent care and initiate evaluation and management',
  'Obtain informed consent for tests and/or procedures',
  'Perform general procedures of a physician',
  'Identify system failures and contribute to a culture of safety and improvement',
];
const PROSPECTIVE: ItemScale = {
  type: 'ENTRUSTMENT',
  min: 1,
  max: 5,
  labels: CHEN_LABELS,
  entrustmentMode: 'PROSPECTIVE',
  allowsNotApplicable: true,
};
const O_SCORE: ItemScale = {
  type: 'ENTRUSTMENT',
  min: 1,
  max: 5,
  labels: O_SCORE_LABELS,
  entrustmentMode: 'RETROSPECTIVE',
  allowsNotApplicable: false,
};

export const INSTRUMENT_LIBRARY: readonly LibraryInstrument[] = [
  {
    key: 'mini-cex',
    kind: 'MINI_CEX',
    title: 'Mini-CEX (end of placement)',
    purpose: 'SUMMATIVE',
    description:
      'Mini clinical evaluation exercise: an observed encounter rated 1–9 on seven domains; the default end-of-placement assessment.',
    items: [
      item('history', 'Medical interviewing (history taking)', NINE, [EPA(1), CANMEDS('CM2')]),
      item('examination', 'Physical examination', NINE, [EPA(1)]),
      item('professionalism', 'Professionalism and humanistic qualities', NINE, [CANMEDS('PR1')]),
      item('judgement', 'Clinical judgement', NINE, [EPA(2), CANMEDS('ME2')]),
      item('communication', 'Counselling and communication', NINE, [CANMEDS('CM3')]),
      item('organisation', 'Organisation and efficiency', NINE, [CANMEDS('ME4')]),
      item('overall', 'Overall clinical competence', likert(1, 9, MINI_CEX_LABELS), [CANMEDS('ME2')]),
      comments('strengths', 'What went especially well'),
      comments('development', 'Suggestions for development'),
    ],
  },
  {
    key: 'dops',
    kind: 'DOPS',
    title: 'DOPS (direct observation of a procedural skill)',
    purpose: 'FORMATIVE',
    description:
      'A procedure observed step by step (done / not done), with the O-SCORE entrustment rating of how much the assessor had to do.',
    items: [
      item('indications', 'Understands indications, relevant anatomy and technique', CHECKLIST, [EPA(12)]),
      item('consent', 'Obtains informed consent', CHECKLIST, [EPA(11)]),
      item('preparation', 'Prepares appropriately before the procedure', CHECKLIST, [EPA(12)]),
      item('asepsis', 'Maintains aseptic technique', CHECKLIST, [EPA(12)]),
      item('technique', 'Performs the procedure with technical ability', CHECKLIST, [EPA(12), CANMEDS('ME3')]),
      item('aftercare', 'Manages the patient after the procedure', CHECKLIST, [EPA(12)]),
      item('rapport', 'Communicates with the patient throughout', CHECKLIST, [CANMEDS('CM1')]),
      item('o-score', 'How much did you need to do? (O-SCORE)', O_SCORE, [EPA(12)]),
      comments('feedback', 'Feedback on the procedure'),
    ],
  },
  {
    key: 'osce-station',
    kind: 'OSCE_STATION',
    title: 'OSCE station: focused history and examination',
    purpose: 'SUMMATIVE',
    description: "An objective structured clinical examination station: the examiner's checklist and a global rating.",
    items: [
      item('introduces', 'Introduces self and confirms the patient’s identity', CHECKLIST, [CANMEDS('CM1')]),
      item('history', 'Takes a focused history', CHECKLIST, [EPA(1)]),
      item('examination', 'Performs a focused examination', CHECKLIST, [EPA(1)]),
      item('differential', 'States a reasonable differential diagnosis', CHECKLIST, [EPA(2)]),
      item('plan', 'Explains the plan to the patient', CHECKLIST, [CANMEDS('CM3')]),
      item('global', "Examiner's global rating", FIVE, [EPA(1)]),
    ],
  },
  {
    key: 'case-analysis',
    kind: 'CASE_ANALYSIS',
    title: 'Case analysis (case-based discussion)',
    purpose: 'FORMATIVE',
    description: 'A case the student managed, discussed and rated on the reasoning behind it.',
    items: [
      item('problems', 'Identifies the clinical problems', FIVE, [EPA(2)]),
      item('evidence', 'Uses evidence to answer clinical questions', FIVE, [EPA(7), CANMEDS('SC3')]),
      item('plan', 'Proposes a safe management plan', FIVE, [CANMEDS('ME4')]),
      item('write-up', 'Written case presentation', FIVE, [EPA(5), CANMEDS('CM4')]),
      comments('reflection', 'Points for reflection'),
    ],
  },
  {
    key: 'msf',
    kind: 'MULTISOURCE_FEEDBACK',
    title: 'Multisource feedback (360°)',
    purpose: 'FORMATIVE',
    description: 'Colleagues of every profession rate the student’s conduct in the team; anything not observed is N/A.',
    items: [
      item('patients', 'Communicates with patients and families', FIVE_NA, [CANMEDS('CM1')]),
      item('teamwork', 'Works effectively in the interprofessional team', FIVE_NA, [EPA(9), CANMEDS('CL1')]),
      item('reliability', 'Is reliable and accountable', FIVE_NA, [CANMEDS('PR3')]),
      item('respect', 'Acts respectfully and ethically', FIVE_NA, [CANMEDS('PR1')]),
      item('leadership', 'Takes responsibility appropriate to their level', FIVE_NA, [CANMEDS('LD3')]),
      comments('comments', 'Comments'),
    ],
  },
  {
    key: 'notss',
    kind: 'NOTSS',
    title: 'NOTSS non-technical skills rating',
    purpose: 'FORMATIVE',
    description: 'Non-Technical Skills for Surgeons: twelve elements in four categories, each rated 1 (poor) to 4 (good) or N/A.',
    items: [
      ...NOTSS_ELEMENTS.map(([code, label, category]) => item(code, label, NOTSS_SCALE, [NOTSS(code)], { category })),
      comments('comments', 'Observed behaviours and feedback'),
    ],
  },
  {
    key: 'epa-entrustment',
    kind: 'EPA_ENTRUSTMENT',
    title: 'EPA entrustment decision (AAMC Core EPAs)',
    purpose: 'SUMMATIVE',
    description: 'For each Core EPA observed: the level of supervision the student may practise it with from now on (Chen et al.), or N/A.',
    items: [
      ...EPA_TITLES.map((title, i) => item(`epa-${i + 1}`, `EPA ${i + 1}: ${title}`, PROSPECTIVE, [EPA(i + 1)])),
      comments('rationale', 'Rationale for the decisions'),
    ],
  },
  {
    key: 'site-evaluation',
    kind: 'SITE_EVALUATION',
    title: 'Clinical site evaluation by students',
    purpose: 'FORMATIVE',
    description: 'Students rate the department they were placed in. Released only as aggregates of at least k students.',
    items: [
      item('orientation', 'I was oriented to the department and to my role', AGREE, []),
      item('supervision', 'Supervision was available when I needed it', AGREE, []),
      item('opportunities', 'I had enough hands-on learning opportunities', AGREE, []),
      item('climate', 'The team made me feel safe to ask questions', AGREE, []),
      item('overall', 'Overall, I would recommend this placement', AGREE, []),
      comments('comments', 'Comments for the department'),
    ],
  },
  {
    key: 'teacher-evaluation',
    kind: 'TEACHER_EVALUATION',
    title: 'Clinical teacher evaluation by students',
    purpose: 'FORMATIVE',
    description: 'Students rate their supervising teacher. Released only as aggregates of at least k students across two blocks.',
    items: [
      item('explains', 'Explained concepts clearly', AGREE, []),
      item('feedback', 'Gave me useful feedback on my performance', AGREE, []),
      item('observes', 'Observed me with patients', AGREE, []),
      item('role-model', 'Was a good role model', AGREE, []),
      item('respect', 'Treated learners with respect', AGREE, []),
      item('overall', 'Overall, an effective clinical teacher', AGREE, []),
      comments('comments', 'Comments for the teacher'),
    ],
  },
];

/** Library instruments by kind (each kind has one). */
export const libraryInstrumentOf = (kind: InstrumentKind): LibraryInstrument =>
  INSTRUMENT_LIBRARY.find((i) => i.kind === kind) as LibraryInstrument;

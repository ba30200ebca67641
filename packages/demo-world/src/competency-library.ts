import { libraryId } from './seed-ids';
type CompetencyDomain = 'TECHNICAL' | 'NON_TECHNICAL';

/**
 * The competency library every MedCollab network starts with. Titles paraphrase the public
 * frameworks they come from; codes follow each framework's own numbering.
 */
export interface LibraryCompetency {
  code: string;
  title: string;
  domain: CompetencyDomain;
  category: string;
  parentCode?: string;
}

export interface LibraryFramework {
  key: string;
  name: string;
  version: string;
  description: string;
  competencies: LibraryCompetency[];
}

const T: CompetencyDomain = 'TECHNICAL';
const N: CompetencyDomain = 'NON_TECHNICAL';
const c = (code: string, title: string, domain: CompetencyDomain, category: string, parentCode?: string): LibraryCompetency => ({
  code,
  title,
  domain,
  category,
  parentCode,
});

/** A CanMEDS-style roles framework: seven physician roles, each with its key competencies. */
const CANMEDS: LibraryFramework = {
  key: 'canmeds-roles',
  name: 'CanMEDS physician roles',
  version: '2015',
  description: 'Seven roles of the physician (after the Royal College CanMEDS 2015 framework), each with a few key competencies.',
  competencies: [
    c('ME', 'Medical Expert', T, 'medical knowledge'),
    c('ME1', 'Practise medicine within their scope of practice and expertise', T, 'medical knowledge', 'ME'),
    c('ME2', 'Perform a patient-centred clinical assessment and establish a management plan', T, 'patient care', 'ME'),
    c('ME3', 'Plan and perform procedures and therapies for assessment and management', T, 'procedural skills', 'ME'),
    c('ME4', 'Establish plans for ongoing care and timely consultation', T, 'patient care', 'ME'),
    c('ME5', 'Contribute to continuous improvement of quality of care and patient safety', T, 'patient care', 'ME'),
    c('CM', 'Communicator', N, 'communication'),
    c('CM1', 'Establish professional therapeutic relationships with patients and their families', N, 'communication', 'CM'),
    c('CM2', 'Elicit and synthesize accurate and relevant information from patients and families', N, 'communication', 'CM'),
    c('CM3', 'Share health care information and plans with patients and their families', N, 'communication', 'CM'),
    c('CM4', 'Document and share written and electronic information about the encounter', N, 'communication', 'CM'),
    c('CL', 'Collaborator', N, 'teamwork'),
    c('CL1', 'Work effectively with physicians and other health care professionals', N, 'teamwork', 'CL'),
    c('CL2', 'Promote understanding, manage differences and resolve conflicts in the team', N, 'teamwork', 'CL'),
    c('CL3', 'Hand over the care of a patient safely to another health care professional', N, 'teamwork', 'CL'),
    c('LD', 'Leader', N, 'leadership'),
    c('LD1', 'Contribute to the improvement of health care delivery in teams and systems', N, 'leadership', 'LD'),
    c('LD2', 'Engage in the stewardship of health care resources', N, 'leadership', 'LD'),
    c('LD3', 'Demonstrate leadership in professional practice', N, 'leadership', 'LD'),
    c('HA', 'Health Advocate', N, 'prevention'),
    c('HA1', "Respond to an individual patient's health needs by advocating with the patient", N, 'prevention', 'HA'),
    c('HA2', 'Respond to the needs of communities and populations by advocating with them', N, 'prevention', 'HA'),
    c('SC', 'Scholar', T, 'research'),
    c('SC1', 'Engage in continuous learning', T, 'research', 'SC'),
    c('SC2', 'Teach students, colleagues and the public', T, 'research', 'SC'),
    c('SC3', 'Integrate the best available evidence into practice', T, 'research', 'SC'),
    c('SC4', 'Contribute to the creation and dissemination of knowledge', T, 'research', 'SC'),
    c('PR', 'Professional', N, 'professionalism'),
    c('PR1', 'Demonstrate a commitment to patients through high ethical standards', N, 'ethics', 'PR'),
    c('PR2', 'Demonstrate a commitment to society by meeting its expectations of physicians', N, 'professionalism', 'PR'),
    c('PR3', 'Demonstrate a commitment to the profession through its standards and self-regulation', N, 'professionalism', 'PR'),
    c('PR4', 'Demonstrate a commitment to physician health and well-being', N, 'professionalism', 'PR'),
  ],
};

/** The 13 Core Entrustable Professional Activities for Entering Residency (AAMC). */
const CORE_EPAS: LibraryFramework = {
  key: 'aamc-core-epas',
  name: 'AAMC Core EPAs for Entering Residency',
  version: '2014',
  description: 'The thirteen activities every graduate should be entrusted to perform without direct supervision on day one of residency.',
  competencies: [
    c('EPA 1', 'Gather a history and perform a physical examination', T, 'patient care'),
    c('EPA 2', 'Prioritize a differential diagnosis following a clinical encounter', T, 'medical knowledge'),
    c('EPA 3', 'Recommend and interpret common diagnostic and screening tests', T, 'medical knowledge'),
    c('EPA 4', 'Enter and discuss orders and prescriptions', T, 'patient care'),
    c('EPA 5', 'Document a clinical encounter in the patient record', N, 'communication'),
    c('EPA 6', 'Provide an oral presentation of a clinical encounter', N, 'communication'),
    c('EPA 7', 'Form clinical questions and retrieve evidence to advance patient care', T, 'practice-based learning'),
    c('EPA 8', 'Give or receive a patient handover to transition care responsibility', N, 'communication'),
    c('EPA 9', 'Collaborate as a member of an interprofessional team', N, 'teamwork'),
    c('EPA 10', 'Recognize a patient requiring urgent or emergent care and initiate evaluation and management', T, 'patient care'),
    c('EPA 11', 'Obtain informed consent for tests and/or procedures', N, 'communication'),
    c('EPA 12', 'Perform general procedures of a physician', T, 'procedural skills'),
    c('EPA 13', 'Identify system failures and contribute to a culture of safety and improvement', N, 'systems-based practice'),
  ],
};

/** Non-Technical Skills for Surgeons: four categories of three elements each, all non-technical. */
const NOTSS: LibraryFramework = {
  key: 'notss',
  name: 'NOTSS: Non-Technical Skills for Surgeons',
  version: '1.2',
  description:
    'Behavioural marker system for the non-technical skills of surgeons in the operating theatre: four categories of three elements.',
  competencies: [
    c('SA', 'Situation awareness', N, 'situation awareness'),
    c('SA.1', 'Gathering information', N, 'situation awareness', 'SA'),
    c('SA.2', 'Understanding information', N, 'situation awareness', 'SA'),
    c('SA.3', 'Projecting and anticipating future state', N, 'situation awareness', 'SA'),
    c('DM', 'Decision making', N, 'decision making'),
    c('DM.1', 'Considering options', N, 'decision making', 'DM'),
    c('DM.2', 'Selecting and communicating an option', N, 'decision making', 'DM'),
    c('DM.3', 'Implementing and reviewing decisions', N, 'decision making', 'DM'),
    c('CT', 'Communication and teamwork', N, 'teamwork'),
    c('CT.1', 'Exchanging information', N, 'communication', 'CT'),
    c('CT.2', 'Establishing a shared understanding', N, 'teamwork', 'CT'),
    c('CT.3', 'Co-ordinating team activities', N, 'teamwork', 'CT'),
    c('L', 'Leadership', N, 'leadership'),
    c('L.1', 'Setting and maintaining standards', N, 'leadership', 'L'),
    c('L.2', 'Supporting others', N, 'leadership', 'L'),
    c('L.3', 'Coping with pressure', N, 'leadership', 'L'),
  ],
};

export const LIBRARY: readonly LibraryFramework[] = [CANMEDS, CORE_EPAS, NOTSS];

/** The ids of one seeded framework: the framework's and its competencies' by code. */
export interface SeededFramework {
  id: string;
  name: string;
  version: string;
  competencyIds: Record<string, string>;
}

/** Stable ids of the library, known without a database (other services may name them). */
export function libraryIds(framework: LibraryFramework): SeededFramework {
  return {
    id: libraryId(`framework:${framework.key}`),
    name: framework.name,
    version: framework.version,
    competencyIds: Object.fromEntries(framework.competencies.map((c) => [c.code, libraryId(`competency:${framework.key}/${c.code}`)])),
  };
}

/** A library competency's stable id by its framework's key and its code (e.g. `aamc-core-epas`, `EPA 1`). */
export const libraryCompetencyId = (frameworkKey: string, code: string): string => libraryId(`competency:${frameworkKey}/${code}`);

import { type DeliveryMode, type TeachingMethod } from './model';
import { el, renderXml, type XmlElement } from './xml';

/**
 * A program as an AAMC Curriculum Inventory document (MedBiquitous Curriculum Inventory v1):
 * sessions are Events, modules are SequenceBlocks at the academic level of their year, the
 * competencies and learning objectives are CompetencyObjects in Expectations, related in a
 * CompetencyFramework (parent → child competency, competency → objective: skos:narrower). Pure.
 */

export const CI_NAMESPACES = {
  xmlns: 'http://ns.medbiq.org/curriculuminventory/v1/',
  'xmlns:lom': 'http://ltsc.ieee.org/xsd/LOM',
  'xmlns:a': 'http://ns.medbiq.org/address/v1/',
  'xmlns:cf': 'http://ns.medbiq.org/competencyframework/v1/',
  'xmlns:co': 'http://ns.medbiq.org/competencyobject/v1/',
  'xmlns:hx': 'http://ns.medbiq.org/lom/extend/v1/',
  'xmlns:m': 'http://ns.medbiq.org/member/v1/',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  'xsi:schemaLocation': 'http://ns.medbiq.org/curriculuminventory/v1/ curriculuminventory.xsd',
};

/**
 * AAMC Standardized Instructional Methods (Curriculum Inventory vocabulary). Flipped classes
 * and seminars are small-group discussion; self-study is self-directed learning; bedside
 * teaching is inpatient clinical experience.
 */
export const INSTRUCTIONAL_METHOD_CODES: Record<TeachingMethod, string> = {
  CBL: 'IM001',
  SEMINAR: 'IM008',
  FLIPPED: 'IM008',
  SELF_STUDY: 'IM023',
  LAB: 'IM012',
  LECTURE: 'IM013',
  PBL: 'IM019',
  SIMULATION: 'IM025',
  TBL: 'IM026',
  BEDSIDE: 'IM003',
};

export interface InventorySource {
  program: { id: string; title: string; description: string | null; schoolId: string };
  institutionName: string;
  reportDate: string;
  reportingStartDate: string;
  reportingEndDate: string;
  modules: readonly { id: string; code: string; title: string; year: number; prerequisiteIds: readonly string[]; totalHours: number }[];
  objectives: readonly { id: string; moduleId: string; statement: string; competencyIds: readonly string[] }[];
  sessions: readonly {
    id: string;
    moduleId: string;
    title: string;
    method: TeachingMethod;
    delivery: DeliveryMode;
    startsAt: Date | null;
    durationMinutes: number;
    objectiveIds: readonly string[];
  }[];
  /** Every competency the objectives map to, with their ancestors. */
  competencies: readonly { id: string; code: string; title: string; parentId: string | null }[];
}

export const competencyUri = (id: string) => `urn:medcollab:competency:${id}`;
export const objectiveUri = (id: string) => `urn:medcollab:objective:${id}`;
export const eventId = (sessionId: string) => `E${sessionId}`;
export const blockId = (moduleId: string) => `B${moduleId}`;

const NARROWER = 'http://www.w3.org/2004/02/skos/core#narrower';
const coRef = (uri: string) =>
  el(
    'CompetencyObjectReference',
    {},
    `/CurriculumInventory/Expectations/CompetencyObject[lom:lom/lom:general/lom:identifier/lom:entry='${uri}']`,
  );
const lomGeneral = (uri: string, title: string) =>
  el(
    'lom:lom',
    {},
    el(
      'lom:general',
      {},
      el('lom:identifier', {}, el('lom:catalog', {}, 'URI'), el('lom:entry', {}, uri)),
      el('lom:title', {}, el('lom:string', {}, title)),
    ),
  );
const competencyObject = (uri: string, title: string, category: string) =>
  el('CompetencyObject', {}, lomGeneral(uri, title), el('co:Category', { term: category }));
const cfRef = (name: string, uri: string) => el(name, {}, el('cf:Catalog', {}, 'URI'), el('cf:Entry', {}, uri));

/** Whole days a module spans when none of its sessions is scheduled: six teaching hours a day. */
const HOURS_PER_DAY = 6;

/**
 * Why the program cannot be reported yet, or null. The standard needs at least one Event and one
 * CompetencyObject; a document without them would fail the schema, so the export refuses instead.
 */
export function inventoryGap(src: {
  program: { title: string };
  sessions: readonly unknown[];
  objectives: readonly unknown[];
}): string | null {
  if (!src.sessions.length)
    return `Program "${src.program.title}" has no teaching sessions yet: the Curriculum Inventory reports teaching events, so add sessions first`;
  if (!src.objectives.length)
    return `Program "${src.program.title}" has no learning objectives yet: the Curriculum Inventory needs at least one expectation, so add objectives first`;
  return null;
}

/**
 * The document. Modules without sessions are not written as SequenceBlocks: the schema requires
 * every block to hold at least one event (or a nested block), and inventing a placeholder event
 * would report teaching that was never planned. They are named in the Sequence's Description.
 * Callers check `inventoryGap` first; this throws if they did not.
 */
export function buildCurriculumInventory(src: InventorySource): string {
  const gap = inventoryGap(src);
  if (gap) throw new Error(gap);
  const { program } = src;
  const sessionsByModule = new Map<string, InventorySource['sessions'][number][]>();
  for (const s of src.sessions) sessionsByModule.set(s.moduleId, [...(sessionsByModule.get(s.moduleId) ?? []), s]);
  const objectivesByModule = new Map<string, InventorySource['objectives'][number][]>();
  for (const o of src.objectives) objectivesByModule.set(o.moduleId, [...(objectivesByModule.get(o.moduleId) ?? []), o]);
  const moduleCode = new Map(src.modules.map((m) => [m.id, m.code]));

  const events = el(
    'Events',
    {},
    src.sessions.map((s) =>
      el(
        'Event',
        { id: eventId(s.id) },
        el('Title', {}, s.title),
        el('EventDuration', {}, `PT${s.durationMinutes}M`),
        el('Description', {}, `${moduleCode.get(s.moduleId) ?? ''}: delivered ${s.delivery === 'ONLINE' ? 'online' : 'in person'}`),
        s.objectiveIds.map((id) => coRef(objectiveUri(id))),
        el('InstructionalMethod', { primary: 'true' }, INSTRUCTIONAL_METHOD_CODES[s.method]),
      ),
    ),
  );

  const relations: XmlElement[] = [];
  for (const c of src.competencies) {
    if (c.parentId)
      relations.push(
        el(
          'cf:Relation',
          {},
          cfRef('cf:Reference1', competencyUri(c.parentId)),
          el('cf:Relationship', {}, NARROWER),
          cfRef('cf:Reference2', competencyUri(c.id)),
        ),
      );
  }
  for (const o of src.objectives) {
    for (const id of o.competencyIds)
      relations.push(
        el(
          'cf:Relation',
          {},
          cfRef('cf:Reference1', competencyUri(id)),
          el('cf:Relationship', {}, NARROWER),
          cfRef('cf:Reference2', objectiveUri(o.id)),
        ),
      );
  }
  const expectations = el(
    'Expectations',
    {},
    src.competencies.map((c) => competencyObject(competencyUri(c.id), `${c.code} ${c.title}`, 'program-level-competency')),
    src.objectives.map((o) => competencyObject(objectiveUri(o.id), o.statement, 'sequence-block-level-competency')),
    el(
      'CompetencyFramework',
      {},
      lomGeneral(`urn:medcollab:competency-framework:${program.id}`, `Competency framework of ${program.title}`),
      src.competencies.map((c) => cfRef('cf:Includes', competencyUri(c.id))),
      src.objectives.map((o) => cfRef('cf:Includes', objectiveUri(o.id))),
      relations,
    ),
  );

  const years = [...new Set(src.modules.map((m) => m.year))].sort((a, b) => a - b);
  const levels = el(
    'AcademicLevels',
    {},
    el('LevelsInProgram', {}, String(Math.max(1, ...years))),
    years.map((y) => el('Level', { number: y }, el('Label', {}, `Year ${y}`))),
  );

  const reported = src.modules.filter((m) => sessionsByModule.has(m.id));
  const unscheduled = src.modules.filter((m) => !sessionsByModule.has(m.id));
  const sequence = el(
    'Sequence',
    {},
    unscheduled.length
      ? el(
          'Description',
          {},
          `Modules without teaching sessions yet, not reported as sequence blocks: ${unscheduled.map((m) => `${m.code} ${m.title}`).join('; ')}`,
        )
      : null,
    reported.map((m) => {
      const sessions = sessionsByModule.get(m.id) ?? [];
      const dated = sessions
        .map((s) => s.startsAt)
        .filter((d): d is Date => d !== null)
        .map((d) => d.toISOString().slice(0, 10))
        .sort();
      const timing = dated.length
        ? el('Timing', {}, el('Dates', {}, el('StartDate', {}, dated[0] as string), el('EndDate', {}, dated.at(-1) as string)))
        : el('Timing', {}, el('Duration', {}, `P${Math.max(1, Math.ceil(m.totalHours / HOURS_PER_DAY))}D`));
      const prerequisites = m.prerequisiteIds.map((id) => moduleCode.get(id) ?? id);
      return el(
        'SequenceBlock',
        { id: blockId(m.id), required: 'Required', track: 'false' },
        el('Title', {}, `${m.code} ${m.title}`),
        timing,
        el('Level', {}, `/CurriculumInventory/AcademicLevels/Level[@number='${m.year}']`),
        (objectivesByModule.get(m.id) ?? []).map((o) => coRef(objectiveUri(o.id))),
        prerequisites.length ? el('Precondition', {}, `Requires ${prerequisites.join(', ')}`) : null,
        sessions.map((s) =>
          el(
            'SequenceBlockEvent',
            { required: 'true' },
            el('EventReference', {}, `/CurriculumInventory/Events/Event[@id='${eventId(s.id)}']`),
          ),
        ),
      );
    }),
  );

  const root = el(
    'CurriculumInventory',
    CI_NAMESPACES,
    el('ReportID', { domain: 'idd:medcollab:cireport' }, `${program.id}:${src.reportDate}`),
    el(
      'Institution',
      {},
      el('m:InstitutionName', {}, src.institutionName),
      el('m:InstitutionID', { domain: 'idd:medcollab:institution' }, program.schoolId),
    ),
    el('Program', {}, el('ProgramName', {}, program.title), el('ProgramID', { domain: 'idd:medcollab:program' }, program.id)),
    el('Title', {}, `Curriculum Inventory: ${program.title}`),
    el('ReportDate', {}, src.reportDate),
    el('ReportingStartDate', {}, src.reportingStartDate),
    el('ReportingEndDate', {}, src.reportingEndDate),
    el('Language', {}, 'en-US'),
    el('Description', {}, program.description ?? program.title),
    events,
    expectations,
    levels,
    sequence,
  );
  return renderXml(root);
}

/** The reporting period: as asked, else the span of the scheduled sessions, else the report date's calendar year. */
export function reportingPeriod(
  sessions: readonly { startsAt: Date | null }[],
  reportDate: string,
  asked: { start: string | null; end: string | null },
): { start: string; end: string } {
  const dated = sessions
    .map((s) => s.startsAt?.toISOString().slice(0, 10))
    .filter((d): d is string => Boolean(d))
    .sort();
  const year = reportDate.slice(0, 4);
  return { start: asked.start ?? dated[0] ?? `${year}-01-01`, end: asked.end ?? dated.at(-1) ?? `${year}-12-31` };
}

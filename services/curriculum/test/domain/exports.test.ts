import { fromCasePackage, toCasePackage, type CaseSource } from '../../src/domain/case';
import {
  buildCurriculumInventory,
  INSTRUCTIONAL_METHOD_CODES,
  inventoryGap,
  type InventorySource,
  reportingPeriod,
} from '../../src/domain/curriculum-inventory';
import { TEACHING_METHODS } from '../../src/domain/model';
import { escape } from '../../src/domain/xml';
import { all, descendants, one, parseXml } from '../support/xml';
import { xsdErrors } from '../support/xsd';

const ciErrors = (xml: string) => xsdErrors(xml, 'curriculum-inventory', 'curriculuminventory.xsd');

const source: CaseSource = {
  id: 'f0000000-0000-4000-8000-000000000000',
  name: 'Graduate outcomes',
  version: '2026',
  description: 'Outcomes & "values" <of> graduates',
  ownerId: null,
  lastChange: new Date('2026-01-01T00:00:00Z'),
  competencies: [
    {
      id: 'c3',
      parentId: 'c1',
      code: 'A.2',
      title: 'Second child',
      description: null,
      domain: 'TECHNICAL',
      category: 'patient care',
      position: 3,
    },
    {
      id: 'c1',
      parentId: null,
      code: 'A',
      title: 'Clinician',
      description: 'The clinical role',
      domain: 'TECHNICAL',
      category: 'patient care',
      position: 1,
    },
    {
      id: 'c4',
      parentId: null,
      code: 'B',
      title: 'Team member',
      description: null,
      domain: 'NON_TECHNICAL',
      category: 'teamwork',
      position: 2,
    },
    {
      id: 'c2',
      parentId: 'c1',
      code: 'A.1',
      title: 'First child',
      description: null,
      domain: 'TECHNICAL',
      category: 'patient care',
      position: 4,
    },
  ],
};

describe('CASE packages', () => {
  it('lists items parents first with isChildOf associations in sibling order', () => {
    const pkg = toCasePackage(source);
    expect(pkg.CFItems.map((i) => i.humanCodingScheme)).toEqual(['A', 'A.2', 'A.1', 'B']);
    expect(pkg.CFItems[3]).toMatchObject({
      CFItemType: 'Non-technical competency',
      conceptKeywords: ['teamwork'],
      fullStatement: 'Team member',
    });
    expect(pkg.CFAssociations.map((a) => [a.originNodeURI.identifier, a.destinationNodeURI.identifier, a.sequenceNumber])).toEqual([
      ['c1', source.id, 1],
      ['c3', 'c1', 1],
      ['c2', 'c1', 2],
      ['c4', source.id, 2],
    ]);
    expect(new Set(pkg.CFAssociations.map((a) => a.identifier)).size).toBe(4);
  });

  it('reads a package back into the same framework', () => {
    const input = fromCasePackage(JSON.stringify(toCasePackage(source)));
    expect(input).toMatchObject({ name: 'Graduate outcomes', version: '2026', description: 'Outcomes & "values" <of> graduates' });
    expect(input.competencies.map((c) => [c.code, c.parentCode, c.domain, c.category])).toEqual([
      ['A', null, 'TECHNICAL', 'patient care'],
      ['A.2', 'A', 'TECHNICAL', 'patient care'],
      ['A.1', 'A', 'TECHNICAL', 'patient care'],
      ['B', null, 'NON_TECHNICAL', 'teamwork'],
    ]);
    expect(input.competencies[0]?.description).toBe('The clinical role');
  });

  it('refuses packages it cannot read, naming the place in the package', () => {
    const fields = (text: string) => {
      try {
        fromCasePackage(text);
      } catch (error) {
        return ((error as { details: { fields: { path: string }[] } }).details.fields ?? []).map((f) => f.path);
      }
      throw new Error('expected a refusal');
    };
    expect(fields('{ not json')).toEqual(['document']);
    const pkg = toCasePackage(source);
    const noCode = structuredClone(pkg) as unknown as { CFItems: Record<string, unknown>[] };
    delete noCode.CFItems[1]?.humanCodingScheme;
    expect(fields(JSON.stringify(noCode))).toEqual(['document.CFItems.1.humanCodingScheme']);
    const dup = structuredClone(pkg);
    (dup.CFItems[2] as { humanCodingScheme: string }).humanCodingScheme = 'a.2';
    expect(fields(JSON.stringify(dup))).toEqual(['document.CFItems.2.humanCodingScheme']);
    const cyclic = structuredClone(pkg);
    cyclic.CFAssociations[0] = { ...cyclic.CFAssociations[0]!, destinationNodeURI: { ...cyclic.CFAssociations[1]!.originNodeURI } };
    expect(fields(JSON.stringify(cyclic))).toEqual(['document.CFAssociations']);
    const twoParents = structuredClone(pkg);
    twoParents.CFAssociations.push({ ...twoParents.CFAssociations[1]!, destinationNodeURI: twoParents.CFAssociations[3]!.originNodeURI });
    expect(fields(JSON.stringify(twoParents))).toEqual(['document.CFAssociations.4']);
  });
});

describe('Curriculum Inventory XML', () => {
  const inventory: InventorySource = {
    program: { id: 'p1', title: 'MD <2026> & more', description: null, schoolId: 'school-1' },
    institutionName: 'St Aldric\'s "Medical" College',
    reportDate: '2026-03-01',
    reportingStartDate: '2025-09-01',
    reportingEndDate: '2026-06-30',
    modules: [
      { id: 'm1', code: 'CVS', title: 'Cardio', year: 1, prerequisiteIds: [], totalHours: 40 },
      { id: 'm2', code: 'ACU', title: 'Acute', year: 3, prerequisiteIds: ['m1'], totalHours: 20 },
    ],
    objectives: [{ id: 'o1', moduleId: 'm1', statement: 'Read an ECG', competencyIds: ['c2'] }],
    sessions: [
      {
        id: 's1',
        moduleId: 'm1',
        title: 'ECG',
        method: 'LECTURE',
        delivery: 'ONLINE',
        startsAt: new Date('2025-09-03T08:00:00Z'),
        durationMinutes: 90,
        objectiveIds: ['o1'],
      },
      {
        id: 's2',
        moduleId: 'm2',
        title: 'Sim',
        method: 'SIMULATION',
        delivery: 'OFFLINE',
        startsAt: null,
        durationMinutes: 120,
        objectiveIds: [],
      },
    ],
    competencies: [
      { id: 'c1', code: 'ME', title: 'Medical Expert', parentId: null },
      { id: 'c2', code: 'ME2', title: 'Assess patients', parentId: 'c1' },
    ],
  };
  const xml = buildCurriculumInventory(inventory);
  const root = parseXml(xml);

  it('validates against the Curriculum Inventory v1 schema, and the schema check catches a block without events', async () => {
    expect(await ciErrors(xml)).toEqual([]);
    const emptyBlock = xml.replace(
      /<SequenceBlockEvent required="true">\s*<EventReference>[^<]*<\/EventReference>\s*<\/SequenceBlockEvent>/g,
      '',
    );
    expect((await ciErrors(emptyBlock)).join('\n')).toMatch(
      /SequenceBlock': Missing child element\(s\)\. Expected is one of .*Postcondition.*SequenceBlockEvent/,
    );
  });

  it('leaves modules without sessions out of the sequence, names them, and still validates', async () => {
    const withEmptyModule: InventorySource = {
      ...inventory,
      modules: [...inventory.modules, { id: 'm3', code: 'REN', title: 'Renal', year: 2, prerequisiteIds: ['m1'], totalHours: 30 }],
    };
    const doc = buildCurriculumInventory(withEmptyModule);
    expect(await ciErrors(doc)).toEqual([]);
    const sequence = one(parseXml(doc), 'Sequence');
    expect(all(sequence, 'SequenceBlock').map((b) => b.attributes.id)).toEqual(['Bm1', 'Bm2']);
    expect(one(sequence, 'Description').text).toBe('Modules without teaching sessions yet, not reported as sequence blocks: REN Renal');
    // Every block holds at least one event: the rule the schema enforces.
    for (const block of all(sequence, 'SequenceBlock')) expect(all(block, 'SequenceBlockEvent').length).toBeGreaterThan(0);
  });

  it('refuses a program with no sessions or no objectives, naming it, instead of writing an invalid document', () => {
    const noSessions = { ...inventory, sessions: [] };
    expect(inventoryGap(noSessions)).toBe(
      'Program "MD <2026> & more" has no teaching sessions yet: the Curriculum Inventory reports teaching events, so add sessions first',
    );
    expect(() => buildCurriculumInventory(noSessions)).toThrow(/no teaching sessions/);
    expect(inventoryGap({ ...inventory, objectives: [] })).toMatch(/has no learning objectives yet/);
    expect(inventoryGap(inventory)).toBeNull();
  });

  it('is well-formed, in the MedBiquitous namespace, with the top-level parts in schema order', () => {
    expect(root.name).toBe('CurriculumInventory');
    expect(root.attributes.xmlns).toBe('http://ns.medbiq.org/curriculuminventory/v1/');
    expect(root.children.map((c) => c.name)).toEqual([
      'ReportID',
      'Institution',
      'Program',
      'Title',
      'ReportDate',
      'ReportingStartDate',
      'ReportingEndDate',
      'Language',
      'Description',
      'Events',
      'Expectations',
      'AcademicLevels',
      'Sequence',
    ]);
    expect(one(one(root, 'Institution'), 'm:InstitutionName').text).toBe('St Aldric\'s "Medical" College');
    expect(one(one(root, 'Program'), 'ProgramName').text).toBe('MD <2026> & more');
  });

  it('has one event per session with its duration, objectives and AAMC method, and one block per module referencing them', () => {
    const events = all(one(root, 'Events'), 'Event');
    expect(events.map((e) => [e.attributes.id, one(e, 'EventDuration').text, one(e, 'InstructionalMethod').text])).toEqual([
      ['Es1', 'PT90M', 'IM013'],
      ['Es2', 'PT120M', 'IM025'],
    ]);
    expect(all(events[0]!, 'CompetencyObjectReference').map((r) => r.text)).toEqual([
      "/CurriculumInventory/Expectations/CompetencyObject[lom:lom/lom:general/lom:identifier/lom:entry='urn:medcollab:objective:o1']",
    ]);
    const blocks = all(one(root, 'Sequence'), 'SequenceBlock');
    expect(blocks.map((b) => [b.attributes.id, one(b, 'Level').text])).toEqual([
      ['Bm1', "/CurriculumInventory/AcademicLevels/Level[@number='1']"],
      ['Bm2', "/CurriculumInventory/AcademicLevels/Level[@number='3']"],
    ]);
    expect(one(one(blocks[0]!, 'Timing'), 'Dates').children.map((d) => d.text)).toEqual(['2025-09-03', '2025-09-03']);
    expect(one(one(blocks[1]!, 'Timing'), 'Duration').text).toBe('P4D');
    expect(one(blocks[1]!, 'Precondition').text).toBe('Requires CVS');
    // Every event reference points at an event that exists.
    const eventIds = new Set(events.map((e) => e.attributes.id));
    for (const ref of descendants(root, 'EventReference')) expect(eventIds.has(/@id='([^']+)'/.exec(ref.text)?.[1])).toBe(true);
    expect(one(one(root, 'AcademicLevels'), 'LevelsInProgram').text).toBe('3');
  });

  it('states competencies and objectives as competency objects related in a framework', () => {
    const expectations = one(root, 'Expectations');
    const categories = all(expectations, 'CompetencyObject').map((c) => one(c, 'co:Category').attributes.term);
    expect(categories).toEqual(['program-level-competency', 'program-level-competency', 'sequence-block-level-competency']);
    const framework = one(expectations, 'CompetencyFramework');
    expect(all(framework, 'cf:Includes')).toHaveLength(3);
    const relations = all(framework, 'cf:Relation').map((r) => [
      one(one(r, 'cf:Reference1'), 'cf:Entry').text,
      one(one(r, 'cf:Reference2'), 'cf:Entry').text,
    ]);
    expect(relations).toEqual([
      ['urn:medcollab:competency:c1', 'urn:medcollab:competency:c2'],
      ['urn:medcollab:competency:c2', 'urn:medcollab:objective:o1'],
    ]);
  });

  it('maps every teaching method to an AAMC instructional method, escapes text and picks a reporting period', () => {
    for (const method of TEACHING_METHODS) expect(INSTRUCTIONAL_METHOD_CODES[method]).toMatch(/^IM\d{3}$/);
    expect(escape('a & b < "c" \u0001')).toBe('a &amp; b &lt; &quot;c&quot; ');
    expect(reportingPeriod([{ startsAt: null }], '2026-05-01', { start: null, end: null })).toEqual({
      start: '2026-01-01',
      end: '2026-12-31',
    });
    expect(
      reportingPeriod([{ startsAt: new Date('2025-10-01T10:00:00Z') }, { startsAt: new Date('2025-09-01T10:00:00Z') }], '2026-05-01', {
        start: null,
        end: '2026-06-30',
      }),
    ).toEqual({
      start: '2025-09-01',
      end: '2026-06-30',
    });
  });
});

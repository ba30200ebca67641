import { randomUUID } from 'node:crypto';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { rowCounts } from './support/db';
import { addModule, addObjective, addSession, createFramework, createProgram, M, newInstitutionId } from './support/fixtures';
import { badFields, codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';
import { all, descendants, one, parseXml } from './support/xml';
import { xsdErrors } from './support/xsd';

let h: CurriculumHarness;
let elsewhere: CurriculumHarness;
const school = newInstitutionId();

beforeAll(async () => {
  [h, elsewhere] = await Promise.all([startCurriculum(), startCurriculum()]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), elsewhere?.stop()]);
});

const CASE = `query($id: ID!) { competencyFrameworkCase(id: $id) }`;
const IMPORT = `mutation($input: ImportCompetencyFrameworkCaseInput!) { importCompetencyFrameworkCase(input: $input) { id name version owner { id } competencies { code parent { code } domain category } } }`;
const INVENTORY = `query($programId: ID!, $name: String, $start: Date, $end: Date) { curriculumInventory(programId: $programId, institutionName: $name, reportingStartDate: $start, reportingEndDate: $end) { fileName contentType xml } }`;

/** The package with identifiers and change times replaced by placeholders, in order of first appearance. */
function normalize(json: string): string {
  const ids = new Map<string, string>();
  return json
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<id ${ids.size + 1}>`);
      return ids.get(id) as string;
    })
    .replace(/"lastChangeDateTime": "[^"]+"/g, '"lastChangeDateTime": "<time>"');
}

describe('CASE import and export', () => {
  it('round-trips a framework: export → import elsewhere → export gives the same package apart from ids and times', async () => {
    const f = await createFramework(h, networkAdmin(), { description: 'Graduate outcomes & "values"' });
    // Added later: its position comes after TW although it sits under MK.
    ok(
      await h.call(networkAdmin(), M.addCompetency, {
        input: {
          frameworkId: f.id,
          parentId: f.byCode.MK,
          code: 'MK-0',
          title: 'Describe normal structure',
          domain: 'TECHNICAL',
          category: 'medical knowledge',
        },
      }),
    );
    const exported = ok(await h.call(staffOf(newInstitutionId(), 'CLINICAL_INSTRUCTOR'), CASE, { id: f.id }))
      .competencyFrameworkCase as string;
    const pkg = JSON.parse(exported);
    expect(pkg.CFItems.map((i: { humanCodingScheme: string }) => i.humanCodingScheme)).toEqual(['MK', 'MK-1', 'MK-2', 'MK-0', 'TW']);
    expect(pkg.CFAssociations.every((a: { associationType: string }) => a.associationType === 'isChildOf')).toBe(true);

    const imported = ok(await elsewhere.call(networkAdmin(), IMPORT, { input: { document: exported } })).importCompetencyFrameworkCase;
    expect(imported.id).not.toBe(f.id);
    expect(imported.competencies.find((c: { code: string }) => c.code === 'MK-0')).toEqual({
      code: 'MK-0',
      parent: { code: 'MK' },
      domain: 'TECHNICAL',
      category: 'medical knowledge',
    });
    const again = ok(await elsewhere.call(networkAdmin(), CASE, { id: imported.id })).competencyFrameworkCase as string;
    expect(again).not.toEqual(exported);
    expect(normalize(again)).toEqual(normalize(exported));
    // The same name and version cannot come back into the network it left.
    expect(codes(await h.call(networkAdmin(), IMPORT, { input: { document: exported } }))).toEqual(['CONFLICT']);
  });

  it('imports for the importing school, refuses other schools and roles, and names bad parts of a package; nothing is written', async () => {
    const f = await createFramework(h);
    const exported = ok(await h.call(networkAdmin(), CASE, { id: f.id })).competencyFrameworkCase as string;
    const renamed = JSON.stringify({
      ...JSON.parse(exported),
      CFDocument: { ...JSON.parse(exported).CFDocument, title: `Imported ${randomUUID()}` },
    });
    const before = await rowCounts(h.dataSource);
    expect(codes(await h.call(staffOf(school, 'COORDINATOR'), IMPORT, { input: { document: renamed } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent({ id: randomUUID(), schoolId: school }), IMPORT, { input: { document: renamed } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      codes(await h.call(staffOf(school, 'TEACHER'), IMPORT, { input: { document: renamed, ownerInstitutionId: newInstitutionId() } })),
    ).toEqual(['FORBIDDEN']);
    const broken = JSON.parse(renamed);
    broken.CFItems[2].fullStatement = '';
    const refused = await h.call(staffOf(school, 'TEACHER'), IMPORT, { input: { document: JSON.stringify(broken) } });
    expect(badFields(refused)).toEqual(['document']);
    expect((refused.errors?.[0]?.extensions?.fields as { path: string }[]).map((x) => x.path)).toEqual([
      'document.CFItems.2.fullStatement',
    ]);
    expect(badFields(await h.call(staffOf(school, 'TEACHER'), IMPORT, { input: { document: '{"CFDocument": 1' } }))).toEqual(['document']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
    const mine = ok(await h.call(staffOf(school, 'TEACHER'), IMPORT, { input: { document: renamed } })).importCompetencyFrameworkCase;
    expect(mine.owner).toEqual({ id: school });
    expect(ok(await h.call(networkAdmin(), CASE, { id: randomUUID() })).competencyFrameworkCase).toBeNull();
  });
});

describe('Curriculum Inventory export', () => {
  it("exports a program's events, sequence blocks, competency framework and expectations", async () => {
    const f = await createFramework(h);
    const program = await createProgram(h, school);
    const cardio = await addModule(h, program.id, { code: 'CVS-1', year: 1 });
    const acute = await addModule(h, program.id, { code: 'ACU-3', year: 3, prerequisiteModuleIds: [cardio.id] });
    await addModule(h, program.id, { code: 'REN-2', year: 2 }); // no sessions yet
    const objective = await addObjective(h, cardio.id, [f.byCode['MK-1'] as string, f.byCode.TW as string]);
    await addSession(h, cardio.id, { method: 'PBL', objectiveIds: [objective.id], startsAt: '2026-02-02T08:00:00Z' });
    await addSession(h, acute.id, { method: 'SIMULATION', durationMinutes: 150 });

    const { curriculumInventory: ci } = ok(
      await h.call(staffOf(school, 'TEACHER'), INVENTORY, {
        programId: program.id,
        name: 'Northbridge School of Medicine',
        start: '2025-09-01',
        end: '2026-08-31',
      }),
    );
    expect(ci).toMatchObject({ fileName: `curriculum-inventory-${program.id}.xml`, contentType: 'application/xml' });
    expect(await xsdErrors(ci.xml, 'curriculum-inventory', 'curriculuminventory.xsd')).toEqual([]);
    const root = parseXml(ci.xml);
    expect(one(one(root, 'Institution'), 'm:InstitutionName').text).toBe('Northbridge School of Medicine');
    expect([one(root, 'ReportingStartDate').text, one(root, 'ReportingEndDate').text]).toEqual(['2025-09-01', '2026-08-31']);
    const events = all(one(root, 'Events'), 'Event');
    expect(events.map((e) => one(e, 'InstructionalMethod').text)).toEqual(['IM019', 'IM025']);
    expect(events.map((e) => one(e, 'EventDuration').text)).toEqual(['PT60M', 'PT150M']);
    const blocks = all(one(root, 'Sequence'), 'SequenceBlock');
    expect(blocks.map((b) => one(b, 'Title').text)).toEqual(['CVS-1 Cardiovascular system', 'ACU-3 Cardiovascular system']);
    expect(one(one(root, 'Sequence'), 'Description').text).toMatch(/not reported as sequence blocks: REN-2 /);
    expect(all(blocks[0]!, 'SequenceBlockEvent')).toHaveLength(1);
    expect(one(blocks[1]!, 'Precondition').text).toBe('Requires CVS-1');
    // MK-1 and its parent MK, TW, and the objective; MK → MK-1 and both competencies → the objective.
    const expectations = one(root, 'Expectations');
    expect(all(expectations, 'CompetencyObject')).toHaveLength(4);
    expect(all(one(expectations, 'CompetencyFramework'), 'cf:Relation')).toHaveLength(3);
    expect(
      descendants(root, 'Level')
        .filter((l) => l.attributes.number)
        .map((l) => l.attributes.number),
    ).toEqual(['1', '2', '3']);
  });

  it("follows the program's read policy and checks the reporting period", async () => {
    const program = await createProgram(h, school);
    expect(codes(await h.call(staffOf(newInstitutionId(), 'TEACHER'), INVENTORY, { programId: program.id }))).toEqual(['FORBIDDEN']);
    expect(
      badFields(await h.call(staffOf(school, 'TEACHER'), INVENTORY, { programId: program.id, start: '2026-09-01', end: '2026-01-01' })),
    ).toEqual(['reportingEndDate']);
    // A program with nothing to report yet is refused with its name, not written as an invalid document.
    const empty = await h.call(staffOf(school, 'TEACHER'), INVENTORY, { programId: program.id });
    expect(badFields(empty)).toEqual(['programId']);
    expect(empty.errors?.[0]?.message).toMatch(/^Program ".+" has no teaching sessions yet/);
    const f = await createFramework(h);
    const module = await addModule(h, program.id, { code: 'GEN-1', year: 1 });
    const objective = await addObjective(h, module.id, [f.byCode.TW as string]);
    await addSession(h, module.id, { method: 'LECTURE', objectiveIds: [objective.id] });
    const plain = ok(
      await h.call(asStudent({ id: randomUUID(), schoolId: school }), INVENTORY, { programId: program.id }),
    ).curriculumInventory;
    expect(one(parseXml(plain.xml), 'Institution').children[0]?.text).toBe(`Institution ${school}`);
    expect(await xsdErrors(plain.xml, 'curriculum-inventory', 'curriculuminventory.xsd')).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { networkAdmin, staffOf } from './support/actors';
import { buildWorld, publishLibrary, rowCounts, type World } from './support/fixtures';
import { type AssessmentHarness, badFields, codes, ok, refusalOf, startAssessment } from './support/harness';

let h: AssessmentHarness;
let w: World;
let competency: Record<string, string>;

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  competency = await publishLibrary(h);
});
afterAll(() => h.stop());

const INSTRUMENTS = `query($kind: InstrumentKind) { instruments(kind: $kind) { id kind title purpose library owner { id }
  items { key label category required competencies { id } scale { type entrustmentMode min max allowsNotApplicable labels { value label } } } } }`;
const CREATE = `mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { id kind purpose library owner { id }
  items { key required competencies { id } scale { type entrustmentMode min max allowsNotApplicable labels { value } } } } }`;
const SET_PLACEMENT = `mutation($input: SetPlacementInstrumentInput!) { setPlacementInstrument(input: $input) { programId school { id } instrument { id kind } } }`;

const osce = (overrides: Record<string, unknown> = {}) => ({
  kind: 'OSCE_STATION',
  title: 'OSCE: chest pain',
  purpose: 'SUMMATIVE',
  items: [
    { key: 'history', label: 'Focused history', scale: { type: 'CHECKLIST' }, competencyIds: [competency['aamc-core-epas/EPA 1']] },
    { key: 'global', label: 'Global rating', scale: { type: 'LIKERT', min: 1, max: 5 } },
  ],
  ...overrides,
});

describe('the instrument library', () => {
  it('holds the nine kinds, each formative or summative, readable by anyone signed in', async () => {
    const { instruments } = ok(await h.call(staffOf(randomUUID(), 'STUDENT'), INSTRUMENTS));
    const library = instruments.filter((i: { library: boolean }) => i.library);
    expect(library.map((i: { kind: string; purpose: string }) => `${i.kind}:${i.purpose}`).sort()).toEqual(
      [
        'CASE_ANALYSIS:FORMATIVE',
        'DOPS:FORMATIVE',
        'EPA_ENTRUSTMENT:SUMMATIVE',
        'MINI_CEX:SUMMATIVE',
        'MULTISOURCE_FEEDBACK:FORMATIVE',
        'NOTSS:FORMATIVE',
        'OSCE_STATION:SUMMATIVE',
        'SITE_EVALUATION:FORMATIVE',
        'TEACHER_EVALUATION:FORMATIVE',
      ].sort(),
    );
    expect(library.every((i: { owner: unknown }) => i.owner === null)).toBe(true);
  });

  it('types its scales: NOTSS 4 × 3 elements on 1–4 with N/A, prospective and retrospective entrustment, checklists', async () => {
    const { instruments } = ok(await h.call(networkAdmin(), INSTRUMENTS, { kind: 'NOTSS' }));
    const notss = instruments.find((i: { id: string }) => i.id === libraryInstrumentId('notss'));
    const elements = notss.items.filter((i: { scale: { type: string } }) => i.scale.type === 'NOTSS');
    expect(elements).toHaveLength(12);
    expect(new Set(elements.map((e: { category: string }) => e.category))).toEqual(
      new Set(['Situation awareness', 'Decision making', 'Communication and teamwork', 'Leadership']),
    );
    expect(elements[0].scale).toMatchObject({ min: 1, max: 4, allowsNotApplicable: true });
    expect(elements[0].competencies).toEqual([{ id: competency['notss/SA.1'] }]);

    const epa = ok(await h.call(networkAdmin(), INSTRUMENTS, { kind: 'EPA_ENTRUSTMENT' })).instruments[0];
    expect(epa.items[0].scale).toMatchObject({ type: 'ENTRUSTMENT', entrustmentMode: 'PROSPECTIVE', min: 1, max: 5 });
    expect(epa.items[0].scale.labels).toHaveLength(5);
    const dops = ok(await h.call(networkAdmin(), INSTRUMENTS, { kind: 'DOPS' })).instruments[0];
    expect(dops.items.find((i: { key: string }) => i.key === 'o-score').scale).toMatchObject({
      type: 'ENTRUSTMENT',
      entrustmentMode: 'RETROSPECTIVE',
    });
    expect(dops.items.filter((i: { scale: { type: string } }) => i.scale.type === 'CHECKLIST').length).toBeGreaterThan(3);
    // Every mapped competency is one the curriculum's library publishes.
    const all = ok(await h.call(networkAdmin(), INSTRUMENTS)).instruments.flatMap((i: { items: { competencies: { id: string }[] }[] }) =>
      i.items.flatMap((it) => it.competencies.map((c) => c.id)),
    );
    expect(all.filter((id: string) => !Object.values(competency).includes(id))).toEqual([]);
  });
});

describe('createInstrument', () => {
  it("lets a school's teacher create an instrument for the school, filling scale defaults", async () => {
    const input = osce({
      kind: 'NOTSS',
      purpose: 'FORMATIVE',
      items: [
        {
          key: 'SA.1',
          label: 'Gathering information',
          category: 'Situation awareness',
          scale: { type: 'NOTSS' },
          competencyIds: [competency['notss/SA.1']],
        },
        { key: 'notes', label: 'Notes', required: false, scale: { type: 'NARRATIVE' } },
      ],
    });
    const { createInstrument } = ok(await h.call(w.teacherA.actor, CREATE, { input }));
    expect(createInstrument).toMatchObject({ kind: 'NOTSS', purpose: 'FORMATIVE', library: false, owner: { id: w.schoolA } });
    expect(createInstrument.items[0]).toMatchObject({
      required: true,
      scale: { type: 'NOTSS', min: 1, max: 4, allowsNotApplicable: true },
    });
    expect(createInstrument.items[0].scale.labels).toHaveLength(4);
    expect(createInstrument.items[1]).toMatchObject({ required: false, scale: { type: 'NARRATIVE', min: null, max: null } });
  });

  it('lets a network admin create a network-wide instrument', async () => {
    const { createInstrument } = ok(await h.call(networkAdmin(), CREATE, { input: osce() }));
    expect(createInstrument.owner).toBeNull();
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await rowCounts(h);
    const cases: [Record<string, unknown>, string[]][] = [
      [
        osce({
          items: [
            { key: 'g', label: 'Global', scale: { type: 'LIKERT', min: 1 } },
            { key: 'c', label: 'c', scale: { type: 'CHECKLIST' } },
          ],
        }),
        ['items.0.scale.max'],
      ],
      [
        osce({
          items: [
            { key: 'g', label: 'Global', scale: { type: 'LIKERT', min: 3, max: 2 } },
            { key: 'c', label: 'c', scale: { type: 'CHECKLIST' } },
          ],
        }),
        ['items.0.scale.max'],
      ],
      [
        osce({ kind: 'EPA_ENTRUSTMENT', items: [{ key: 'e', label: 'EPA 1', scale: { type: 'ENTRUSTMENT' } }] }),
        ['items.0.scale.entrustmentMode'],
      ],
      [
        osce({
          items: [
            { key: 'a', label: 'A', scale: { type: 'CHECKLIST' } },
            { key: 'A', label: 'B', scale: { type: 'CHECKLIST' } },
          ],
        }),
        ['items.1.key'],
      ],
      [
        osce({
          kind: 'NOTSS',
          items: [
            { key: 'a', label: 'A', scale: { type: 'NOTSS' } },
            { key: 'b', label: 'B', scale: { type: 'LIKERT', min: 1, max: 5 } },
          ],
        }),
        ['items.1.scale.type'],
      ],
      [
        osce({
          kind: 'TEACHER_EVALUATION',
          items: [{ key: 'a', label: 'A', scale: { type: 'LIKERT', min: 1, max: 5 }, competencyIds: [competency['notss/SA']] }],
        }),
        ['items.0.competencyIds'],
      ],
      [osce({ kind: 'DOPS', items: [{ key: 'a', label: 'A', scale: { type: 'LIKERT', min: 1, max: 5 } }] }), ['items']],
      [osce({ items: [{ key: 'c', label: 'c', scale: { type: 'CHECKLIST', min: 0, max: 1 } }] }), ['items.0.scale.min']],
      [osce({ items: [{ key: 'bad key!', label: 'c', scale: { type: 'CHECKLIST' } }] }), ['items.0.key']],
      [osce({ title: '' }), ['title']],
      [osce({ items: [] }), ['items']],
    ];
    for (const [input, fields] of cases) expect(badFields(await h.call(w.teacherA.actor, CREATE, { input }))).toEqual(fields);
    const unknown = await h.call(w.teacherA.actor, CREATE, {
      input: osce({ items: [{ key: 'c', label: 'c', scale: { type: 'CHECKLIST' }, competencyIds: [randomUUID()] }] }),
    });
    expect(refusalOf(unknown)).toBe('BAD_USER_INPUT/UNKNOWN_COMPETENCY');
    expect(badFields(unknown)).toEqual(['items.0.competencyIds.0']);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('refuses other roles and institutions, and hospitals', async () => {
    const before = await rowCounts(h);
    expect(codes(await h.call(w.coordinatorA.actor, CREATE, { input: osce() }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.schoolA, 'STUDENT'), CREATE, { input: osce() }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.teacherA.actor, CREATE, { input: osce({ ownerInstitutionId: w.schoolB }) }))).toEqual(['FORBIDDEN']);
    const hospitalAdmin = staffOf(w.hospitalH, 'INSTITUTION_ADMIN');
    expect(refusalOf(await h.call(hospitalAdmin, CREATE, { input: osce() }))).toBe('BAD_USER_INPUT/OWNER_IS_HOSPITAL');
    expect(await rowCounts(h)).toEqual(before);
  });
});

describe('setPlacementInstrument', () => {
  it("sets a school's end-of-placement instrument; evaluations and other schools' instruments are refused", async () => {
    const programId = randomUUID();
    const set = ok(
      await h.call(w.coordinatorA.actor, SET_PLACEMENT, {
        input: { schoolId: w.schoolA, programId, instrumentId: libraryInstrumentId('epa-entrustment') },
      }),
    );
    expect(set.setPlacementInstrument).toEqual({
      programId,
      school: { id: w.schoolA },
      instrument: { id: libraryInstrumentId('epa-entrustment'), kind: 'EPA_ENTRUSTMENT' },
    });
    // Setting again replaces it.
    ok(
      await h.call(w.coordinatorA.actor, SET_PLACEMENT, {
        input: { schoolId: w.schoolA, programId, instrumentId: libraryInstrumentId('dops') },
      }),
    );
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM placement_instrument WHERE school_id = $1`, [w.schoolA]);
    expect(n).toBe(1);

    const evaluation = await h.call(w.coordinatorA.actor, SET_PLACEMENT, {
      input: { schoolId: w.schoolA, instrumentId: libraryInstrumentId('site-evaluation') },
    });
    expect(refusalOf(evaluation)).toBe('BAD_USER_INPUT/INSTRUMENT_NOT_ASSIGNABLE');
    const otherSchools = ok(await h.call(w.teacherB.actor, CREATE, { input: osce() })).createInstrument.id;
    expect(
      refusalOf(await h.call(w.coordinatorA.actor, SET_PLACEMENT, { input: { schoolId: w.schoolA, instrumentId: otherSchools } })),
    ).toBe('BAD_USER_INPUT/INSTRUMENT_NOT_ASSIGNABLE');
    expect(
      codes(await h.call(w.coordinatorB, SET_PLACEMENT, { input: { schoolId: w.schoolA, instrumentId: libraryInstrumentId('dops') } })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.call(w.teacherA.actor, SET_PLACEMENT, { input: { schoolId: w.schoolA, instrumentId: libraryInstrumentId('dops') } })),
    ).toEqual(['FORBIDDEN']);
    expect(
      badFields(
        await h.call(w.coordinatorA.actor, SET_PLACEMENT, { input: { schoolId: 'nope', instrumentId: libraryInstrumentId('dops') } }),
      ),
    ).toEqual(['schoolId']);
  });
});

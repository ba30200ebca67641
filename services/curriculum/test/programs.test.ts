import { randomUUID } from 'node:crypto';
import { type Actor } from '@medcollab/kit';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { activeAgreement, endAgreement, rowCounts } from './support/db';
import { addModule, addObjective, createFramework, createProgram, createTrack, M, newInstitutionId, uniq } from './support/fixtures';
import { badFields, codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
const schoolA = newInstitutionId();
const schoolB = newInstitutionId();
const partner = newInstitutionId();
const stranger = newInstitutionId();
let framework: { id: string; byCode: Record<string, string> };
let programA: string;
let moduleA: string;
let objectiveA: string;

const teacherA = () => staffOf(schoolA, 'TEACHER');

beforeAll(async () => {
  h = await startCurriculum();
  await activeAgreement(h.dataSource, schoolA, partner);
  framework = await createFramework(h);
  programA = (await createProgram(h, schoolA, staffOf(schoolA, 'INSTITUTION_ADMIN'))).id;
  moduleA = (await addModule(h, programA, {}, teacherA())).id;
  objectiveA = (await addObjective(h, moduleA, [framework.byCode['MK-1'] as string], teacherA())).id;
});
afterAll(() => h.stop());

const PROGRAM = `query($id: ID!) { program(id: $id) { id title school { id } modules { id code objectives { id } sessions { id } } tracks { id } } }`;

describe('building a program', () => {
  it('builds modules with discipline hours and prerequisites, objectives mapped to competencies and sessions serving them', async () => {
    const program = await createProgram(h, schoolA, teacherA());
    const foundations = ok(
      await h.call(teacherA(), M.addModule, {
        input: {
          programId: program.id,
          code: 'FND-101',
          title: 'Foundations',
          organSystem: 'FOUNDATIONS',
          year: 1,
          disciplines: [
            { discipline: 'BIOCHEMISTRY', hours: 30 },
            { discipline: 'ANATOMY', hours: 12.5 },
          ],
        },
      }),
    ).addModule;
    expect(foundations).toMatchObject({ code: 'FND-101', year: 1, organSystem: 'FOUNDATIONS', totalHours: 42.5, prerequisites: [] });
    const cardio = ok(
      await h.call(teacherA(), M.addModule, {
        input: {
          programId: program.id,
          code: 'CARD-201',
          title: 'Cardiovascular',
          organSystem: 'CARDIOVASCULAR',
          year: 2,
          disciplines: [{ discipline: 'PHYSIOLOGY', hours: 0 }],
          prerequisiteModuleIds: [foundations.id],
        },
      }),
    ).addModule;
    expect(cardio.prerequisites).toEqual([{ id: foundations.id }]);

    const objective = ok(
      await h.call(teacherA(), M.addObjective, {
        input: {
          moduleId: cardio.id,
          statement: 'Interpret a 12-lead ECG',
          competencyIds: [framework.byCode['MK-2'], framework.byCode.TW],
        },
      }),
    ).addLearningObjective;
    expect(objective.competencies.map((c: { id: string }) => c.id).sort()).toEqual([framework.byCode['MK-2'], framework.byCode.TW].sort());
    const session = ok(
      await h.call(teacherA(), M.addSession, {
        input: {
          moduleId: cardio.id,
          title: 'ECG workshop',
          method: 'SIMULATION',
          delivery: 'OFFLINE',
          startsAt: '2026-02-02T08:30:00Z',
          durationMinutes: 90,
          objectiveIds: [objective.id],
        },
      }),
    ).addTeachingSession;
    expect(session).toMatchObject({
      method: 'SIMULATION',
      delivery: 'OFFLINE',
      startsAt: '2026-02-02T08:30:00.000Z',
      durationMinutes: 90,
      objectives: [{ id: objective.id }],
    });
    const track = ok(
      await h.call(teacherA(), M.createTrack, {
        input: { programId: program.id, kind: 'SPECIALTY', title: 'Surgical track', specialty: 'SURGERY' },
      }),
    ).createTrack;
    expect(track).toMatchObject({ kind: 'SPECIALTY', specialty: 'SURGERY' });

    const read = ok(await h.call(teacherA(), PROGRAM, { id: program.id })).program;
    expect(read.school).toEqual({ id: schoolA });
    expect(read.modules.map((m: { code: string }) => m.code)).toEqual(['FND-101', 'CARD-201']);
    expect(read.modules[1].sessions).toEqual([{ id: session.id }]);
    expect(read.tracks).toEqual([{ id: track.id }]);
  });

  it('refuses negative hours, a zero-minute session and a specialty track without specialty, naming the field; nothing is written', async () => {
    const before = await rowCounts(h.dataSource);
    const negative = await h.call(teacherA(), M.addModule, {
      input: {
        programId: programA,
        code: `N-${uniq()}`,
        title: 'Renal',
        year: 2,
        disciplines: [{ discipline: 'PHARMACOLOGY', hours: -4 }],
      },
    });
    expect(badFields(negative)).toEqual(['disciplines.0.hours']);
    expect(
      badFields(
        await h.call(teacherA(), M.addSession, {
          input: { moduleId: moduleA, title: 'Ward round', method: 'BEDSIDE', delivery: 'OFFLINE', durationMinutes: 0 },
        }),
      ),
    ).toEqual(['durationMinutes']);
    expect(
      badFields(await h.call(teacherA(), M.createTrack, { input: { programId: programA, kind: 'SPECIALTY', title: 'Specialty' } })),
    ).toEqual(['specialty']);
    expect(
      badFields(await h.call(teacherA(), M.addModule, { input: { programId: programA, code: 'Y9', title: 'Year nine', year: 9 } })),
    ).toEqual(['year']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses a duplicate module code (CONFLICT on code) and a duplicate program title', async () => {
    const code = `DUP-${uniq()}`;
    await addModule(h, programA, { code });
    const again = await h.call(teacherA(), M.addModule, {
      input: { programId: programA, code: code.toLowerCase(), title: 'Again', year: 1 },
    });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors?.[0]?.extensions?.field).toBe('code');
    const title = `MD ${uniq()}`;
    ok(await h.call(teacherA(), M.createProgram, { input: { schoolId: schoolA, title } }));
    expect(codes(await h.call(teacherA(), M.createProgram, { input: { schoolId: schoolA, title } }))).toEqual(['CONFLICT']);
  });

  it('refuses unknown prerequisites (a module of another program counts as unknown), naming them; nothing is written', async () => {
    const otherProgram = await createProgram(h, schoolA);
    const foreign = await addModule(h, otherProgram.id);
    const ghost = randomUUID();
    const before = await rowCounts(h.dataSource);
    const response = await h.call(teacherA(), M.addModule, {
      input: { programId: programA, code: `P-${uniq()}`, title: 'Resp', year: 2, prerequisiteModuleIds: [moduleA, foreign.id, ghost] },
    });
    expect(badFields(response)).toEqual(['prerequisiteModuleIds']);
    expect(response.errors?.[0]?.extensions?.unknownModuleIds).toEqual([foreign.id, ghost]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses prerequisites that would form a cycle, naming the cycle by codes, and keeps the old ones', async () => {
    const program = await createProgram(h, schoolA);
    const a = await addModule(h, program.id, { code: 'A-1' });
    const b = await addModule(h, program.id, { code: 'B-1', prerequisiteModuleIds: [a.id] });
    const c = await addModule(h, program.id, { code: 'C-1', prerequisiteModuleIds: [b.id] });
    const cyclic = await h.call(teacherA(), M.setPrerequisites, { input: { moduleId: a.id, prerequisiteModuleIds: [c.id] } });
    expect(badFields(cyclic)).toEqual(['prerequisiteModuleIds']);
    expect(cyclic.errors?.[0]?.message).toBe('These prerequisites would form a cycle: A-1 → C-1 → B-1 → A-1');
    expect(cyclic.errors?.[0]?.extensions?.cycle).toEqual(['A-1', 'C-1', 'B-1', 'A-1']);
    const self = await h.call(teacherA(), M.setPrerequisites, { input: { moduleId: b.id, prerequisiteModuleIds: [b.id] } });
    expect(self.errors?.[0]?.extensions?.cycle).toEqual(['B-1', 'B-1']);
    const fine = ok(
      await h.call(teacherA(), M.setPrerequisites, { input: { moduleId: c.id, prerequisiteModuleIds: [a.id, b.id] } }),
    ).setModulePrerequisites;
    expect(fine.prerequisites.map((p: { code: string }) => p.code).sort()).toEqual(['A-1', 'B-1']);
    const kept = ok(
      await h.call(teacherA(), `query($id: ID!) { program(id: $id) { modules { code prerequisites { code } } } }`, { id: program.id }),
    ).program.modules;
    expect(kept.find((m: { code: string }) => m.code === 'A-1').prerequisites).toEqual([]);
  });

  it('refuses an unknown competency and an objective of another module, naming them', async () => {
    const ghost = randomUUID();
    const unknown = await h.call(teacherA(), M.addObjective, {
      input: { moduleId: moduleA, statement: 'Explain heart failure', competencyIds: [framework.byCode.MK, ghost] },
    });
    expect(badFields(unknown)).toEqual(['competencyIds']);
    expect(unknown.errors?.[0]?.extensions?.unknownCompetencyIds).toEqual([ghost]);
    const otherModule = await addModule(h, programA);
    const foreign = await h.call(teacherA(), M.addSession, {
      input: {
        moduleId: otherModule.id,
        title: 'Lecture',
        method: 'LECTURE',
        delivery: 'ONLINE',
        durationMinutes: 45,
        objectiveIds: [objectiveA],
      },
    });
    expect(badFields(foreign)).toEqual(['objectiveIds']);
  });
});

describe('who may change a curriculum', () => {
  /** Every mutation family of a program, as `actor` would send it. */
  const attempts = (): [string, string, Record<string, unknown>][] => [
    ['createProgram', M.createProgram, { input: { schoolId: schoolA, title: `P ${uniq()}` } }],
    ['addModule', M.addModule, { input: { programId: programA, code: `X-${uniq()}`, title: 'Module', year: 1 } }],
    ['setModulePrerequisites', M.setPrerequisites, { input: { moduleId: moduleA, prerequisiteModuleIds: [] } }],
    ['addLearningObjective', M.addObjective, { input: { moduleId: moduleA, statement: 'Objective', competencyIds: [] } }],
    [
      'addTeachingSession',
      M.addSession,
      { input: { moduleId: moduleA, title: 'Session', method: 'TBL', delivery: 'ONLINE', durationMinutes: 30 } },
    ],
    ['createTrack', M.createTrack, { input: { programId: programA, kind: 'RESEARCH', title: `T ${uniq()}` } }],
  ];

  const refused: [string, () => Actor][] = [
    ["another school's admin", () => staffOf(schoolB, 'INSTITUTION_ADMIN')],
    ["another school's teacher", () => staffOf(schoolB, 'TEACHER')],
    ["a partner hospital's admin", () => staffOf(partner, 'INSTITUTION_ADMIN')],
    ["the school's coordinator", () => staffOf(schoolA, 'COORDINATOR')],
    ["the school's quality officer", () => staffOf(schoolA, 'QUALITY_OFFICER')],
    ["the school's student", () => asStudent({ id: randomUUID(), schoolId: schoolA })],
  ];

  it.each(refused)('refuses %s on every mutation family (FORBIDDEN), writing nothing', async (_who, actor) => {
    const before = await rowCounts(h.dataSource);
    for (const [name, mutation, variables] of attempts()) {
      const response = await h.call(actor(), mutation, variables);
      expect([name, codes(response)]).toEqual([name, ['FORBIDDEN']]);
    }
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it("lets the school's admin, its teacher and network admins through on every family", async () => {
    for (const actor of [staffOf(schoolA, 'INSTITUTION_ADMIN'), teacherA(), networkAdmin()]) {
      for (const [name, mutation, variables] of attempts())
        expect([name, codes(await h.call(actor, mutation, variables))]).toEqual([name, []]);
    }
  });

  it('refuses a program for an institution known as a hospital', async () => {
    expect(badFields(await h.call(networkAdmin(), M.createProgram, { input: { schoolId: partner, title: 'Hospital program' } }))).toEqual([
      'schoolId',
    ]);
  });
});

describe('who may read a curriculum', () => {
  const PROGRAMS = `query($schoolId: ID) { programs(schoolId: $schoolId) { id school { id } } }`;
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Program { id } ... on Module { id } ... on LearningObjective { id } ... on Institution { programs { id } } } }`;

  it("lets the school's staff and students, and ACTIVE partner hospitals' staff read it", async () => {
    for (const actor of [
      staffOf(schoolA, 'MENTOR'),
      asStudent({ id: randomUUID(), schoolId: schoolA }),
      staffOf(partner, 'CLINICAL_INSTRUCTOR'),
      networkAdmin(),
    ]) {
      expect(ok(await h.call(actor, PROGRAM, { id: programA })).program.id).toBe(programA);
    }
  });

  it("refuses another school's staff and students and unrelated hospitals, on the root field and on entity references", async () => {
    for (const actor of [
      staffOf(schoolB, 'TEACHER'),
      asStudent({ id: randomUUID(), schoolId: schoolB }),
      staffOf(stranger, 'CLINICAL_INSTRUCTOR'),
    ]) {
      const response = await h.call(actor, PROGRAM, { id: programA });
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.data?.program).toBeNull();
      for (const representation of [
        { __typename: 'Program', id: programA },
        { __typename: 'Module', id: moduleA },
        { __typename: 'LearningObjective', id: objectiveA },
      ]) {
        expect(codes(await h.call(actor, ENTITIES, { r: [representation] }))).toEqual(['FORBIDDEN']);
      }
      expect(ok(await h.call(actor, ENTITIES, { r: [{ __typename: 'Institution', id: schoolA }] }))._entities).toEqual([{ programs: [] }]);
    }
  });

  it('scopes program lists: own school, partner schools for hospital staff; naming an unreadable school is FORBIDDEN', async () => {
    const own = ok(await h.call(teacherA(), PROGRAMS, {})).programs;
    expect(own.length).toBeGreaterThan(0);
    for (const p of own) expect(p.school.id).toBe(schoolA);
    const programB = await createProgram(h, schoolB);
    const fromPartner = ok(await h.call(staffOf(partner, 'COORDINATOR'), PROGRAMS, {})).programs.map((p: { id: string }) => p.id);
    expect(fromPartner).toContain(programA);
    expect(fromPartner).not.toContain(programB.id);
    expect(codes(await h.call(teacherA(), PROGRAMS, { schoolId: schoolB }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(staffOf(stranger, 'COORDINATOR'), PROGRAMS, {})).programs).toEqual([]);
  });

  it('stops reading a partner hospital once its agreement ended', async () => {
    const school = newInstitutionId();
    const hospital = newInstitutionId();
    const agreement = await activeAgreement(h.dataSource, school, hospital);
    const program = await createProgram(h, school);
    expect(ok(await h.call(staffOf(hospital, 'CLINICAL_INSTRUCTOR'), PROGRAM, { id: program.id })).program.id).toBe(program.id);
    await endAgreement(h.dataSource, agreement, school, hospital);
    expect(codes(await h.call(staffOf(hospital, 'CLINICAL_INSTRUCTOR'), PROGRAM, { id: program.id }))).toEqual(['FORBIDDEN']);
  });
});

describe('tracks', () => {
  it('lists tracks by title', async () => {
    const program = await createProgram(h, schoolA);
    await createTrack(h, program.id, 'RESEARCH', { title: 'Research' });
    await createTrack(h, program.id, 'CLINICAL_PRACTICE', { title: 'Clinical practice' });
    const tracks = ok(await h.call(teacherA(), `query($id: ID!) { program(id: $id) { tracks { title kind } } }`, { id: program.id }))
      .program.tracks;
    expect(tracks).toEqual([
      { title: 'Clinical practice', kind: 'CLINICAL_PRACTICE' },
      { title: 'Research', kind: 'RESEARCH' },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { activeAgreement, outboxEvents, rowCounts } from './support/db';
import { addModule, addObjective, addSession, createFramework, createProgram, M, newInstitutionId, uniq } from './support/fixtures';
import { codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

/**
 * What assessment needs of the curriculum: CompetencyFrameworkPublished and PostProfilePublished
 * (appended in the transaction of the change), and Competency.addressedBy(programId).
 */
let h: CurriculumHarness;
const school = newInstitutionId();
const hospital = newInstitutionId();

beforeAll(async () => {
  h = await startCurriculum();
  await activeAgreement(h.dataSource, school, hospital);
});
afterAll(() => h.stop());

describe('CompetencyFrameworkPublished', () => {
  it('carries every competency with its domain and parent, and is sent again, whole, when one is added', async () => {
    const admin = networkAdmin();
    const f = await createFramework(h, admin);
    const [created] = (await outboxEvents(h.dataSource, 'CompetencyFrameworkPublished')).filter((e) => e.aggregate_id === f.id);
    expect(created).toMatchObject({ metadata: { actorId: admin.personId } });
    expect(created!.payload).toEqual({
      frameworkId: f.id,
      name: expect.stringMatching(/^Framework /),
      version: '1.0',
      competencies: [
        { id: f.byCode.MK, code: 'MK', domain: 'TECHNICAL', parentId: null },
        { id: f.byCode['MK-1'], code: 'MK-1', domain: 'TECHNICAL', parentId: f.byCode.MK },
        { id: f.byCode['MK-2'], code: 'MK-2', domain: 'TECHNICAL', parentId: f.byCode.MK },
        { id: f.byCode.TW, code: 'TW', domain: 'NON_TECHNICAL', parentId: null },
      ],
    });

    const added = ok(
      await h.call(admin, M.addCompetency, {
        input: {
          frameworkId: f.id,
          parentId: f.byCode.TW,
          code: 'TW-1',
          title: 'Hand over safely',
          domain: 'NON_TECHNICAL',
          category: 'teamwork',
        },
      }),
    );
    const events = (await outboxEvents(h.dataSource, 'CompetencyFrameworkPublished')).filter((e) => e.aggregate_id === f.id);
    expect(events).toHaveLength(2);
    const latest = events[1]!.payload as { competencies: { id: string; parentId: string | null }[] };
    expect(latest.competencies).toHaveLength(5);
    expect(latest.competencies.at(-1)).toEqual({
      id: added.addCompetency.id,
      code: 'TW-1',
      domain: 'NON_TECHNICAL',
      parentId: f.byCode.TW,
    });
  });

  it('is not sent when the change is refused', async () => {
    const before = await rowCounts(h.dataSource);
    const f = await createFramework(h, networkAdmin());
    const afterCreate = await rowCounts(h.dataSource);
    expect(afterCreate.outbox).toBe(before.outbox + 1);
    const dup = await h.call(networkAdmin(), M.addCompetency, {
      input: { frameworkId: f.id, code: 'mk', title: 'Again', domain: 'TECHNICAL', category: 'patient care' },
    });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(
      codes(
        await h.call(asStudent({ id: randomUUID(), schoolId: school }), M.addCompetency, {
          input: { frameworkId: f.id, code: 'Z', title: 'Z', domain: 'TECHNICAL', category: 'patient care' },
        }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(await rowCounts(h.dataSource)).toEqual(afterCreate);
  });
});

describe('PostProfilePublished', () => {
  it('carries the scale and the required levels', async () => {
    const f = await createFramework(h, networkAdmin());
    const input = {
      title: `Resident ${uniq()}`,
      scale: { name: 'Entrustment', min: 1, max: 5 },
      requirements: [
        { competencyId: f.byCode['MK-1'], level: 4 },
        { competencyId: f.byCode.TW, level: 3 },
      ],
    };
    const { createPostProfile } = ok(await h.call(networkAdmin(), M.createPostProfile, { input }));
    const [event] = (await outboxEvents(h.dataSource, 'PostProfilePublished')).filter((e) => e.aggregate_id === createPostProfile.id);
    expect(event!.payload).toEqual({
      postProfileId: createPostProfile.id,
      title: input.title,
      scale: input.scale,
      requirements: input.requirements,
    });
    const before = await rowCounts(h.dataSource);
    expect(
      codes(
        await h.call(networkAdmin(), M.createPostProfile, {
          input: { ...input, requirements: [{ competencyId: randomUUID(), level: 3 }] },
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });
});

describe('Competency.addressedBy(programId)', () => {
  const ADDRESSED = `query($reps: [_Any!]!, $program: ID!) { _entities(representations: $reps) { ... on Competency { id addressedBy(programId: $program) { id code } } } }`;

  it("lists the program's modules addressing a competency or one beneath it, batched, and nothing to those who may not read the program", async () => {
    const teacher = staffOf(school, 'TEACHER');
    const f = await createFramework(h, networkAdmin());
    const program = await createProgram(h, school, teacher);
    const m1 = await addModule(h, program.id, { year: 1 }, teacher);
    const m2 = await addModule(h, program.id, { year: 2 }, teacher);
    await addObjective(h, m1.id, [f.byCode['MK-1']!], teacher);
    await addObjective(h, m2.id, [f.byCode['MK-2']!, f.byCode.TW!], teacher);
    const reps = ['MK', 'MK-1', 'TW'].map((code) => ({ __typename: 'Competency', id: f.byCode[code] }));

    h.counter.reset();
    const { _entities } = ok(await h.call(teacher, ADDRESSED, { reps, program: program.id }));
    // Competencies (1), program (1), the modules addressing them (1), the modules (1), whatever the number of competencies.
    expect(h.counter.count).toBeLessThanOrEqual(4);
    expect(_entities.map((c: { addressedBy: { id: string }[] }) => c.addressedBy.map((m) => m.id))).toEqual([
      [m1.id, m2.id],
      [m1.id],
      [m2.id],
    ]);

    // The partner hospital reads the curriculum; another school and an unknown program get nothing.
    expect(
      ok(await h.call(staffOf(hospital, 'CLINICAL_INSTRUCTOR'), ADDRESSED, { reps, program: program.id }))._entities[0].addressedBy,
    ).toHaveLength(2);
    expect(
      ok(await h.call(staffOf(newInstitutionId(), 'TEACHER'), ADDRESSED, { reps, program: program.id }))._entities[0].addressedBy,
    ).toEqual([]);
    expect(ok(await h.call(teacher, ADDRESSED, { reps, program: randomUUID() }))._entities[0].addressedBy).toEqual([]);
  });
});

describe('ProgramPublished', () => {
  it("carries the program's competencies and minutes per teaching method, sent again whole with each objective or session", async () => {
    const teacher = staffOf(school, 'TEACHER');
    const f = await createFramework(h, networkAdmin());
    const program = await createProgram(h, school, teacher);
    const m1 = await addModule(h, program.id, { year: 1 }, teacher);
    const m2 = await addModule(
      h,
      program.id,
      {
        year: 2,
        disciplines: [
          { discipline: 'SURGERY', hours: 12 },
          { discipline: 'ANATOMY', hours: 0 },
          { discipline: 'PATHOLOGY', hours: 4 },
        ],
      },
      teacher,
    );
    await addObjective(h, m1.id, [f.byCode['MK-1']!, f.byCode.TW!], teacher);
    await addObjective(h, m2.id, [f.byCode.TW!], teacher);
    await addSession(h, m1.id, { method: 'LECTURE', durationMinutes: 90 }, teacher);
    await addSession(h, m2.id, { method: 'LECTURE', durationMinutes: 30 }, teacher);
    await addSession(h, m2.id, { method: 'SIMULATION', durationMinutes: 120 }, teacher);
    const events = (await outboxEvents(h.dataSource, 'ProgramPublished')).filter((e) => e.aggregate_id === program.id);
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({ metadata: { actorId: teacher.personId } });
    expect(events[4]!.payload).toEqual({
      programId: program.id,
      schoolId: school,
      title: expect.stringMatching(/^Program /),
      competencyIds: [f.byCode['MK-1'], f.byCode.TW].sort(),
      teachingMinutes: [
        { method: 'LECTURE', minutes: 120 },
        { method: 'SIMULATION', minutes: 120 },
      ],
      modules: [
        {
          moduleId: m1.id,
          title: 'Cardiovascular system',
          competencyIds: [f.byCode['MK-1'], f.byCode.TW].sort(),
          teachingMinutes: [{ method: 'LECTURE', minutes: 90 }],
          disciplines: ['PHYSIOLOGY'],
        },
        {
          moduleId: m2.id,
          title: 'Cardiovascular system',
          competencyIds: [f.byCode.TW],
          teachingMinutes: [
            { method: 'LECTURE', minutes: 30 },
            { method: 'SIMULATION', minutes: 120 },
          ],
          // Only disciplines the module gives hours to (the placement link of evaluations).
          disciplines: ['SURGERY', 'PATHOLOGY'],
        },
      ],
      publishedAt: expect.any(String),
    });

    // A refused session publishes nothing.
    const before = await rowCounts(h.dataSource);
    expect(
      codes(
        await h.call(teacher, M.addSession, {
          input: { moduleId: m1.id, title: 'x', method: 'LECTURE', delivery: 'OFFLINE', durationMinutes: 60, objectiveIds: [randomUUID()] },
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });
});

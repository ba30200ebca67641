import { randomUUID } from 'node:crypto';
import { PostProfilePublished, ProgramPublished } from '@medcollab/events';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Curriculum figures from curriculum's publications: a program's teaching-method blend and its
 * coverage of each post profile, from the latest ProgramPublished (an older one arriving late
 * changes nothing), per module (drill-down program → module), and every publication kept
 * (curriculumHistory).
 */
const ids = { S: randomUUID(), S9: randomUUID(), H: randomUUID(), P: randomUUID(), P2: randomUUID(), R1: randomUUID(), R2: randomUUID() };
const c = Array.from({ length: 4 }, () => randomUUID());

type Minutes = { method: string; minutes: number }[];
type Module = { moduleId: string; title: string; competencyIds: string[]; teachingMinutes: Minutes };
const program = (programId: string, sequence: number, competencyIds: string[], teachingMinutes: Minutes, modules?: Module[]) =>
  envelope(
    ProgramPublished,
    programId,
    {
      programId,
      schoolId: ids.S,
      title: sequence === 1 ? 'Medicine (draft)' : 'Medicine',
      competencyIds,
      teachingMinutes,
      ...(modules ? { modules } : {}),
      publishedAt: `2026-10-0${sequence}T10:00:00.000Z`,
    },
    sequence,
  );
const M1 = randomUUID();
const M2 = randomUUID();
const profile = (postProfileId: string, title: string, competencyIds: string[]) =>
  envelope(PostProfilePublished, postProfileId, {
    postProfileId,
    title,
    scale: { name: 'Entrustment', min: 1, max: 5 },
    requirements: competencyIds.map((competencyId) => ({ competencyId, level: 3 })),
  });

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [], agreementId),
    profile(ids.R1, 'Foundation doctor', [c[0]!, c[1]!, c[2]!]),
    profile(ids.R2, 'Surgical resident', [c[3]!]),
    // The second publication first: the first, arriving late, changes nothing.
    program(
      ids.P,
      2,
      [c[0]!, c[1]!],
      [
        { method: 'LECTURE', minutes: 90 },
        { method: 'SIMULATION', minutes: 270 },
      ],
      [
        { moduleId: M1, title: 'Cardiology', competencyIds: [c[0]!, c[1]!], teachingMinutes: [{ method: 'LECTURE', minutes: 90 }] },
        { moduleId: M2, title: 'Emergencies', competencyIds: [c[1]!], teachingMinutes: [{ method: 'SIMULATION', minutes: 270 }] },
      ],
    ),
    program(ids.P, 1, [c[0]!], [{ method: 'LECTURE', minutes: 90 }]),
    // A redelivery keeps one version.
    program(ids.P, 1, [c[0]!], [{ method: 'LECTURE', minutes: 90 }]),
    program(ids.P2, 1, [], []),
  ]);
});
afterAll(() => h.stop());

const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Program { id curriculumQuality {
  publishedAt teachingHours methodBlend { method hours share } profileCoverage { postProfileId title required covered share missingCompetencyIds } } } } }`;
const read = (who: ReturnType<typeof actor>, ...programIds: string[]) =>
  h.call(who, QUERY, { reps: programIds.map((id) => ({ __typename: 'Program', id })) });

describe('Program.curriculumQuality', () => {
  it("shows the school's quality office the blend and coverage of the program's latest publication", async () => {
    const q = ok(await read(actor(ids.S, 'QUALITY_OFFICER'), ids.P))._entities[0].curriculumQuality;
    expect(q).toEqual({
      publishedAt: '2026-10-02T10:00:00.000Z',
      teachingHours: 6,
      methodBlend: [
        { method: 'SIMULATION', hours: 4.5, share: 0.75 },
        { method: 'LECTURE', hours: 1.5, share: 0.25 },
      ],
      profileCoverage: [
        { postProfileId: ids.R1, title: 'Foundation doctor', required: 3, covered: 2, share: 0.667, missingCompetencyIds: [c[2]] },
        { postProfileId: ids.R2, title: 'Surgical resident', required: 1, covered: 0, share: 0, missingCompetencyIds: [c[3]] },
      ],
    });
  });

  it('reads several programs in a constant number of statements; an unpublished one is null for network admins', async () => {
    const admin = actor(null, 'NETWORK_ADMIN');
    h.counter.reset();
    const { _entities } = ok(await read(admin, ids.P, ids.P2));
    expect(h.counter.count).toBeLessThanOrEqual(3);
    expect(_entities[1].curriculumQuality).toMatchObject({ teachingHours: 0, methodBlend: [] });
    expect(ok(await read(admin, randomUUID()))._entities[0].curriculumQuality).toBeNull();
  });

  it("refuses another school's office, the school's other staff and students, and hospital staff", async () => {
    for (const who of [
      actor(ids.S9, 'QUALITY_OFFICER'),
      actor(ids.S, 'TEACHER'),
      actor(ids.S, 'COORDINATOR'),
      actor(ids.S, 'STUDENT'),
      actor(ids.H, 'QUALITY_OFFICER'),
    ])
      expect(codes(await read(who, ids.P))).toEqual(['FORBIDDEN']);
  });
});

const DRILL = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Program { id curriculumQuality {
  version title competencies modules { moduleId title teachingHours competencies methodBlend { method hours share }
  profileCoverage { title covered required } } } } } }`;
const HISTORY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Program { id curriculumHistory {
  version title publishedAt teachingHours competencies methodBlend { method share } profileCoverage { title covered }
  modules { title teachingHours } } } } }`;
const call = (query: string, who: ReturnType<typeof actor>, ...programIds: string[]) =>
  h.call(who, query, { reps: programIds.map((id) => ({ __typename: 'Program', id })) });

describe('Program.curriculumQuality per module (drill-down program → module)', () => {
  it("gives each module's hours, method blend, competencies and coverage, in the program's order", async () => {
    const q = ok(await call(DRILL, actor(ids.S, 'INSTITUTION_ADMIN'), ids.P))._entities[0].curriculumQuality;
    expect(q).toMatchObject({ version: 2, title: 'Medicine', competencies: 2 });
    expect(q.modules).toEqual([
      {
        moduleId: M1,
        title: 'Cardiology',
        teachingHours: 1.5,
        competencies: 2,
        methodBlend: [{ method: 'LECTURE', hours: 1.5, share: 1 }],
        profileCoverage: [
          { title: 'Foundation doctor', covered: 2, required: 3 },
          { title: 'Surgical resident', covered: 0, required: 1 },
        ],
      },
      {
        moduleId: M2,
        title: 'Emergencies',
        teachingHours: 4.5,
        competencies: 1,
        methodBlend: [{ method: 'SIMULATION', hours: 4.5, share: 1 }],
        profileCoverage: [
          { title: 'Foundation doctor', covered: 1, required: 3 },
          { title: 'Surgical resident', covered: 0, required: 1 },
        ],
      },
    ]);
  });

  it('is refused like the program figures', async () => {
    for (const who of [actor(ids.S9, 'QUALITY_OFFICER'), actor(ids.S, 'TEACHER'), actor(ids.H, 'QUALITY_OFFICER')])
      expect(codes(await call(DRILL, who, ids.P))).toEqual(['FORBIDDEN']);
  });
});

describe('Program.curriculumHistory', () => {
  it('lists every publication, oldest first, whatever the order of arrival or redelivery', async () => {
    const history = ok(await call(HISTORY, actor(ids.S, 'QUALITY_OFFICER'), ids.P))._entities[0].curriculumHistory;
    expect(history).toEqual([
      {
        version: 1,
        title: 'Medicine (draft)',
        publishedAt: '2026-10-01T10:00:00.000Z',
        teachingHours: 1.5,
        competencies: 1,
        methodBlend: [{ method: 'LECTURE', share: 1 }],
        profileCoverage: [
          { title: 'Foundation doctor', covered: 1 },
          { title: 'Surgical resident', covered: 0 },
        ],
        modules: [],
      },
      {
        version: 2,
        title: 'Medicine',
        publishedAt: '2026-10-02T10:00:00.000Z',
        teachingHours: 6,
        competencies: 2,
        methodBlend: [
          { method: 'SIMULATION', share: 0.75 },
          { method: 'LECTURE', share: 0.25 },
        ],
        profileCoverage: [
          { title: 'Foundation doctor', covered: 2 },
          { title: 'Surgical resident', covered: 0 },
        ],
        modules: [
          { title: 'Cardiology', teachingHours: 1.5 },
          { title: 'Emergencies', teachingHours: 4.5 },
        ],
      },
    ]);
  });

  it('reads the history of several programs in a constant number of statements; none for an unknown program', async () => {
    const admin = actor(null, 'NETWORK_ADMIN');
    h.counter.reset();
    const { _entities } = ok(await call(HISTORY, admin, ids.P, ids.P2, randomUUID()));
    // Versions, post profiles, the competency hierarchy (coverage through it), and the caller's institution.
    expect(h.counter.count).toBeLessThanOrEqual(4);
    expect(_entities.map((e: { curriculumHistory: unknown[] }) => e.curriculumHistory.length)).toEqual([2, 1, 0]);
  });

  it("refuses another school's office, the school's other staff and students, and hospital staff", async () => {
    for (const who of [
      actor(ids.S9, 'QUALITY_OFFICER'),
      actor(ids.S, 'TEACHER'),
      actor(ids.S, 'STUDENT'),
      actor(ids.H, 'QUALITY_OFFICER'),
      actor(ids.H, 'INSTITUTION_ADMIN'),
    ])
      expect(codes(await call(HISTORY, who, ids.P))).toEqual(['FORBIDDEN']);
  });
});

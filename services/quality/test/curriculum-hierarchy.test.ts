import { randomUUID } from 'node:crypto';
import { CompetencyFrameworkPublished, PostProfilePublished, ProgramPublished } from '@medcollab/events';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Post-profile coverage through the competency hierarchy: framework F has "Situation awareness"
 * (SA) with elements SA1 and SA2 beneath it, and a separate competency X. Profile R requires SA
 * and X. Program P teaches SA1 (module M1) and X (module M2): SA is covered through its element.
 * Program P2 teaches nothing of R.
 */
const ids = { S: randomUUID(), S9: randomUUID(), H: randomUUID(), F: randomUUID(), R: randomUUID(), P: randomUUID(), P2: randomUUID() };
const SA = randomUUID();
const SA1 = randomUUID();
const SA2 = randomUUID();
const X = randomUUID();
const M1 = randomUUID();
const M2 = randomUUID();

const framework = (sequence: number, competencies: { id: string; parentId: string | null }[]) =>
  envelope(
    CompetencyFrameworkPublished,
    ids.F,
    {
      frameworkId: ids.F,
      name: 'NOTSS',
      version: `${sequence}`,
      competencies: competencies.map((c, i) => ({ ...c, code: `C${i}`, domain: 'NON_TECHNICAL' as const })),
    },
    sequence,
  );
const program = (programId: string, competencyIds: string[], modules: { moduleId: string; competencyIds: string[] }[]) =>
  envelope(ProgramPublished, programId, {
    programId,
    schoolId: ids.S,
    title: 'Surgery',
    competencyIds,
    teachingMinutes: [{ method: 'LECTURE', minutes: 60 }],
    modules: modules.map((m) => ({ ...m, title: `Module ${m.moduleId.slice(0, 4)}`, teachingMinutes: [] })),
    publishedAt: '2026-10-01T10:00:00.000Z',
  });

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [], agreementId),
    envelope(PostProfilePublished, ids.R, {
      postProfileId: ids.R,
      title: 'Theatre lead',
      scale: { name: 'Entrustment', min: 1, max: 5 },
      requirements: [
        { competencyId: SA, level: 3 },
        { competencyId: X, level: 3 },
      ],
    }),
    // The second version (SA2 added) first: the first, arriving late, changes nothing.
    framework(2, [
      { id: SA, parentId: null },
      { id: SA1, parentId: SA },
      { id: SA2, parentId: SA },
      { id: X, parentId: null },
    ]),
    framework(1, [
      { id: SA, parentId: null },
      { id: X, parentId: null },
    ]),
    program(
      ids.P,
      [SA1, X],
      [
        { moduleId: M1, competencyIds: [SA1] },
        { moduleId: M2, competencyIds: [X] },
      ],
    ),
    program(ids.P2, [SA2], []),
  ]);
});
afterAll(() => h.stop());

const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Program { id curriculumQuality {
  profileCoverage { postProfileId required covered coveredBySubCompetencies share missingCompetencyIds }
  modules { moduleId profileCoverage { covered coveredBySubCompetencies missingCompetencyIds } } } } } }`;
const read = (who: ReturnType<typeof actor>, ...programIds: string[]) =>
  h.call(who, QUERY, { reps: programIds.map((id) => ({ __typename: 'Program', id })) });

describe('post-profile coverage through the competency hierarchy', () => {
  it('counts a required competency as covered when the program teaches a competency beneath it', async () => {
    const q = ok(await read(actor(ids.S, 'QUALITY_OFFICER'), ids.P))._entities[0].curriculumQuality;
    expect(q.profileCoverage).toEqual([
      { postProfileId: ids.R, required: 2, covered: 2, coveredBySubCompetencies: 1, share: 1, missingCompetencyIds: [] },
    ]);
    // Per module: M1 covers SA through SA1 only; M2 covers X directly.
    expect(q.modules).toEqual([
      { moduleId: M1, profileCoverage: [{ covered: 1, coveredBySubCompetencies: 1, missingCompetencyIds: [X] }] },
      { moduleId: M2, profileCoverage: [{ covered: 1, coveredBySubCompetencies: 0, missingCompetencyIds: [SA] }] },
    ]);
  });

  it("keeps the framework's latest version: an element only the later version has still counts", async () => {
    const q = ok(await read(actor(null, 'NETWORK_ADMIN'), ids.P2))._entities[0].curriculumQuality;
    expect(q.profileCoverage).toEqual([
      { postProfileId: ids.R, required: 2, covered: 1, coveredBySubCompetencies: 1, share: 0.5, missingCompetencyIds: [X] },
    ]);
  });

  it('reads several programs with the hierarchy in a constant number of statements', async () => {
    const admin = actor(null, 'NETWORK_ADMIN');
    h.counter.reset();
    ok(await read(admin, ids.P));
    const one = h.counter.count;
    h.counter.reset();
    const { _entities } = ok(await read(admin, ids.P, ids.P2, randomUUID()));
    expect(h.counter.count).toBe(one);
    expect(_entities.map((e: { curriculumQuality: unknown }) => e.curriculumQuality === null)).toEqual([false, false, true]);
  });

  it("refuses another school's office, the school's teachers and students, and hospital staff", async () => {
    for (const who of [actor(ids.S9, 'QUALITY_OFFICER'), actor(ids.S, 'TEACHER'), actor(ids.S, 'STUDENT'), actor(ids.H, 'QUALITY_OFFICER')])
      expect(codes(await read(who, ids.P))).toEqual(['FORBIDDEN']);
  });
});

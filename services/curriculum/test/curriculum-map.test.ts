import { randomUUID } from 'node:crypto';
import { parseInput } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { addModule, createProgram } from '../src/data/programs';
import { addLearningObjective, addTeachingSession } from '../src/data/teaching';
import { addModuleSchema, addObjectiveSchema, addSessionSchema, createProgramSchema } from '../src/domain/validation';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { activeAgreement } from './support/db';
import { createFramework, M, newInstitutionId } from './support/fixtures';
import { codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
const school = newInstitutionId();
const partner = newInstitutionId();
let framework: { id: string; byCode: Record<string, string> };
let profileId: string;

const METHODS = ['LECTURE', 'PBL', 'SIMULATION'] as const;

/** A program of `size` modules, each with two disciplines, two mapped objectives and three sessions; built with the real commands in one transaction. */
async function buildProgram(ds: DataSource, size: number): Promise<string> {
  return ds.transaction(async (em) => {
    const program = await createProgram(
      em,
      parseInput(createProgramSchema, { schoolId: school, title: `Program of ${size} ${randomUUID()}` }),
    );
    for (let i = 0; i < size; i++) {
      const module = await addModule(
        em,
        parseInput(addModuleSchema, {
          programId: program.id,
          code: `M${i}`,
          title: `Module ${i}`,
          organSystem: 'CARDIOVASCULAR',
          year: 1 + (i % 4),
          disciplines: [
            { discipline: 'ANATOMY', hours: 10 },
            { discipline: 'PHARMACOLOGY', hours: i % 7 === 0 ? 0 : 5 },
          ],
        }),
      );
      const objectives = [];
      for (const code of ['MK-1', i % 2 ? 'TW' : 'MK-2']) {
        objectives.push(
          await addLearningObjective(
            em,
            parseInput(addObjectiveSchema, {
              moduleId: module.id,
              statement: `Objective ${code} of ${i}`,
              competencyIds: [framework.byCode[code]],
            }),
          ),
        );
      }
      for (let s = 0; s < 3; s++) {
        await addTeachingSession(
          em,
          parseInput(addSessionSchema, {
            moduleId: module.id,
            title: `Session ${s} of ${i}`,
            method: METHODS[s],
            delivery: s === 1 ? 'ONLINE' : 'OFFLINE',
            durationMinutes: 60,
            objectiveIds: s === 2 ? [] : [objectives[s]?.id],
          }),
        );
      }
    }
    return program.id;
  });
}

const MAP = `query($programId: ID!, $postProfileId: ID) {
  curriculumMap(programId: $programId, postProfileId: $postProfileId) {
    program { title modules { code } }
    postProfile { title requirements { level competency { code } } }
    coverage {
      competency { code domain framework { name } parent { code } }
      requiredLevel hours methods
      modules { code disciplines { discipline hours } totalHours }
      objectives { statement competencies { code } }
      sessions { title method delivery objectives { id } }
    }
    uncoveredCompetencies { code }
    integrityIssues { kind subjectType subjectId subjectLabel message relatedIds }
    blend { byMethod { method hours share } byDelivery { delivery hours share } totalHours }
    totalDisciplineHours
  }
}`;

beforeAll(async () => {
  h = await startCurriculum();
  await activeAgreement(h.dataSource, school, partner);
  framework = await createFramework(h);
  const profile = ok(
    await h.call(networkAdmin(), M.createPostProfile, {
      input: {
        title: 'Emergency medicine resident, year 1',
        specialty: 'EMERGENCY_MEDICINE',
        scale: { name: 'Entrustment', min: 1, max: 5 },
        requirements: [
          { competencyId: framework.byCode.MK, level: 3 },
          { competencyId: framework.byCode.TW, level: 4 },
        ],
      },
    }),
  );
  profileId = profile.createPostProfile.id;
});
afterAll(() => h.stop());

describe('the curriculum map', () => {
  it('shows coverage, uncovered requirements, integrity issues and the blend of a program', async () => {
    const programId = await buildProgram(h.dataSource, 3);
    const { curriculumMap: map } = ok(await h.call(staffOf(school, 'TEACHER'), MAP, { programId, postProfileId: profileId }));
    const row = (code: string) => map.coverage.find((c: { competency: { code: string } }) => c.competency.code === code);
    expect(map.coverage.map((c: { competency: { code: string } }) => c.competency.code)).toEqual(['MK', 'MK-1', 'MK-2', 'TW']);
    // MK is required and credited with its children's objectives (3 MK-1 lectures, 2 MK-2 PBL sessions); TW only by module 1.
    expect(row('MK')).toMatchObject({ requiredLevel: 3, hours: 5, methods: ['LECTURE', 'PBL'] });
    expect(row('MK-1').modules.map((m: { code: string }) => m.code)).toEqual(['M0', 'M1', 'M2']);
    expect(row('TW')).toMatchObject({ requiredLevel: 4, hours: 1, methods: ['PBL'] });
    expect(row('TW').sessions).toEqual([
      { title: 'Session 1 of 1', method: 'PBL', delivery: 'ONLINE', objectives: [{ id: expect.any(String) }] },
    ]);
    expect(map.uncoveredCompetencies).toEqual([]);
    expect(map.integrityIssues.map((i: { kind: string; subjectLabel: string }) => [i.kind, i.subjectLabel])).toEqual([
      ['SESSION_WITHOUT_OBJECTIVE', 'Session 2 of 0'],
      ['SESSION_WITHOUT_OBJECTIVE', 'Session 2 of 1'],
      ['SESSION_WITHOUT_OBJECTIVE', 'Session 2 of 2'],
      ['DISCIPLINE_ZERO_HOURS', 'M0'],
    ]);
    expect(map.blend).toEqual({
      byMethod: [
        { method: 'LECTURE', hours: 3, share: 0.3333 },
        { method: 'PBL', hours: 3, share: 0.3333 },
        { method: 'SIMULATION', hours: 3, share: 0.3333 },
      ],
      byDelivery: [
        { delivery: 'ONLINE', hours: 3, share: 0.3333 },
        { delivery: 'OFFLINE', hours: 6, share: 0.6667 },
      ],
      totalHours: 9,
    });
    expect(map.totalDisciplineHours).toBe(40);
  });

  it('names required competencies the program never addresses, and works without a profile', async () => {
    const programId = await buildProgram(h.dataSource, 2);
    const profile = ok(
      await h.call(networkAdmin(), M.createPostProfile, {
        input: {
          title: 'Surgeon',
          scale: { name: 'E', min: 1, max: 5 },
          requirements: [
            { competencyId: framework.byCode['MK-2'], level: 2 },
            { competencyId: framework.byCode.TW, level: 2 },
          ],
        },
      }),
    ).createPostProfile;
    const withGap = ok(await h.call(networkAdmin(), MAP, { programId, postProfileId: profile.id })).curriculumMap;
    expect(withGap.uncoveredCompetencies).toEqual([]);
    const onlyFirst = await buildProgram(h.dataSource, 1);
    const gap = ok(await h.call(networkAdmin(), MAP, { programId: onlyFirst, postProfileId: profile.id })).curriculumMap;
    expect(gap.uncoveredCompetencies).toEqual([{ code: 'TW' }]);
    expect(gap.coverage.find((c: { competency: { code: string } }) => c.competency.code === 'TW')).toMatchObject({
      requiredLevel: 2,
      hours: 0,
      modules: [],
      sessions: [],
    });
    const plain = ok(await h.call(networkAdmin(), MAP, { programId: onlyFirst })).curriculumMap;
    expect(plain.postProfile).toBeNull();
    expect(plain.uncoveredCompetencies).toEqual([]);
  });

  it("follows the program's read policy and refuses unknown ids", async () => {
    const programId = await buildProgram(h.dataSource, 1);
    ok(await h.call(staffOf(partner, 'CLINICAL_INSTRUCTOR'), MAP, { programId }));
    ok(await h.call(asStudent({ id: randomUUID(), schoolId: school }), MAP, { programId }));
    expect(codes(await h.call(staffOf(newInstitutionId(), 'TEACHER'), MAP, { programId }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(networkAdmin(), MAP, { programId: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await h.call(networkAdmin(), MAP, { programId, postProfileId: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await h.call(networkAdmin(), MAP, { programId: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('loads a 40-module program in the same number of SQL statements as a 5-module one', async () => {
    const [five, forty] = [await buildProgram(h.dataSource, 5), await buildProgram(h.dataSource, 40)];
    const statementsFor = async (programId: string) => {
      h.counter.reset();
      const { curriculumMap } = ok(await h.call(networkAdmin(), MAP, { programId, postProfileId: profileId }));
      return { count: h.counter.count, map: curriculumMap };
    };
    const small = await statementsFor(five);
    const large = await statementsFor(forty);
    expect(small.map.program.modules).toHaveLength(5);
    expect(large.map.program.modules).toHaveLength(40);
    expect(large.map.integrityIssues.filter((i: { kind: string }) => i.kind === 'SESSION_WITHOUT_OBJECTIVE')).toHaveLength(40);
    expect(large.count).toBe(small.count);
    // program, profile, requirements, 7 program tables, competencies with ancestors, frameworks.
    expect(large.count).toBeLessThanOrEqual(12);
  });
});

import { asStudent, networkAdmin, staffOf } from './support/actors';
import { activeAgreement, rowCounts } from './support/db';
import { createFramework, M, newInstitutionId, uniq } from './support/fixtures';
import { badFields, codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
const schoolA = newInstitutionId();
const schoolB = newInstitutionId();
const hospital = newInstitutionId();

beforeAll(async () => {
  h = await startCurriculum();
  await activeAgreement(h.dataSource, schoolA, hospital);
});
afterAll(() => h.stop());

const FRAMEWORK = `query($id: ID!) { competencyFramework(id: $id) { id name version owner { id } roots { code children { code parent { code } } } competencies { code domain category } } }`;

const competency = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  title: `Competency ${code}`,
  domain: 'TECHNICAL',
  category: 'patient care',
  ...extra,
});

describe('creating competency frameworks', () => {
  it("creates a versioned framework with its hierarchy, owned by the caller's school, readable by anyone", async () => {
    const teacher = staffOf(schoolA, 'TEACHER');
    const f = await createFramework(h, teacher);
    const student = asStudent({ id: newInstitutionId(), schoolId: schoolB });
    const { competencyFramework } = ok(await h.call(student, FRAMEWORK, { id: f.id }));
    expect(competencyFramework.owner).toEqual({ id: schoolA });
    expect(competencyFramework.roots.map((r: { code: string }) => r.code)).toEqual(['MK', 'TW']);
    expect(competencyFramework.roots[0].children).toEqual([
      { code: 'MK-1', parent: { code: 'MK' } },
      { code: 'MK-2', parent: { code: 'MK' } },
    ]);
    expect(competencyFramework.competencies.find((c: { code: string }) => c.code === 'TW')).toEqual({
      code: 'TW',
      domain: 'NON_TECHNICAL',
      category: 'teamwork',
    });
  });

  it('makes a network framework when a network admin names no owner', async () => {
    const f = await createFramework(h, networkAdmin());
    expect(ok(await h.call(networkAdmin(), FRAMEWORK, { id: f.id })).competencyFramework.owner).toBeNull();
  });

  it('refuses duplicate codes (case-insensitive), unknown parents and cyclic parents in the input, naming the field; nothing is written', async () => {
    const before = await rowCounts(h.dataSource);
    const dup = await h.call(networkAdmin(), M.createFramework, {
      input: { name: `F ${uniq()}`, version: '1', competencies: [competency('A-1'), competency('a-1')] },
    });
    expect(badFields(dup)).toEqual(['competencies.1.code']);
    const orphan = await h.call(networkAdmin(), M.createFramework, {
      input: { name: `F ${uniq()}`, version: '1', competencies: [competency('A', { parentCode: 'Z' })] },
    });
    expect(badFields(orphan)).toEqual(['competencies.0.parentCode']);
    const cyclic = await h.call(networkAdmin(), M.createFramework, {
      input: {
        name: `F ${uniq()}`,
        version: '1',
        competencies: [competency('A', { parentCode: 'B' }), competency('B', { parentCode: 'A' })],
      },
    });
    expect(badFields(cyclic)).toEqual(['competencies']);
    expect(cyclic.errors?.[0]?.message).toMatch(/cycle: a → b → a/);
    const blank = await h.call(networkAdmin(), M.createFramework, {
      input: { name: ' ', version: '', competencies: [competency('A', { domain: 'TECHNICAL', category: 'x' })] },
    });
    expect(badFields(blank).sort()).toEqual(['competencies.0.category', 'name', 'version']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses a second framework of the same name and version (CONFLICT), but takes a new version', async () => {
    const name = `CanMEDS ${uniq()}`;
    ok(await h.call(networkAdmin(), M.createFramework, { input: { name, version: '2015' } }));
    const again = await h.call(networkAdmin(), M.createFramework, { input: { name: name.toUpperCase(), version: '2015' } });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors?.[0]?.extensions?.field).toBe('version');
    ok(await h.call(networkAdmin(), M.createFramework, { input: { name, version: '2025' } }));
  });

  it('refuses other roles, other institutions and hospitals (FORBIDDEN)', async () => {
    const input = { name: `F ${uniq()}`, version: '1' };
    expect(codes(await h.call(staffOf(schoolA, 'COORDINATOR'), M.createFramework, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(asStudent({ id: newInstitutionId(), schoolId: schoolA }), M.createFramework, { input }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      codes(await h.call(staffOf(schoolB, 'INSTITUTION_ADMIN'), M.createFramework, { input: { ...input, ownerInstitutionId: schoolA } })),
    ).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(hospital, 'INSTITUTION_ADMIN'), M.createFramework, { input }))).toEqual(['FORBIDDEN']);
  });
});

describe('adding competencies', () => {
  it('adds a competency under a parent of the same framework', async () => {
    const f = await createFramework(h, staffOf(schoolA, 'INSTITUTION_ADMIN'));
    const added = ok(
      await h.call(staffOf(schoolA, 'TEACHER'), M.addCompetency, {
        input: { frameworkId: f.id, parentId: f.byCode.MK, ...competency('MK-3') },
      }),
    );
    expect(added.addCompetency).toMatchObject({ code: 'MK-3', parent: { id: f.byCode.MK }, framework: { id: f.id } });
    const { competencyFramework } = ok(await h.call(networkAdmin(), FRAMEWORK, { id: f.id }));
    expect(competencyFramework.roots[0].children.map((c: { code: string }) => c.code)).toEqual(['MK-1', 'MK-2', 'MK-3']);
  });

  it('refuses a duplicate code (CONFLICT on code), a parent of another framework, an unknown framework', async () => {
    const f = await createFramework(h);
    const other = await createFramework(h);
    const dup = await h.call(networkAdmin(), M.addCompetency, { input: { frameworkId: f.id, ...competency('mk-1') } });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(dup.errors?.[0]?.extensions?.field).toBe('code');
    expect(
      badFields(
        await h.call(networkAdmin(), M.addCompetency, { input: { frameworkId: f.id, parentId: other.byCode.MK, ...competency('X') } }),
      ),
    ).toEqual(['parentId']);
    expect(
      codes(await h.call(networkAdmin(), M.addCompetency, { input: { frameworkId: newInstitutionId(), ...competency('X') } })),
    ).toEqual(['NOT_FOUND']);
    expect(
      badFields(
        await h.call(networkAdmin(), M.addCompetency, { input: { frameworkId: f.id, ...competency('bad code!'), category: '' } }),
      ).sort(),
    ).toEqual(['category', 'code']);
    // Enum values are checked by GraphQL itself; its message names the field.
    const badDomain = await h.call(networkAdmin(), M.addCompetency, { input: { frameworkId: f.id, ...competency('Y'), domain: 'SOCIAL' } });
    expect(codes(badDomain)).toEqual(['BAD_USER_INPUT']);
    expect(badDomain.errors?.[0]?.message).toContain('input.domain');
  });

  it("refuses changes to another institution's framework and to the network's library by school staff", async () => {
    const ownedByA = await createFramework(h, staffOf(schoolA, 'TEACHER'));
    const network = await createFramework(h, networkAdmin());
    const input = (frameworkId: string) => ({ input: { frameworkId, ...competency(`Z-${uniq()}`) } });
    expect(codes(await h.call(staffOf(schoolB, 'TEACHER'), M.addCompetency, input(ownedByA.id)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(schoolA, 'QUALITY_OFFICER'), M.addCompetency, input(ownedByA.id)))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(schoolA, 'INSTITUTION_ADMIN'), M.addCompetency, input(network.id)))).toEqual(['FORBIDDEN']);
    ok(await h.call(networkAdmin(), M.addCompetency, input(ownedByA.id)));
  });
});

describe('post profiles', () => {
  const PROFILES = `query($specialty: Specialty) { postProfiles(specialty: $specialty) { id title owner { id } requirements { level competency { code } } } }`;

  it('creates a post profile with levels on its scale, readable by anyone', async () => {
    const f = await createFramework(h);
    const input = {
      title: `Emergency medicine resident, year 1 (${uniq()})`,
      specialty: 'EMERGENCY_MEDICINE',
      scale: { name: 'Entrustment', min: 1, max: 5 },
      requirements: [
        { competencyId: f.byCode['MK-1'], level: 3 },
        { competencyId: f.byCode.TW, level: 4.5 },
      ],
    };
    const created = ok(await h.call(staffOf(hospital, 'INSTITUTION_ADMIN'), M.createPostProfile, { input })).createPostProfile;
    expect(created).toMatchObject({ specialty: 'EMERGENCY_MEDICINE', scale: { name: 'Entrustment', min: 1, max: 5 } });
    expect(created.requirements).toEqual([
      { level: 3, competency: { id: f.byCode['MK-1'], code: 'MK-1' } },
      { level: 4.5, competency: { id: f.byCode.TW, code: 'TW' } },
    ]);
    const listed = ok(
      await h.call(asStudent({ id: newInstitutionId(), schoolId: schoolB }), PROFILES, { specialty: 'EMERGENCY_MEDICINE' }),
    ).postProfiles;
    expect(listed.map((p: { id: string }) => p.id)).toContain(created.id);
    expect(listed.find((p: { id: string }) => p.id === created.id).owner).toEqual({ id: hospital });
  });

  it('refuses levels off the scale, an inverted scale, repeated and unknown competencies; nothing is written', async () => {
    const f = await createFramework(h);
    const before = await rowCounts(h.dataSource);
    const base = { title: 'Resident', scale: { name: 'Dreyfus', min: 1, max: 5 } };
    const offScale = await h.call(networkAdmin(), M.createPostProfile, {
      input: { ...base, requirements: [{ competencyId: f.byCode.MK, level: 6 }] },
    });
    expect(badFields(offScale)).toEqual(['requirements.0.level']);
    const inverted = await h.call(networkAdmin(), M.createPostProfile, {
      input: { ...base, scale: { name: 'x', min: 5, max: 1 }, requirements: [{ competencyId: f.byCode.MK, level: 3 }] },
    });
    expect(badFields(inverted)).toContain('scale.max');
    const repeated = await h.call(networkAdmin(), M.createPostProfile, {
      input: {
        ...base,
        requirements: [
          { competencyId: f.byCode.MK, level: 2 },
          { competencyId: f.byCode.MK, level: 3 },
        ],
      },
    });
    expect(badFields(repeated)).toEqual(['requirements.1.competencyId']);
    const unknownId = newInstitutionId();
    const unknown = await h.call(networkAdmin(), M.createPostProfile, {
      input: {
        ...base,
        requirements: [
          { competencyId: f.byCode.MK, level: 2 },
          { competencyId: unknownId, level: 3 },
        ],
      },
    });
    expect(badFields(unknown)).toEqual(['requirements.competencyId']);
    expect(unknown.errors?.[0]?.extensions?.unknownCompetencyIds).toEqual([unknownId]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses other roles and other institutions', async () => {
    const f = await createFramework(h);
    const input = { title: 'Resident', scale: { name: 'E', min: 1, max: 5 }, requirements: [{ competencyId: f.byCode.MK, level: 2 }] };
    expect(codes(await h.call(staffOf(schoolA, 'MENTOR'), M.createPostProfile, { input }))).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.call(staffOf(schoolA, 'TEACHER'), M.createPostProfile, { input: { ...input, ownerInstitutionId: schoolB } })),
    ).toEqual(['FORBIDDEN']);
  });
});

import { buildScaleWorld, checkParity, type ScaleWorld, worldCounts, worldDigest } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';
import { type LoadedWorld, loadWorldIntoTestDatabases, SCALE_SERVICES } from './support';

/**
 * `pnpm seed --scale …` at the tiny scale, into test databases: the generator is deterministic,
 * every service's loader writes its part, every projection equals its owner's rows (and the
 * check notices when one does not), and the domain invariants hold in what was written.
 */
const world = buildScaleWorld({ scale: 'tiny', seed: 'scale-test' });
let loaded: LoadedWorld;
let ds: Record<string, DataSource>;

beforeAll(async () => {
  loaded = await loadWorldIntoTestDatabases(world);
  ds = loaded.ds;
});

afterAll(() => loaded?.drop());

const rows = async (service: string, sql: string): Promise<Record<string, unknown>[]> =>
  (await ds[service]!.query(sql)) as Record<string, unknown>[];

describe('the generator', () => {
  test('is deterministic: the same scale and seed give the same world, another seed another', () => {
    const again = buildScaleWorld({ scale: 'tiny', seed: 'scale-test' });
    expect(worldCounts(again)).toEqual(worldCounts(world));
    expect(worldDigest(again)).toBe(worldDigest(world));
    const other = buildScaleWorld({ scale: 'tiny', seed: 'another seed' });
    expect(worldDigest(other)).not.toBe(worldDigest(world));
  });

  test('builds a network of the scale it is asked for', () => {
    const counts = worldCounts(world);
    expect(counts).toMatchObject({ schools: 2, hospitals: 4, departments: 20, students: 120, blocks: 48 });
    // Roughly half the (student, block) slots are filled; every task status occurs.
    expect(counts.placements).toBeGreaterThan(120 * 24 * 0.4);
    expect(new Set(world.tasks.map((t) => t.status))).toEqual(new Set(['PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED']));
    expect(new Set(world.placements.map((p) => p.status))).toEqual(new Set(['CONFIRMED', 'IN_PROGRESS', 'COMPLETED']));
  });
});

describe('the loaded world', () => {
  test('every service holds its rows', async () => {
    const counts = worldCounts(world);
    const n = async (service: string, table: string) => Number((await rows(service, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
    expect(await n('network', 'student')).toBe(counts.students);
    expect(await n('rotations', 'placement')).toBe(counts.placements);
    expect(await n('assessment', 'assessment_task')).toBe(counts.tasks);
    expect(await n('assessment', 'submission')).toBe(counts.submissions);
    expect(await n('assessment', 'competency_observation')).toBeGreaterThan(counts.submissions);
    expect(await n('mentorship', 'mentorship')).toBe(counts.mentorships);
    // One post profile per program, in curriculum and as assessment's projection of PostProfilePublished.
    expect(counts.postProfiles).toBe(world.programs.length);
    expect(await n('curriculum', 'post_profile')).toBe(counts.postProfiles);
    expect(await n('curriculum', 'post_profile_requirement')).toBe(world.postProfiles.reduce((sum, p) => sum + p.requirements.length, 0));
    expect(await n('assessment', 'known_post_profile')).toBe(counts.postProfiles);
    // The competency library is curriculum's too (the profiles' requirements reference it).
    expect(await n('curriculum', 'competency')).toBe(await n('assessment', 'known_competency'));
  });

  test('every service’s loader leaves the planner statistics of the tables it wrote (a bulk load has none)', async () => {
    // The bench server runs without autovacuum: a table loaded and never analysed is planned blind,
    // as the large world's network was (all 149,906 access grants read for a page's students, ADR 0072).
    for (const { module } of SCALE_SERVICES) {
      const tables = (await rows(module.name, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map(
        (r) => r.tablename as string,
      );
      const blind: string[] = [];
      for (const table of tables) {
        const [{ filled, planned }] = (await rows(
          module.name,
          `SELECT EXISTS (SELECT 1 FROM "${table}") AS filled,
                  EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = 'public' AND tablename = '${table}') AS planned`,
        )) as [{ filled: boolean; planned: boolean }];
        if (filled && !planned) blind.push(table);
      }
      expect({ service: module.name, blind }).toEqual({ service: module.name, blind: [] });
    }
  });

  test('each program’s post profile requires competencies the world’s assessments observe, and one they do not', async () => {
    for (const profile of world.postProfiles) {
      const [row] = await rows(
        'assessment',
        `SELECT count(*) FILTER (WHERE observed)::int AS observed, count(*)::int AS required
           FROM (SELECT r ->> 'competencyId' AS id,
                        EXISTS (SELECT 1 FROM competency_observation o JOIN known_competency c ON c.id = o.competency_id
                                 WHERE (c.id::text = r ->> 'competencyId' OR c.parent_id::text = r ->> 'competencyId')) AS observed
                   FROM known_post_profile p, jsonb_array_elements(p.requirements) r WHERE p.id = '${profile.id}') x`,
      );
      expect(row!.required).toBe(profile.requirements.length);
      expect(row!.observed).toBeGreaterThan(0);
      expect(row!.observed).toBeLessThan(row!.required as number);
    }
  });

  test('every projection equals its owner’s rows', async () => {
    const results = await checkParity(ds);
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.every((r) => r.ownerRows > 0)).toBe(true);
  });

  test('the parity check notices a projection that lost or changed a row', async () => {
    await ds
      .assessment!.transaction(async (em) => {
        await em.query(`UPDATE known_placement SET status = 'CANCELLED' WHERE id = $1`, [world.placements[0]!.id]);
        await em.query(`DELETE FROM mentor_grant WHERE mentorship_id = $1`, [world.mentorships.find((m) => m.status === 'ACTIVE')!.id]);
        // A post profile's projection that lost its first requirement.
        await em.query(`UPDATE known_post_profile SET requirements = requirements - 0 WHERE id = $1`, [world.postProfiles[0]!.id]);
        const failed = (await checkParity({ ...ds, assessment: em })).filter((r) => !r.ok).map((r) => r.name);
        expect(failed).toEqual([
          'assessment.known_placement = rotations.placement',
          "assessment.mentor_grant = mentorship's active mentees",
          'assessment.known_post_profile = curriculum.post_profile (with its requirements in order)',
        ]);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
  });

  test('no student has two live placements in one block, no department is over its seats', async () => {
    expect(
      await rows('rotations', `SELECT student_id, block_id FROM placement WHERE status <> 'CANCELLED' GROUP BY 1, 2 HAVING count(*) > 1`),
    ).toEqual([]);
    expect(
      await rows(
        'rotations',
        `SELECT c.department_id, c.block_id, c.seats, count(p.id) AS taken FROM site_capacity c
           JOIN placement p ON p.department_id = c.department_id AND p.block_id = c.block_id AND p.school_id = c.school_id AND p.status <> 'CANCELLED'
          GROUP BY c.id HAVING count(p.id) > c.seats`,
      ),
    ).toEqual([]);
    // Some departments are full: the check above has something to check.
    expect(
      (
        await rows(
          'rotations',
          `SELECT count(*)::int AS n FROM site_capacity c WHERE c.seats = (SELECT count(*) FROM placement p WHERE p.department_id = c.department_id AND p.block_id = c.block_id AND p.school_id = c.school_id)`,
        )
      )[0]!.n,
    ).toBeGreaterThan(0);
  });

  test('placements lie within an active agreement that covers their department, under a supervisor of that department', async () => {
    expect(
      await rows(
        'rotations',
        `SELECT p.id FROM placement p WHERE NOT EXISTS (
           SELECT 1 FROM known_agreement a WHERE a.school_id = p.school_id AND a.hospital_id = p.hospital_id AND a.status = 'ACTIVE'
              AND a.starts_on <= p.starts_on AND a.ends_on >= p.ends_on AND p.department_id = ANY(a.department_ids))
            OR NOT EXISTS (SELECT 1 FROM known_staff s WHERE s.id = p.supervisor_id AND s.department_id = p.department_id)`,
      ),
    ).toEqual([]);
  });

  test('tasks: one end-of-placement task per role and placement, a submission exactly for each submitted task', async () => {
    expect(
      await rows('assessment', `SELECT placement_id, role FROM assessment_task WHERE role <> 'ASSIGNED' GROUP BY 1, 2 HAVING count(*) > 1`),
    ).toEqual([]);
    expect(
      await rows(
        'assessment',
        `SELECT t.id FROM assessment_task t LEFT JOIN submission s ON s.task_id = t.id WHERE (t.status = 'SUBMITTED') <> (s.id IS NOT NULL)`,
      ),
    ).toEqual([]);
  });
});

describe('the services’ rules refuse a world that breaks them', () => {
  const broken = (change: (w: ScaleWorld) => void): ScaleWorld => {
    const w = buildScaleWorld({ scale: 'tiny', seed: 'scale-test' });
    change(w);
    return w;
  };

  test('rotations: a second placement of a student in one block', async () => {
    const w = broken((x) => x.placements.push({ ...x.placements[0]!, id: '00000000-0000-4000-8000-000000000001' }));
    const rotations = SCALE_SERVICES.find((s) => s.module.name === 'rotations')!;
    await expect(rotations.load(ds.rotations!, w)).rejects.toThrow(/already has a placement in block/);
  });

  test('rotations: a supervisor from another department', async () => {
    const w = broken((x) => {
      const p = x.placements[0]!;
      p.supervisorId = x.staff.find((s) => s.departmentId && s.departmentId !== p.departmentId)!.id;
    });
    const rotations = SCALE_SERVICES.find((s) => s.module.name === 'rotations')!;
    await expect(rotations.load(ds.rotations!, w)).rejects.toThrow(/supervisor is not in the department/);
  });

  test('curriculum: a post profile requiring a competency the library does not hold, or a level off its scale', async () => {
    const curriculum = SCALE_SERVICES.find((s) => s.module.name === 'curriculum')!;
    const unknown = broken((x) => x.postProfiles[0]!.requirements.push({ framework: 'aamc-core-epas', code: 'EPA 99', level: 3 }));
    await expect(curriculum.load(ds.curriculum!, unknown)).rejects.toThrow(/Unknown competency: aamc-core-epas\/EPA 99/);
    const offScale = broken((x) => (x.postProfiles[1]!.requirements[0]!.level = 7));
    await expect(curriculum.load(ds.curriculum!, offScale)).rejects.toThrow(/must lie on the scale/);
  });

  test('assessment: more tasks for one assessor in a week than the cap', async () => {
    const w = broken((x) => {
      const t = x.tasks[0]!;
      for (let i = 0; i < 12; i++) x.tasks.push({ ...t, id: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}` });
    });
    const assessment = SCALE_SERVICES.find((s) => s.module.name === 'assessment')!;
    await expect(assessment.load(ds.assessment!, w)).rejects.toThrow(/the cap is/);
  });
});

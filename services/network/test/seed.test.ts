import { demoStaff, demoStudents, DEMO_HOSPITALS, DEMO_SCHOOLS } from '@medcollab/demo-world';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase } from '@medcollab/testing';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { seedDemoNetwork } from '../src/seed/demo-network';
import { outboxEvents, rowCounts } from './support/db';
import { type NetworkHarness, ok, startNetwork } from './support/harness';

let h: NetworkHarness;
beforeAll(async () => {
  h = await startNetwork();
});
afterAll(() => h.stop());

describe('demo network seed', () => {
  it('loads once, then finds the same records (idempotent, no duplicates)', async () => {
    const first = await seedDemoNetwork(h.dataSource);
    const counts = await rowCounts(h.dataSource);
    const second = await seedDemoNetwork(h.dataSource);
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await rowCounts(h.dataSource)).toEqual(counts);

    expect(first.schools).toHaveLength(3);
    expect(first.hospitals).toHaveLength(4);
    expect(first.counts).toMatchObject({ institutions: 7, students: 90 });
  });

  it('builds a realistic network through the domain path (events in the outbox)', async () => {
    const summary = await seedDemoNetwork(h.dataSource);
    const perHospital: { n: number; with_specialty: number }[] = await h.dataSource.query(
      `SELECT count(*)::int AS n, count(d.specialty)::int AS with_specialty
         FROM institution i JOIN department d ON d.institution_id = i.id WHERE i.kind = 'HOSPITAL' GROUP BY i.id`,
    );
    for (const row of perHospital) {
      // 5 to 8 clinical departments, and Lakeshore Regional's 11 with its three divisions of medicine.
      expect(row.n).toBeGreaterThanOrEqual(5);
      expect(row.n).toBeLessThanOrEqual(11);
      expect(row.with_specialty).toBe(row.n);
    }
    const roles: { role: string }[] = await h.dataSource.query(`SELECT DISTINCT unnest(roles) AS role FROM staff_member`);
    expect(roles.map((r) => r.role).sort()).toEqual(
      ['CLINICAL_INSTRUCTOR', 'COORDINATOR', 'INSTITUTION_ADMIN', 'MENTOR', 'NETWORK_ADMIN', 'QUALITY_OFFICER', 'TEACHER'].sort(),
    );
    const timezones: { timezone: string }[] = await h.dataSource.query('SELECT DISTINCT timezone FROM institution');
    expect(timezones.length).toBeGreaterThan(1);

    expect(await outboxEvents(h.dataSource, 'StudentRegistered')).toHaveLength(summary.counts.students);
    expect(await outboxEvents(h.dataSource, 'StaffRegistered')).toHaveLength(summary.counts.staff);
    const active: { n: number }[] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM collaboration_agreement WHERE status = 'ACTIVE'`,
    );
    expect((await outboxEvents(h.dataSource, 'AgreementActivated')).length).toBeGreaterThan(active[0]?.n ?? 0);
    expect(active[0]?.n).toBeGreaterThanOrEqual(4);
  });

  it('gives ids that work as demo callers', async () => {
    const s = await seedDemoNetwork(h.dataSource);
    const viewer = `{ viewer { staffMember { roles institution { kind } department { specialty } } student { school { kind } } } }`;
    const as = (p: { id: string; institutionId: string }, role: string) => ({
      personId: p.id,
      institutionId: p.institutionId,
      roles: [role] as never,
    });
    expect(ok(await h.call(as(s.networkAdmin, 'NETWORK_ADMIN'), viewer)).viewer.staffMember.roles).toEqual(['NETWORK_ADMIN']);
    expect(ok(await h.call(as(s.coordinator, 'COORDINATOR'), viewer)).viewer.staffMember).toMatchObject({
      roles: ['COORDINATOR'],
      institution: { kind: 'SCHOOL' },
    });
    expect(ok(await h.call(as(s.student, 'STUDENT'), viewer)).viewer.student.school.kind).toBe('SCHOOL');
    const instructor = ok(await h.call(as(s.clinicalInstructor, 'CLINICAL_INSTRUCTOR'), viewer)).viewer.staffMember;
    expect(instructor).toMatchObject({ roles: ['CLINICAL_INSTRUCTOR'], institution: { kind: 'HOSPITAL' } });
    expect(instructor.department.specialty).toBeTruthy();

    const students = ok(await h.call(as(s.coordinator, 'COORDINATOR'), `{ students { totalCount } }`));
    expect(students.students.totalCount).toBe(30);
  });

  it('is deterministic: a second empty database gets the same summary', async () => {
    const first = await seedDemoNetwork(h.dataSource);
    const db = await createTestDatabase('network', { entities, migrations });
    const ds = createDataSource({ url: db.url, entities, migrations, poolSize: 2 });
    try {
      await initializeDataSource(ds, { migrate: true });
      expect(await seedDemoNetwork(ds)).toEqual({ ...first, created: true });
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it('generates varied, unique names and emails', () => {
    const staff = [...DEMO_SCHOOLS, ...DEMO_HOSPITALS].flatMap((inst, i) => demoStaff(inst, i));
    expect(new Set(staff.map((p) => `${p.givenName} ${p.familyName}`)).size).toBe(staff.length);
    const students = DEMO_SCHOOLS.flatMap((school, i) => demoStudents(school, i));
    expect(new Set(students.map((s) => s.email)).size).toBe(students.length);
    expect(new Set(students.map((s) => s.familyName)).size).toBeGreaterThan(25);
    expect(students.every((s) => /^[a-z0-9.]+@students\.[a-z.]+$/.test(s.email))).toBe(true);
    expect(demoStudents(DEMO_SCHOOLS[0] as never, 0)).toEqual(demoStudents(DEMO_SCHOOLS[0] as never, 0));
  });
});

import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { seedDemoRotations } from '../src/seed/demo-rotations';
import { asStudent } from './support/actors';
import { ok, type RotationsHarness, startRotations } from './support/harness';

let h: RotationsHarness;
let networkDb: TestDatabase;
let networkDs: DataSource;
let demo: DemoNetworkSummary;

beforeAll(async () => {
  networkDb = await createTestDatabase('network', {
    entities: networkSubgraph.entities as never,
    migrations: networkSubgraph.migrations as never,
  });
  networkDs = await initializeDataSource(
    createDataSource({ url: networkDb.url, entities: networkSubgraph.entities, migrations: networkSubgraph.migrations }),
    { migrate: false },
  );
  demo = await seedDemoNetwork(networkDs);
  h = await startRotations();
}, 240_000);
afterAll(async () => {
  await h?.stop();
  await networkDs?.destroy();
  await networkDb?.drop();
});

describe('the rotations demo', () => {
  it('projects the demo network, then loads blocks, seats and placements in every state', async () => {
    const summary = await seedDemoRotations(h.dataSource, demo);
    expect(summary.created).toBe(true);
    expect(summary.blocks.map((b) => b.name)).toEqual(['Block 1', 'Block 2', 'Block 3', 'Block 4', 'Block 5']);
    expect(summary.placements).toEqual({ PROPOSED: 2, CONFIRMED: 3, IN_PROGRESS: 3, COMPLETED: 3, CANCELLED: 1 });
    const [projected] = await h.dataSource.query(
      `SELECT (SELECT count(*)::int FROM known_student) AS students, (SELECT count(*)::int FROM known_staff) AS staff,
              (SELECT count(*)::int FROM known_agreement WHERE status = 'ACTIVE') AS active, (SELECT count(*)::int FROM known_agreement WHERE status = 'ENDED') AS ended`,
    );
    expect(projected).toEqual({ students: demo.counts.students, staff: demo.counts.staff, active: 5, ended: 1 });
    // Departments named by agreements carry the network's specialty (what the prerequisite rule matches on).
    const departments: { id: string; specialty: string | null }[] = await h.dataSource.query(
      `SELECT id, specialty FROM known_department WHERE id IN (SELECT unnest(department_ids) FROM known_agreement) ORDER BY id`,
    );
    const inNetwork = await networkDs.query(`SELECT id, specialty FROM department WHERE id = ANY($1) ORDER BY id`, [
      departments.map((d) => d.id),
    ]);
    expect(departments.length).toBeGreaterThan(5);
    expect(departments).toEqual(inNetwork);
    // Every confirmed step reached the outbox, for the network's access grants, and the preference window for notifications.
    const [events] = await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    expect(events.n).toBe(3 * 3 + 3 * 2 + 3 * 1 + 1 + 1);
    const [windows] = await h.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE event_type = 'PreferenceWindowOpened'`);
    expect(windows.n).toBe(1);
  });

  it('places the demo student with the demo clinical instructor, who reads them through rotations', async () => {
    const instructor = {
      personId: demo.clinicalInstructor.id,
      institutionId: demo.clinicalInstructor.institutionId,
      roles: ['CLINICAL_INSTRUCTOR' as const],
    };
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { placements { status department { id } supervisor { id } block { name } } } } }`;
    const { _entities } = ok(await h.call(instructor, query, { reps: [{ __typename: 'Student', id: demo.student.id }] }));
    expect(_entities[0].placements).toEqual([
      {
        status: 'IN_PROGRESS',
        department: { id: demo.clinicalInstructor.departmentId },
        supervisor: { id: demo.clinicalInstructor.id },
        block: { name: 'Block 2' },
      },
    ]);
    const own = ok(
      await h.call(asStudent({ id: demo.student.id, schoolId: demo.student.institutionId }), query, {
        reps: [{ __typename: 'Student', id: demo.student.id }],
      }),
    );
    expect(own._entities[0].placements.map((p: { block: { name: string } }) => p.block.name)).toEqual(['Block 2', 'Block 3']);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const [before] = await h.dataSource.query(
      `SELECT (SELECT count(*)::int FROM placement) AS p, (SELECT count(*)::int FROM site_capacity) AS c, (SELECT count(*)::int FROM outbox) AS o`,
    );
    const again = await seedDemoRotations(h.dataSource, demo);
    expect(again.created).toBe(false);
    expect(again.placements.COMPLETED).toBe(3);
    const [after] = await h.dataSource.query(
      `SELECT (SELECT count(*)::int FROM placement) AS p, (SELECT count(*)::int FROM site_capacity) AS c, (SELECT count(*)::int FROM outbox) AS o`,
    );
    expect(after).toEqual(before);
    expect(before.c).toBe(50);
  });
});

import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { seedDemoNetwork, networkSubgraph } from '@medcollab/network';
import { seedDemoCurriculum } from '../src/seed/demo-curriculum';
import { outboxEvents, rowCounts } from './support/db';
import { type CurriculumHarness, ok, startCurriculum } from './support/harness';
import { all, one, parseXml } from './support/xml';
import { xsdErrors } from './support/xsd';

let h: CurriculumHarness;
let networkDb: TestDatabase;
let network: DataSource;
let demo: DemoNetworkSummary;

beforeAll(async () => {
  h = await startCurriculum();
  networkDb = await createTestDatabase('network', { entities: networkSubgraph.entities, migrations: networkSubgraph.migrations });
  network = createDataSource({
    url: networkDb.url,
    entities: networkSubgraph.entities,
    migrations: networkSubgraph.migrations,
    poolSize: 2,
  });
  await initializeDataSource(network, { migrate: false });
  demo = await seedDemoNetwork(network);
});
afterAll(async () => {
  await network?.destroy();
  await networkDb?.drop();
  await h?.stop();
});

const MAP = `query($programId: ID!, $postProfileId: ID) {
  curriculumMap(programId: $programId, postProfileId: $postProfileId) {
    program { modules { code } tracks { kind } }
    postProfile { title }
    coverage { competency { code } requiredLevel hours modules { code } methods }
    uncoveredCompetencies { code framework { name } }
    integrityIssues { kind subjectLabel message }
    blend { byMethod { method share } byDelivery { delivery share } totalHours }
  }
}`;

const as = (p: { id: string; institutionId: string }, role: string) => ({
  personId: p.id,
  institutionId: p.institutionId,
  roles: [role] as never,
});

describe('demo curriculum seed', () => {
  it('loads once, then finds the same records (idempotent)', async () => {
    const first = await seedDemoCurriculum(h.dataSource, demo);
    const counts = await rowCounts(h.dataSource);
    const second = await seedDemoCurriculum(h.dataSource, demo);
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await rowCounts(h.dataSource)).toEqual(counts);
    expect(counts).toMatchObject({ program: 1, curriculum_module: 8, track: 3, post_profile: 1, enrollment: 30 });
    // 30 enrolments and one track change, each with its event.
    expect(await outboxEvents(h.dataSource, 'EnrollmentChanged')).toHaveLength(31);
  });

  it("feeds the network's own ids: every known student and active agreement exists in the network", async () => {
    const known: { id: string; school_id: string; prior_clinical_years: number }[] = await h.dataSource.query(
      'SELECT id, school_id, prior_clinical_years FROM known_student ORDER BY id',
    );
    const real: { id: string; school_id: string; prior_clinical_years: number }[] = await network.query(
      'SELECT id, school_id, prior_clinical_years FROM student WHERE school_id = $1 ORDER BY id',
      [demo.institutionAdmin.institutionId],
    );
    expect(known).toEqual(real);
    const agreements: { id: string; status: string }[] = await h.dataSource.query('SELECT id, status FROM known_agreement ORDER BY id');
    const realAgreements: { id: string; status: string }[] = await network.query(
      `SELECT id, status FROM collaboration_agreement WHERE status <> 'PROPOSED' ORDER BY id`,
    );
    expect(agreements).toEqual(realAgreements);
  });

  it('shows coverage, the uncovered required competency and every deliberate integrity issue in the map', async () => {
    const summary = await seedDemoCurriculum(h.dataSource, demo);
    const { curriculumMap: map } = ok(
      await h.call(as(demo.institutionAdmin, 'INSTITUTION_ADMIN'), MAP, {
        programId: summary.programId,
        postProfileId: summary.postProfileId,
      }),
    );
    expect(map.program.modules).toHaveLength(8);
    expect(map.program.tracks.map((t: { kind: string }) => t.kind).sort()).toEqual(['CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY']);
    expect(map.postProfile.title).toBe('Emergency medicine resident, year 1');
    expect(map.uncoveredCompetencies).toEqual([{ code: 'EPA 12', framework: { name: 'AAMC Core EPAs for Entering Residency' } }]);
    const issues = map.integrityIssues.map((i: { kind: string; subjectLabel: string }) => [i.kind, i.subjectLabel]);
    expect(issues).toEqual([
      ['MODULE_WITHOUT_OBJECTIVE', 'END-203'],
      ['SESSION_WITHOUT_OBJECTIVE', 'Neuroanatomy dissection'],
      ['DISCIPLINE_ZERO_HOURS', 'REN-201'],
    ]);
    const row = (code: string) => map.coverage.find((c: { competency: { code: string } }) => c.competency.code === code);
    expect(row('EPA 1')).toMatchObject({ requiredLevel: 4, modules: [{ code: 'CVS-102' }, { code: 'NEU-301' }] });
    // NOTSS situation awareness is required as a category and credited through its elements.
    expect(row('SA')).toMatchObject({ requiredLevel: 4, modules: [{ code: 'ACU-302' }], methods: ['SIMULATION', 'SELF_STUDY'] });
    expect(map.blend.byMethod.length).toBeGreaterThanOrEqual(8);
    expect(map.blend.byDelivery.every((d: { share: number }) => d.share > 0)).toBe(true);
  });

  it('lets the partner hospital read it and shows the student their enrolment and track', async () => {
    const summary = await seedDemoCurriculum(h.dataSource, demo);
    const PROGRAM = `query($id: ID!) { program(id: $id) { title } }`;
    expect(ok(await h.call(as(demo.hospitalCoordinator, 'COORDINATOR'), PROGRAM, { id: summary.programId })).program.title).toContain(
      'Doctor of Medicine',
    );
    const student = ok(
      await h.call(
        as(demo.student, 'STUDENT'),
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { track { kind } enrollments { trackHistory { to { kind } reason } } } } }`,
        {
          r: [{ __typename: 'Student', id: demo.student.id }],
        },
      ),
    )._entities[0];
    expect(student.track).toEqual({ kind: 'SPECIALTY' });
    expect(student.enrollments[0].trackHistory.at(-1)).toEqual({
      to: { kind: 'SPECIALTY' },
      reason: 'Chose emergency medicine after the acute care elective',
    });
  });

  it('exports the demo program as a Curriculum Inventory that validates against the v1 schema', async () => {
    const summary = await seedDemoCurriculum(h.dataSource, demo);
    const { curriculumInventory } = ok(
      await h.call(
        as(demo.institutionAdmin, 'INSTITUTION_ADMIN'),
        `query($programId: ID!) { curriculumInventory(programId: $programId) { xml } }`,
        { programId: summary.programId },
      ),
    );
    const xml = curriculumInventory.xml as string;
    expect(await xsdErrors(xml, 'curriculum-inventory', 'curriculuminventory.xsd')).toEqual([]);
    const blocks = all(one(parseXml(xml), 'Sequence'), 'SequenceBlock');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(all(block, 'SequenceBlockEvent').length).toBeGreaterThan(0);
  });
});

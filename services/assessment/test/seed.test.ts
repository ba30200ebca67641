import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { seedDemoRotations, rotationsSubgraph } from '@medcollab/rotations';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { demoFacts } from '../src/seed/demo-facts';
import { seedDemoAssessment } from '../src/seed/demo-assessment';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

let h: AssessmentHarness;
const dbs: TestDatabase[] = [];
const sources: DataSource[] = [];
let demo: DemoNetworkSummary;
let rotations: DataSource;

async function database(mod: { name: string; entities: never; migrations: never }): Promise<DataSource> {
  const db = await createTestDatabase(mod.name, { entities: mod.entities, migrations: mod.migrations });
  dbs.push(db);
  const ds = await initializeDataSource(createDataSource({ url: db.url, entities: mod.entities, migrations: mod.migrations }), {
    migrate: false,
  });
  sources.push(ds);
  return ds;
}

beforeAll(async () => {
  demo = await seedDemoNetwork(await database(networkSubgraph as never));
  rotations = await database(rotationsSubgraph as never);
  await seedDemoRotations(rotations, demo);
  h = await startAssessment();
}, 240_000);
afterAll(async () => {
  await h?.stop();
  for (const ds of sources) await ds.destroy();
  for (const db of dbs) await db.drop();
});

describe('the assessment demo', () => {
  it('rebuilds the rotations demo placements exactly as rotations seeds them', async () => {
    const facts = demoFacts(demo);
    const latest = (await rotations.query(
      `SELECT DISTINCT ON (aggregate_id) aggregate_id, event_type, payload FROM outbox WHERE aggregate_type = 'Placement' ORDER BY aggregate_id, sequence DESC`,
    )) as { aggregate_id: string; event_type: string; payload: Record<string, unknown> }[];
    const terms = (p: Record<string, unknown>) => ({ ...p, at: undefined, accessUntil: undefined });
    for (const p of facts.placements) {
      const last = p.events.at(-1)!;
      const seeded = latest.find((e) => e.aggregate_id === last.payload.placementId);
      expect(seeded?.event_type).toBe(last.type);
      expect(terms(seeded!.payload)).toEqual(terms(last.payload));
    }
  });

  it('projects what it needs, creates the placement tasks through the handlers, and assesses the demo student', async () => {
    const summary = await seedDemoAssessment(h.dataSource, demo, h.settings);
    expect(summary).toMatchObject({ created: true, instruments: 9, demoStudentId: demo.student.id });
    // Placement 0: three tasks; placements 1 and 2 (no supervisor): a site evaluation each; three assigned.
    expect(summary.tasks.SUBMITTED + summary.tasks.PENDING + summary.tasks.EXPIRED).toBe(3 + 1 + 1 + 3);
    expect(summary.tasks.SUBMITTED).toBe(6);
    const [counts] = await h.dataSource.query(
      `SELECT (SELECT count(*)::int FROM known_student) AS students, (SELECT count(*)::int FROM known_staff) AS staff, (SELECT count(*)::int FROM known_placement) AS placements,
              (SELECT count(*)::int FROM known_competency) AS competencies, (SELECT count(*)::int FROM task_sampling) AS sampled, (SELECT count(*)::int FROM outbox WHERE event_type = 'AssessmentSubmitted') AS events`,
    );
    expect(counts).toMatchObject({ students: demo.counts.students, staff: demo.counts.staff, placements: 9, sampled: 4, events: 3 });

    const instructor = {
      personId: demo.clinicalInstructor.id,
      institutionId: demo.clinicalInstructor.institutionId,
      roles: ['CLINICAL_INSTRUCTOR' as const],
    };
    const mine = ok(
      await h.call(instructor, `{ myAssessmentTasks { edges { node { status instrument { kind } subjectStudent { id } } } } }`),
    ).myAssessmentTasks.edges;
    expect(
      mine.map((e: { node: { instrument: { kind: string }; status: string } }) => `${e.node.instrument.kind}:${e.node.status}`).sort(),
    ).toEqual(['DOPS:PENDING', 'EPA_ENTRUSTMENT:SUBMITTED', 'MINI_CEX:SUBMITTED', 'NOTSS:SUBMITTED']);

    const student = { personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT' as const] };
    const query = `query($reps: [_Any!]!, $profile: ID!) { _entities(representations: $reps) { ... on Student {
      competencyProgress { domain headline { type level } } readiness(postProfileId: $profile) { score requirementCount gaps { requiredLevel currentLevel } } } } }`;
    const [me] = ok(
      await h.call(student, query, { reps: [{ __typename: 'Student', id: demo.student.id }], profile: summary.postProfileId }),
    )._entities;
    expect(me.competencyProgress.some((p: { domain: string }) => p.domain === 'NON_TECHNICAL')).toBe(true);
    expect(me.readiness.requirementCount).toBe(10);
    expect(me.readiness.score).toBeGreaterThan(0);
    expect(me.readiness.score).toBeLessThan(1);
    expect(me.readiness.gaps.length).toBeGreaterThan(0);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const count = async () =>
      (
        await h.dataSource.query(
          `SELECT (SELECT count(*)::int FROM assessment_task) AS t, (SELECT count(*)::int FROM submission) AS s, (SELECT count(*)::int FROM outbox) AS o`,
        )
      )[0];
    const before = await count();
    const again = await seedDemoAssessment(h.dataSource, demo, h.settings);
    expect(again.created).toBe(false);
    expect(await count()).toEqual(before);
  });
});

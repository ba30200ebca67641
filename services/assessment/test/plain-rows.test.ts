import { plainRowReader } from '@medcollab/kit';
import { type ObjectLiteral } from 'typeorm';
import { AssessmentTask, entities } from '../src/entities';
import { buildWorld, placementAt, publishLibrary, publishPostProfile, registerStudent, runPlacement } from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/**
 * The loaders read in plain SQL (ADR 0036) and must hand resolvers exactly what TypeORM's
 * `find` did: the same class, the same properties, the same values in the same JavaScript types
 * (dates of `date` columns as 'YYYY-MM-DD' strings, timestamps as Date, jsonb parsed, nulls as
 * null) for every assessment entity, over a world with tasks, submissions and evidence.
 */
let h: AssessmentHarness;
let w: Awaited<ReturnType<typeof buildWorld>>;

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  const library = await publishLibrary(h);
  await publishPostProfile(
    h,
    Object.values(library)
      .slice(0, 2)
      .map((competencyId) => ({ competencyId, level: 3 })),
  );
  for (let i = 0; i < 3; i++) {
    const s = await registerStudent(h, w.schoolA);
    await runPlacement(h, placementAt(w, s), 'COMPLETED');
  }
  const [task] = (await h.dataSource.query(`SELECT id, assessor_id FROM assessment_task WHERE role = 'SUPERVISOR_ASSESSMENT' LIMIT 1`)) as {
    id: string;
    assessor_id: string;
  }[];
  expect(task).toBeDefined();
  const responses = ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation', 'overall'].map(
    (itemKey) => ({ itemKey, rating: 6 }),
  );
  ok(
    await h.call(w.ciD1.actor, `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`, {
      input: { taskId: task!.id, responses },
    }),
  );
}, 240_000);
afterAll(() => h?.stop());

const primaryOrder = (entity: new () => ObjectLiteral) =>
  Object.fromEntries(h.dataSource.getMetadata(entity).primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));

describe.each(entities.map((e) => [e.name, e] as const))('%s', (_name, entity) => {
  it('reads every row as TypeORM does', async () => {
    const order = primaryOrder(entity);
    const orm = await h.dataSource.getRepository(entity).find({ order: order as never });
    const plain = await plainRowReader(h.dataSource, entity as new () => ObjectLiteral).all(order);
    expect(plain).toStrictEqual(orm);
    if (orm.length) expect(plain[0]).toBeInstanceOf(entity);
  });
});

test('every entity a loader reads has rows here, so the comparison above compares something', async () => {
  for (const table of [
    'assessment_task',
    'instrument',
    'instrument_item',
    'known_student',
    'known_staff',
    'known_placement',
    'known_post_profile',
    'known_competency',
    'submission',
    'competency_observation',
  ])
    expect(Number((await h.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n)).toBeGreaterThan(0);
});

test('rows by a column, with an equality and an order, as find gives them', async () => {
  const [t] = (await h.dataSource.query(`SELECT assessor_id, status FROM assessment_task LIMIT 1`)) as {
    assessor_id: string;
    status: string;
  }[];
  const orm = await h.dataSource.getRepository(AssessmentTask).find({
    where: { assessorId: t!.assessor_id, status: t!.status as never },
    order: { assignedAt: 'DESC', id: 'ASC' },
  });
  const plain = await plainRowReader(h.dataSource, AssessmentTask).by('assessorId', [t!.assessor_id], {
    where: { status: t!.status as never },
    order: { assignedAt: 'DESC', id: 'ASC' },
  });
  expect(orm.length).toBeGreaterThan(0);
  expect(plain).toStrictEqual(orm);
});

test("an assessor's inbox pages newest first by (assigned_at, id), each task once, in plain SQL", async () => {
  const all = (await h.dataSource.query(`SELECT id FROM assessment_task WHERE assessor_id = $1 ORDER BY assigned_at DESC, id ASC`, [
    w.ciD1.id,
  ])) as { id: string }[];
  expect(all.length).toBeGreaterThan(2);
  const PAGE = `query($first: Int!, $after: String) { myAssessmentTasks(first: $first, after: $after) {
    edges { node { id status } } pageInfo { hasNextPage endCursor } } }`;
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < all.length + 1; i++) {
    const data = ok(await h.call(w.ciD1.actor, PAGE, { first: 2, after })) as {
      myAssessmentTasks: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    seen.push(...data.myAssessmentTasks.edges.map((e) => e.node.id));
    if (!data.myAssessmentTasks.pageInfo.hasNextPage) break;
    after = data.myAssessmentTasks.pageInfo.endCursor;
  }
  expect(seen).toEqual(all.map((t) => t.id));
  const done = ok(await h.call(w.ciD1.actor, PAGE, { first: 50, after: null })) as { myAssessmentTasks: { edges: unknown[] } };
  expect(done.myAssessmentTasks.edges).toHaveLength(all.length);
});

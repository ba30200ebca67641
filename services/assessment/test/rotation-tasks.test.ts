import { randomUUID } from 'node:crypto';
import { buildWorld, completePlacement, placementAt, registerStudent, runPlacement, type World } from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/**
 * ADR 0027 §8: an 8-week surgery is published as two 4-week placements linked as one rotation;
 * its end-of-placement tasks come once, when the last part completes, and cover the rotation.
 */
let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment({ weeklyCap: 100 });
  w = await buildWorld(h);
}, 240_000);
afterAll(() => h.stop());

const TASK = `query($id: ID!) { assessmentTask(id: $id) { id role rotation coversFrom coversUntil placement { id } } }`;

const tasksOfStudent = (studentId: string) =>
  h.dataSource.query(
    `SELECT id, role, placement_id AS "placementId", rotation_name AS "rotationName" FROM assessment_task WHERE student_id = $1 ORDER BY role`,
    [studentId],
  ) as Promise<{ id: string; role: string; placementId: string; rotationName: string | null }[]>;

describe('a rotation longer than one block', () => {
  it('gives no task when its first part completes, then one set for the whole rotation when the last does; a redelivery changes nothing', async () => {
    const student = await registerStudent(h, w.schoolA);
    const rotation = {
      rotationId: randomUUID(),
      parts: 2,
      name: "Surgery at St Mary's (Central), Block 3 – Block 4",
      startsOn: '2026-11-02',
      endsOn: '2026-12-27',
    };
    const first = placementAt(w, student, { startsOn: '2026-11-02', endsOn: '2026-11-29', rotation: { ...rotation, part: 1 } });
    const last = placementAt(w, student, { startsOn: '2026-11-30', endsOn: '2026-12-27', rotation: { ...rotation, part: 2 } });

    await runPlacement(h, first, 'COMPLETED');
    expect(await tasksOfStudent(student.id)).toEqual([]);

    await runPlacement(h, last, 'IN_PROGRESS');
    const eventId = randomUUID();
    expect(await completePlacement(h, last, new Date(), eventId)).toBe('applied');
    expect(await completePlacement(h, last, new Date(), eventId)).toBe('duplicate');
    // A second completion event of the last part (a replay under a new id) is no second set either.
    expect(await completePlacement(h, last, new Date())).toBe('applied');
    const tasks = await tasksOfStudent(student.id);
    expect(tasks.map((t) => [t.role, t.placementId, t.rotationName])).toEqual([
      ['SITE_EVALUATION', last.placementId, rotation.name],
      ['SUPERVISOR_ASSESSMENT', last.placementId, rotation.name],
      ['TEACHER_EVALUATION', last.placementId, rotation.name],
    ]);
    const supervisorTask = tasks.find((t) => t.role === 'SUPERVISOR_ASSESSMENT')!;
    expect(ok(await h.call(w.ciD1.actor, TASK, { id: supervisorTask.id })).assessmentTask).toEqual({
      id: supervisorTask.id,
      role: 'SUPERVISOR_ASSESSMENT',
      rotation: rotation.name,
      coversFrom: '2026-11-02',
      coversUntil: '2026-12-27',
      placement: { id: last.placementId },
    });
  });

  it('a single-block placement is assessed as before, covering its own dates, naming no rotation', async () => {
    const student = await registerStudent(h, w.schoolA);
    const p = placementAt(w, student);
    await runPlacement(h, p, 'COMPLETED');
    const tasks = await tasksOfStudent(student.id);
    expect(tasks).toHaveLength(3);
    const supervisorTask = tasks.find((t) => t.role === 'SUPERVISOR_ASSESSMENT')!;
    expect(ok(await h.call(w.ciD1.actor, TASK, { id: supervisorTask.id })).assessmentTask).toMatchObject({
      rotation: null,
      coversFrom: p.startsOn,
      coversUntil: p.endsOn,
    });
  });
});

it('has a reversible migration for the tasks’ rotation columns', async () => {
  const columns = () =>
    h.dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'assessment_task'
          AND column_name IN ('rotation_id', 'rotation_name', 'covers_starts_on', 'covers_ends_on') ORDER BY column_name`,
    );
  expect(await columns()).toHaveLength(4);
  // Later migrations first, down to this one (1767725000001-TaskRotation).
  const last = async () => Number(((await h.dataSource.query(`SELECT max(timestamp) AS t FROM migrations`)) as { t: string }[])[0]!.t);
  while ((await last()) > 1767725000001) await h.dataSource.undoLastMigration();
  await h.dataSource.undoLastMigration();
  expect(await columns()).toEqual([]);
  await h.dataSource.runMigrations();
  expect(await columns()).toHaveLength(4);
});

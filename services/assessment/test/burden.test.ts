import { samplingPriority } from '../src/domain/burden';
import { isoWeek } from '../src/domain/calendar';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { buildWorld, type PlacementFacts, placementAt, registerStaff, registerStudent, runPlacement, type World } from './support/fixtures';
import { type AssessmentHarness, ok, refusalOf, startAssessment } from './support/harness';

/** Evaluation fatigue: the weekly cap (2 here) with deterministic sampling, through the consumer. */
let h: AssessmentHarness;
let again: AssessmentHarness;
let w: World;

beforeAll(async () => {
  [h, again] = await Promise.all([startAssessment({ weeklyCap: 2 }), startAssessment({ weeklyCap: 2 })]);
  w = await buildWorld(h);
});
afterAll(async () => {
  await h.stop();
  await again.stop();
});

const completedAt = new Date();
const week = isoWeek(completedAt);

const supervisorTasks = async (harness: AssessmentHarness, supervisorId: string): Promise<string[]> =>
  (
    await harness.dataSource.query(
      `SELECT placement_id FROM assessment_task WHERE assessor_id = $1 AND role = 'SUPERVISOR_ASSESSMENT' ORDER BY placement_id`,
      [supervisorId],
    )
  ).map((r: { placement_id: string }) => r.placement_id);
const sampled = async (harness: AssessmentHarness, placementIds: string[]) =>
  harness.dataSource.query(
    `SELECT placement_id, role, reason FROM task_sampling WHERE placement_id = ANY($1::uuid[]) ORDER BY placement_id, role`,
    [placementIds],
  );

describe('the weekly burden cap', () => {
  it('keeps the supervisor assessments that rank highest, whatever the order the completions arrive in, and records the others', async () => {
    const supervisor = await registerStaff(h, w.hospitalH, ['CLINICAL_INSTRUCTOR'], w.d1);
    const placements: PlacementFacts[] = [];
    for (let i = 0; i < 4; i++) placements.push(placementAt(w, await registerStudent(h, w.schoolA), { supervisorId: supervisor.id }));
    for (const p of placements) await runPlacement(h, p, 'COMPLETED', completedAt);

    const rank = (p: PlacementFacts) =>
      samplingPriority({
        assessorId: supervisor.id,
        week,
        placementId: p.placementId,
        role: 'SUPERVISOR_ASSESSMENT',
        purpose: 'SUMMATIVE',
      });
    const expected = [...placements]
      .sort((a, b) => rank(a).localeCompare(rank(b)))
      .slice(0, 2)
      .map((p) => p.placementId)
      .sort();
    expect(await supervisorTasks(h, supervisor.id)).toEqual(expected);
    const out = (
      await sampled(
        h,
        placements.map((p) => p.placementId),
      )
    ).filter((r: { role: string }) => r.role === 'SUPERVISOR_ASSESSMENT');
    expect(out).toHaveLength(2);
    expect(out.every((r: { reason: string }) => ['WEEKLY_CAP', 'DISPLACED'].includes(r.reason))).toBe(true);

    // The same completions in the opposite order, in another database: the same two are kept.
    await again.dataSource.query(
      `INSERT INTO known_staff (id, institution_id, department_id, roles) VALUES ($1, $2, $3, '{CLINICAL_INSTRUCTOR}')`,
      [supervisor.id, w.hospitalH, w.d1],
    );
    for (const p of [...placements].reverse()) await runPlacement(again, p, 'COMPLETED', completedAt);
    expect(await supervisorTasks(again, supervisor.id)).toEqual(expected);
  });

  it('announces a displaced task as withdrawn (so it is never reminded), and never announces a task sampled out at once', async () => {
    const supervisor = await registerStaff(h, w.hospitalH, ['CLINICAL_INSTRUCTOR'], w.d1);
    const placements: PlacementFacts[] = [];
    for (let i = 0; i < 4; i++) placements.push(placementAt(w, await registerStudent(h, w.schoolA), { supervisorId: supervisor.id }));
    const rank = (p: PlacementFacts) =>
      samplingPriority({
        assessorId: supervisor.id,
        week,
        placementId: p.placementId,
        role: 'SUPERVISOR_ASSESSMENT',
        purpose: 'SUMMATIVE',
      });
    // Worst first: [worst, low, high, best]. low and high fill the week; best displaces low; worst is sampled out at once.
    const [worst, low, high, best] = [...placements].sort((a, b) => rank(b).localeCompare(rank(a)));
    for (const p of [low!, high!, best!]) await runPlacement(h, p, 'COMPLETED', completedAt);
    const [displaced] = (await h.dataSource.query(
      `SELECT displaced_task_id FROM task_sampling WHERE placement_id = $1 AND role = 'SUPERVISOR_ASSESSMENT' AND reason = 'DISPLACED'`,
      [low!.placementId],
    )) as { displaced_task_id: string }[];
    expect(displaced).toBeDefined();
    const events = (await h.dataSource.query(
      `SELECT o.event_type, o.payload, array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id) AS consumers
         FROM outbox o WHERE o.aggregate_type = 'AssessmentTask' AND o.aggregate_id = $1 ORDER BY o.sequence`,
      [displaced!.displaced_task_id],
    )) as { event_type: string; payload: Record<string, unknown>; consumers: string[] }[];
    expect(events.map((e) => e.event_type)).toEqual(['AssessmentTaskAssigned', 'AssessmentTaskWithdrawn']);
    expect([...events[1]!.consumers].sort()).toEqual(['notifications', 'quality']);
    expect(events[1]!.payload).toMatchObject({
      taskId: displaced!.displaced_task_id,
      assessorId: supervisor.id,
      studentId: low!.studentId,
      placementId: low!.placementId,
      reason: 'DISPLACED',
    });
    // The worst of all now arrives to a full week of better tasks: sampled out, never announced at all.
    await runPlacement(h, worst!, 'COMPLETED', completedAt);
    expect(await supervisorTasks(h, supervisor.id)).toEqual([high!.placementId, best!.placementId].sort());
    expect(await sampled(h, [worst!.placementId])).toContainEqual({
      placement_id: worst!.placementId,
      role: 'SUPERVISOR_ASSESSMENT',
      reason: 'WEEKLY_CAP',
    });
    const announced = (await h.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'AssessmentTaskAssigned' AND payload->>'placementId' = $1 AND payload->>'role' = 'SUPERVISOR_ASSESSMENT'`,
      [worst!.placementId],
    )) as { n: number }[];
    expect(announced[0]!.n).toBe(0);
  });

  it("keeps a student's teacher evaluations before their site evaluations when the cap binds", async () => {
    const student = await registerStudent(h, w.schoolA);
    const [p1, p2] = [placementAt(w, student), placementAt(w, student, { departmentId: w.d2, supervisorId: w.ciD2.id })];
    await runPlacement(h, p1, 'COMPLETED', completedAt);
    await runPlacement(h, p2, 'COMPLETED', completedAt);
    const roles = await h.dataSource.query(`SELECT role FROM assessment_task WHERE assessor_id = $1 ORDER BY role`, [student.id]);
    expect(roles.map((r: { role: string }) => r.role)).toEqual(['TEACHER_EVALUATION', 'TEACHER_EVALUATION']);
    const out = await sampled(h, [p1.placementId, p2.placementId]);
    expect(out.filter((r: { role: string }) => r.role === 'SITE_EVALUATION')).toHaveLength(2);
  });

  it('never withdraws a task someone started, and refuses a task assigned by hand when the week is full', async () => {
    const supervisor = await registerStaff(h, w.hospitalH, ['CLINICAL_INSTRUCTOR'], w.d1);
    const ps: PlacementFacts[] = [];
    for (let i = 0; i < 3; i++) ps.push(placementAt(w, await registerStudent(h, w.schoolA), { supervisorId: supervisor.id }));
    await runPlacement(h, ps[0]!, 'COMPLETED', completedAt);
    await runPlacement(h, ps[1]!, 'COMPLETED', completedAt);
    // Drafts on both: neither may be displaced, whatever the newcomer's rank.
    await h.dataSource.query(
      `INSERT INTO submission (id, task_id, status, responses, created_at, updated_at) SELECT gen_random_uuid(), id, 'DRAFT', '[]', now(), now() FROM assessment_task WHERE assessor_id = $1`,
      [supervisor.id],
    );
    await runPlacement(h, ps[2]!, 'COMPLETED', completedAt);
    expect(await supervisorTasks(h, supervisor.id)).toEqual([ps[0]!.placementId, ps[1]!.placementId].sort());
    expect(await sampled(h, [ps[2]!.placementId])).toContainEqual({
      placement_id: ps[2]!.placementId,
      role: 'SUPERVISOR_ASSESSMENT',
      reason: 'WEEKLY_CAP',
    });

    const student = await registerStudent(h, w.schoolA);
    await runPlacement(h, placementAt(w, student, { supervisorId: supervisor.id }), 'IN_PROGRESS');
    const assign = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
    const input = {
      instrumentId: libraryInstrumentId('notss'),
      studentId: student.id,
      assessorId: supervisor.id,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    if (isoWeek(new Date()) === week)
      expect(refusalOf(await h.call(w.coordinatorA.actor, assign, { input }))).toBe('CONFLICT/ASSESSOR_WEEKLY_CAP');
    // Another assessor with room takes it.
    ok(await h.call(w.coordinatorA.actor, assign, { input: { ...input, assessorId: w.teacherA.id } }));
  });
});

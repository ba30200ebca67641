import { randomUUID } from 'node:crypto';
import { INSTRUMENT_LIBRARY } from '../src/seed/instrument-library';
import { networkAdmin } from './support/actors';
import {
  buildWorld,
  placementAt,
  publishLibrary,
  registerStudent,
  rowCounts,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, badFields, codes, ok, refusalOf, startAssessment } from './support/harness';

let h: AssessmentHarness;
let w: World;
let competency: Record<string, string>;

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  competency = await publishLibrary(h);
});
afterAll(() => h.stop());

const SUBMISSION = `{ id status version comment submittedAt responses { itemKey rating notApplicable done text } originalResponses { itemKey rating }
  amendments { version reason changedItemKeys amendedBy { id } responses { itemKey rating } } task { id status } }`;
const DRAFT = `mutation($input: SaveDraftInput!) { saveDraft(input: $input) ${SUBMISSION} }`;
const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) ${SUBMISSION} }`;
const AMEND = `mutation($input: AmendSubmissionInput!) { amendSubmission(input: $input) ${SUBMISSION} }`;
const TASK = `query($id: ID!) { assessmentTask(id: $id) { status submittedAt submission { id status } } }`;

const miniCexItems = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!.items;
/** A complete mini-CEX: every rated item `rating`, with `overrides` by item. */
const miniCex = (rating: number, overrides: Record<string, object> = {}) =>
  miniCexItems.filter((i) => i.scale.type !== 'NARRATIVE').map((i) => ({ itemKey: i.key, rating, ...overrides[i.key] }));

async function completedPlacement(student?: StudentRef) {
  const s = student ?? (await registerStudent(h, w.schoolA));
  const p = placementAt(w, s);
  await runPlacement(h, p, 'COMPLETED');
  const rows: { id: string; role: string }[] = await h.dataSource.query(`SELECT id, role FROM assessment_task WHERE placement_id = $1`, [
    p.placementId,
  ]);
  const task = (role: string) => rows.find((r) => r.role === role)!.id;
  return {
    student: s,
    placement: p,
    supervisorTask: task('SUPERVISOR_ASSESSMENT'),
    teacherTask: task('TEACHER_EVALUATION'),
    siteTask: task('SITE_EVALUATION'),
  };
}

const outboxOf = (submissionId: string) =>
  h.dataSource.query(`SELECT event_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY sequence`, [submissionId]) as Promise<
    { event_type: string; payload: Record<string, unknown> }[]
  >;

describe('drafts and submission of a mini-CEX', () => {
  it('saves a partial draft, seen by its author only, then submits it: the task is SUBMITTED and AssessmentSubmitted is in the outbox', async () => {
    const { student, supervisorTask } = await completedPlacement();
    const draft = ok(
      await h.call(w.ciD1.actor, DRAFT, {
        input: {
          taskId: supervisorTask,
          responses: [
            { itemKey: 'history', rating: 7 },
            { itemKey: 'strengths', text: 'Structured history' },
          ],
          comment: 'Busy ward',
        },
      }),
    );
    expect(draft.saveDraft).toMatchObject({
      status: 'DRAFT',
      version: 1,
      comment: 'Busy ward',
      submittedAt: null,
      task: { status: 'PENDING' },
    });
    expect(draft.saveDraft.responses.map((r: { itemKey: string }) => r.itemKey)).toEqual(['history', 'strengths']);
    // A second draft lays its answers over the first; an empty answer clears one.
    const again = ok(
      await h.call(w.ciD1.actor, DRAFT, {
        input: { taskId: supervisorTask, responses: [{ itemKey: 'examination', rating: 6 }, { itemKey: 'strengths' }] },
      }),
    );
    expect(again.saveDraft.responses.map((r: { itemKey: string }) => r.itemKey)).toEqual(['history', 'examination']);
    expect(ok(await h.call(student.actor, TASK, { id: supervisorTask })).assessmentTask.submission).toBeNull();

    const rest = miniCex(6).filter((r) => !['history', 'examination', 'professionalism'].includes(r.itemKey));
    const { submitAssessment } = ok(
      await h.call(w.ciD1.actor, SUBMIT, {
        input: { taskId: supervisorTask, responses: [...rest, { itemKey: 'professionalism', notApplicable: true }] },
      }),
    );
    expect(submitAssessment).toMatchObject({ status: 'SUBMITTED', version: 1, comment: 'Busy ward', task: { status: 'SUBMITTED' } });
    expect(submitAssessment.responses.find((r: { itemKey: string }) => r.itemKey === 'history').rating).toBe(7);
    // The student and their school now see the answers.
    expect(ok(await h.call(student.actor, TASK, { id: supervisorTask })).assessmentTask.submission).toEqual({
      id: submitAssessment.id,
      status: 'SUBMITTED',
    });

    const [event] = await outboxOf(submitAssessment.id);
    expect(event).toMatchObject({
      event_type: 'AssessmentSubmitted',
      payload: {
        taskId: supervisorTask,
        submissionId: submitAssessment.id,
        version: 1,
        studentId: student.id,
        instrumentKind: 'MINI_CEX',
        purpose: 'SUMMATIVE',
        assessorId: w.ciD1.id,
      },
    });
    const results = event!.payload.competencyResults as { competencyId: string; itemKey: string; value: number }[];
    expect(results).toContainEqual(
      expect.objectContaining({
        competencyId: competency['aamc-core-epas/EPA 1'],
        itemKey: 'history',
        value: 7,
        scaleType: 'LIKERT',
        min: 1,
        max: 9,
      }),
    );
    // N/A gives no evidence.
    expect(results.some((r) => r.itemKey === 'professionalism')).toBe(false);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM competency_observation WHERE submission_id = $1`, [
      submitAssessment.id,
    ]);
    expect(n).toBe(results.length);
  });

  it('refuses an invalid mini-CEX naming the item, and writes nothing', async () => {
    const { supervisorTask } = await completedPlacement();
    const before = await rowCounts(h);
    const submit = (responses: object[]) => h.call(w.ciD1.actor, SUBMIT, { input: { taskId: supervisorTask, responses } });

    const missing = await submit(miniCex(6).filter((r) => r.itemKey !== 'overall'));
    expect(refusalOf(missing)).toBe('BAD_USER_INPUT/INVALID_RESPONSES');
    expect(missing.errors?.[0]?.message).toContain("item 'overall' (Overall clinical competence) is required");
    expect(badFields(missing)).toEqual(['responses.overall']);
    expect(badFields(await submit(miniCex(6, { judgement: { rating: 10 } })))).toEqual(['responses.judgement']);
    expect(badFields(await submit(miniCex(6, { overall: { rating: null, notApplicable: true } })))).toEqual(['responses.overall']);
    expect(badFields(await submit([...miniCex(6), { itemKey: 'bedside-manner', rating: 5 }]))).toEqual(['responses.bedside-manner']);
    const two = await submit(miniCex(6, { history: { rating: 0 }, overall: { rating: null } }));
    expect(badFields(two)).toEqual(['responses.history', 'responses.overall']);
    expect((two.errors?.[0]?.extensions?.fields as { reason: string }[]).map((f) => f.reason)).toEqual([
      'VALUE_OFF_SCALE',
      'MISSING_REQUIRED_ITEM',
    ]);
    expect(badFields(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: 'nope', responses: [] } }))).toEqual(['taskId']);
    expect(
      badFields(await h.call(w.ciD1.actor, DRAFT, { input: { taskId: supervisorTask, responses: [{ itemKey: 'history', rating: 12 }] } })),
    ).toEqual(['responses.history']);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('lets only the assessor work on a task, only while it is pending and not overdue', async () => {
    const { student, supervisorTask, teacherTask } = await completedPlacement();
    expect(codes(await h.call(w.ciD2.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(5) } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorA.actor, DRAFT, { input: { taskId: supervisorTask, responses: [] } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(student.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(5) } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(networkAdmin(), SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(5) } }))).toEqual([
      'FORBIDDEN',
    ]);
    // The student's own evaluation is theirs; the teacher evaluated cannot fill it in.
    expect(codes(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: teacherTask, responses: [] } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: randomUUID(), responses: [] } }))).toEqual(['NOT_FOUND']);

    ok(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(5) } }));
    expect(refusalOf(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(9) } }))).toBe(
      'CONFLICT/TASK_NOT_PENDING',
    );
    expect(refusalOf(await h.call(w.ciD1.actor, DRAFT, { input: { taskId: supervisorTask, responses: [] } }))).toBe(
      'CONFLICT/TASK_NOT_PENDING',
    );

    const overdue = await completedPlacement();
    await h.dataSource.query(`UPDATE assessment_task SET due_at = now() - interval '1 minute' WHERE id = $1`, [overdue.supervisorTask]);
    expect(refusalOf(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: overdue.supervisorTask, responses: miniCex(5) } }))).toBe(
      'CONFLICT/TASK_OVERDUE',
    );
  });
});

describe('amendments', () => {
  it('records who, when and why, keeps the original, updates the evidence and publishes the next version', async () => {
    const { student, supervisorTask } = await completedPlacement();
    const submitted = ok(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex(4) } })).submitAssessment;
    const amend = (responses: object[], reason = 'Mixed up two students on the ward round', actor = w.ciD1.actor) =>
      h.call(actor, AMEND, { input: { submissionId: submitted.id, responses, reason } });

    const { amendSubmission } = ok(await amend([{ itemKey: 'history', rating: 8 }]));
    expect(amendSubmission).toMatchObject({ version: 2, status: 'SUBMITTED' });
    expect(amendSubmission.responses.find((r: { itemKey: string }) => r.itemKey === 'history').rating).toBe(8);
    expect(amendSubmission.originalResponses.find((r: { itemKey: string }) => r.itemKey === 'history').rating).toBe(4);
    expect(amendSubmission.amendments).toEqual([
      expect.objectContaining({
        version: 2,
        reason: 'Mixed up two students on the ward round',
        changedItemKeys: ['history'],
        amendedBy: { id: w.ciD1.id },
      }),
    ]);
    const events = await outboxOf(submitted.id);
    expect(events.map((e) => [e.event_type, e.payload.version])).toEqual([
      ['AssessmentSubmitted', 1],
      ['AssessmentSubmitted', 2],
    ]);
    const [{ value }] = await h.dataSource.query(
      `SELECT value FROM competency_observation WHERE submission_id = $1 AND item_key = 'history' LIMIT 1`,
      [submitted.id],
    );
    expect(value).toBe(8);

    const before = await rowCounts(h);
    expect(refusalOf(await amend([{ itemKey: 'history', rating: 8 }]))).toBe('BAD_USER_INPUT/AMENDMENT_CHANGES_NOTHING');
    expect(badFields(await amend([{ itemKey: 'history', rating: 3 }], ''))).toEqual(['reason']);
    expect(badFields(await amend([{ itemKey: 'overall', rating: null }]))).toEqual(['responses.overall']);
    expect(codes(await amend([{ itemKey: 'history', rating: 2 }], 'Because I can', w.ciD2.actor))).toEqual(['FORBIDDEN']);
    expect(codes(await amend([{ itemKey: 'history', rating: 9 }], 'I deserve better', student.actor))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await h.call(w.ciD1.actor, AMEND, {
          input: { submissionId: randomUUID(), responses: [{ itemKey: 'history', rating: 3 }], reason: 'Typo in the form' },
        }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await rowCounts(h)).toEqual(before);
  });

  it('refuses to amend a draft, or an evaluation', async () => {
    const { student, supervisorTask, siteTask } = await completedPlacement();
    const draft = ok(
      await h.call(w.ciD1.actor, DRAFT, { input: { taskId: supervisorTask, responses: [{ itemKey: 'history', rating: 5 }] } }),
    ).saveDraft;
    expect(
      refusalOf(
        await h.call(w.ciD1.actor, AMEND, {
          input: { submissionId: draft.id, responses: [{ itemKey: 'history', rating: 6 }], reason: 'Second thoughts' },
        }),
      ),
    ).toBe('CONFLICT/SUBMISSION_NOT_SUBMITTED');
    const answers = ['orientation', 'supervision', 'opportunities', 'climate', 'overall'].map((itemKey) => ({ itemKey, rating: 2 }));
    const evaluation = ok(await h.call(student.actor, SUBMIT, { input: { taskId: siteTask, responses: answers } })).submitAssessment;
    expect(
      refusalOf(
        await h.call(student.actor, AMEND, {
          input: { submissionId: evaluation.id, responses: [{ itemKey: 'overall', rating: 5 }], reason: 'They were nicer later' },
        }),
      ),
    ).toBe('CONFLICT/EVALUATION_NOT_AMENDABLE');
  });
});

describe('evaluations of sites and teachers', () => {
  it('are their author’s alone: no identified event, no evidence, and nobody else reads the answers', async () => {
    const { student, teacherTask } = await completedPlacement();
    const answers = ['explains', 'feedback', 'observes', 'role-model', 'respect', 'overall'].map((itemKey) => ({ itemKey, rating: 1 }));
    const { submitAssessment } = ok(
      await h.call(student.actor, SUBMIT, {
        input: { taskId: teacherTask, responses: [...answers, { itemKey: 'comments', text: 'Never around' }] },
      }),
    );
    // Only the pseudonymous EvaluationSubmitted for the quality rollups: never AssessmentSubmitted,
    // and nothing in it (payload or metadata) names the student or carries their comment.
    const events = await outboxOf(submitAssessment.id);
    expect(events.map((e) => e.event_type)).toEqual(['EvaluationSubmitted']);
    expect(JSON.stringify(events)).not.toContain(student.id);
    expect(JSON.stringify(events)).not.toContain('Never around');
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM competency_observation WHERE submission_id = $1`, [
      submitAssessment.id,
    ]);
    expect(n).toBe(0);

    const ENTITY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Submission { id responses { itemKey rating text } } } }`;
    const reps = { reps: [{ __typename: 'Submission', id: submitAssessment.id }] };
    expect(ok(await h.call(student.actor, ENTITY, reps))._entities[0].responses).toHaveLength(7);
    for (const actor of [w.ciD1.actor, w.coordinatorH.actor, w.qualityH.actor, w.coordinatorA.actor, networkAdmin()])
      expect(codes(await h.call(actor, ENTITY, reps))).toEqual(['FORBIDDEN']);
    // The school follows up on the task, but never reads its answers.
    expect(ok(await h.call(w.coordinatorA.actor, TASK, { id: teacherTask })).assessmentTask).toMatchObject({
      status: 'SUBMITTED',
      submission: null,
    });
  });
});

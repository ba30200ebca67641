import { randomUUID } from 'node:crypto';
import { evaluatorPseudonym } from '../src/data/evaluation-event';
import { buildWorld, placementAt, registerStudent, runPlacement, type World } from './support/fixtures';
import { type AssessmentHarness, ok, startAssessment } from './support/harness';

/** EvaluationSubmitted: what quality learns of a learner's evaluation, and what it never learns. */
let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const TEACHER_ITEMS = ['explains', 'feedback', 'observes', 'role-model', 'respect', 'overall'];

interface Written {
  aggregate_id: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

describe('EvaluationSubmitted', () => {
  it('is written with the submission, names the evaluator only by a keyed pseudonym, and routes to quality only', async () => {
    const student = await registerStudent(h, w.schoolA);
    const blockId = randomUUID();
    const placement = placementAt(w, student, { blockId, departmentId: w.d2, supervisorId: w.ciD2.id, hospitalId: w.hospitalH });
    await runPlacement(h, placement, 'COMPLETED');
    const [task] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = 'TEACHER_EVALUATION'`, [
      placement.placementId,
    ]);
    const responses = [
      ...TEACHER_ITEMS.map((itemKey, i) => ({ itemKey, rating: 1 + (i % 5) })),
      { itemKey: 'comments', text: `Written by ${student.id}` },
    ];
    const submissionId = ok(await h.call(student.actor, SUBMIT, { input: { taskId: task.id, responses } })).submitAssessment.id;

    const rows: Written[] = await h.dataSource.query(
      `SELECT aggregate_id, payload, metadata FROM outbox WHERE event_type = 'EvaluationSubmitted' AND aggregate_id = $1`,
      [submissionId],
    );
    expect(rows).toHaveLength(1);
    const payload = rows[0]!.payload;
    expect(payload).toMatchObject({
      submissionId,
      kind: 'TEACHER_EVALUATION',
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentId: w.d2,
      teacherId: w.ciD2.id,
      blockId,
      placementId: placement.placementId,
      evaluatorPseudonym: evaluatorPseudonym(student.id),
    });
    expect((payload.itemScores as { itemKey: string; value: number }[]).map((s) => [s.itemKey, s.value])).toEqual(
      TEACHER_ITEMS.map((k, i) => [k, 1 + (i % 5)]),
    );
    // The evaluator's id (and the free-text comment) appear nowhere in what leaves the service.
    expect(JSON.stringify(payload)).not.toContain(student.id);
    expect(JSON.stringify(rows[0]!.metadata)).not.toContain(student.id);
    expect(JSON.stringify(payload)).not.toContain('Written by');
    expect(JSON.stringify(payload)).not.toContain(task.id);
    expect(payload.evaluatorPseudonym).not.toBe(evaluatorPseudonym(student.id, 'another-key-of-sixteen-chars'));
    const deliveries = await h.dataSource.query(
      `SELECT d.consumer FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.aggregate_id = $1`,
      [submissionId],
    );
    expect(deliveries).toEqual([{ consumer: 'quality' }]);
  });
});

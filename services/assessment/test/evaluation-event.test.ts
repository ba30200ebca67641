import { randomUUID } from 'node:crypto';
import { evaluatorPseudonym } from '../src/data/evaluation-event';
import { AgreementActivated, ProgramPublished } from '@medcollab/events';
import { buildWorld, emit, enrol, placementAt, registerStudent, runPlacement, type World } from './support/fixtures';
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
      evaluatorPseudonym: evaluatorPseudonym(student.id),
    });
    // Nor the placement: with the placement events quality holds, it would name the student (ADR 0047).
    expect(JSON.stringify(payload)).not.toContain(placement.placementId);
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

  it("names the student's program and the module the placement belongs to: the first of the program's modules integrating the department's specialty", async () => {
    const programId = randomUUID();
    const [basics, surgery, laterSurgery] = [randomUUID(), randomUUID(), randomUUID()];
    // d2 is a surgery department (the network says so with an agreement's activation).
    const agreementId = randomUUID();
    await emit(h, AgreementActivated, agreementId, {
      agreementId,
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentIds: [w.d1, w.d2],
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
      departmentSpecialties: [
        { departmentId: w.d1, specialty: 'PSYCHIATRY' },
        { departmentId: w.d2, specialty: 'SURGERY' },
      ],
    });
    const module = (moduleId: string, disciplines: string[]) => ({
      moduleId,
      title: 'M',
      competencyIds: [],
      teachingMinutes: [],
      disciplines,
    });
    await emit(h, ProgramPublished, programId, {
      programId,
      schoolId: w.schoolA,
      title: 'Medicine',
      competencyIds: [],
      teachingMinutes: [],
      modules: [module(basics, ['ANATOMY']), module(surgery, ['PATHOLOGY', 'SURGERY']), module(laterSurgery, ['SURGERY'])],
      publishedAt: '2026-09-01T00:00:00.000Z',
    });
    const evaluate = async (departmentId: string, supervisorId: string, enrolled: boolean) => {
      const student = await registerStudent(h, w.schoolA);
      if (enrolled) await enrol(h, student, programId);
      const placement = placementAt(w, student, { blockId: randomUUID(), departmentId, supervisorId, hospitalId: w.hospitalH });
      await runPlacement(h, placement, 'COMPLETED');
      const [task] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = 'SITE_EVALUATION'`, [
        placement.placementId,
      ]);
      const responses = ['orientation', 'supervision', 'opportunities', 'climate', 'overall'].map((itemKey) => ({ itemKey, rating: 4 }));
      const id = ok(await h.call(student.actor, SUBMIT, { input: { taskId: task.id, responses } })).submitAssessment.id;
      const [row] = await h.dataSource.query(`SELECT payload FROM outbox WHERE event_type = 'EvaluationSubmitted' AND aggregate_id = $1`, [
        id,
      ]);
      return { programId: row.payload.programId, moduleId: row.payload.moduleId };
    };
    expect(await evaluate(w.d2, w.ciD2.id, true)).toEqual({ programId, moduleId: surgery });
    // A psychiatry department: no module of the program integrates it.
    expect(await evaluate(w.d1, w.ciD1.id, true)).toEqual({ programId, moduleId: null });
    // A student without an enrolment: neither.
    expect(await evaluate(w.d2, w.ciD2.id, false)).toEqual({ programId: null, moduleId: null });
  });
});

it("has a reversible migration for programs' modules and departments' specialties", async () => {
  const tables = () =>
    h.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_name IN ('known_program_module', 'known_department_specialty') ORDER BY 1`,
    );
  expect(await tables()).toHaveLength(2);
  await h.dataSource.undoLastMigration();
  expect(await tables()).toEqual([]);
  await h.dataSource.runMigrations();
  expect(await tables()).toHaveLength(2);
});

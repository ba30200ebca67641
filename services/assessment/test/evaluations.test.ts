import { randomUUID } from 'node:crypto';
import { networkAdmin, staffOf } from './support/actors';
import {
  activateAgreement,
  buildWorld,
  type PlacementFacts,
  placementAt,
  registerStaff,
  registerStudent,
  runPlacement,
  type StaffRef,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, badFields, codes, ok, startAssessment } from './support/harness';

/** Evaluations of teachers and sites, with k = 3 so the thresholds are reachable in a few steps. */
let h: AssessmentHarness;
let w: World;

beforeAll(async () => {
  h = await startAssessment({ minEvaluators: 3, teacherMinBlocks: 2 });
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const TEACHING = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on StaffMember { teachingEvaluation {
  released withheldReason minimumEvaluators minimumBlocks evaluatorCount blockCount items { itemKey label mean responseCount scaleMin scaleMax } } } } }`;
const CELL = `released suppression evaluationCount evaluatorCount overallMean items { itemKey mean responseCount }`;
const REPORT = `query($hospital: ID!, $year: String!) { qualityReport: evaluationReport(hospitalId: $hospital, academicYear: $year) { academicYear minimumEvaluators hospital { id } blocks { id }
  rows { department { id } cells { ${CELL} } total { ${CELL} } } blockTotals { ${CELL} } total { ${CELL} } } }`;
const DEPARTMENT = `query($reps: [_Any!]!, $year: String!) { _entities(representations: $reps) { ... on Department { quality: evaluationQuality(academicYear: $year) { department { id } blocks { id } cells { ${CELL} } total { ${CELL} } } } } }`;

const TEACHER_ITEMS = ['explains', 'feedback', 'observes', 'role-model', 'respect', 'overall'];
const SITE_ITEMS = ['orientation', 'supervision', 'opportunities', 'climate', 'overall'];

/** A student's completed placement in `blockId`, and their evaluations submitted with `rating` (null: left pending). */
async function evaluated(
  blockId: string,
  departmentId: string,
  supervisor: string,
  rating: number | null,
  startsOn = '2026-09-07',
  hospitalId = w.hospitalH,
): Promise<{ student: StudentRef; placement: PlacementFacts }> {
  const student = await registerStudent(h, w.schoolA);
  const placement = placementAt(w, student, { blockId, departmentId, supervisorId: supervisor, startsOn, hospitalId });
  await runPlacement(h, placement, 'COMPLETED');
  if (rating !== null) {
    const tasks: { id: string; role: string }[] = await h.dataSource.query(
      `SELECT id, role FROM assessment_task WHERE placement_id = $1 AND assessor_id = $2`,
      [placement.placementId, student.id],
    );
    for (const t of tasks) {
      const items = t.role === 'TEACHER_EVALUATION' ? TEACHER_ITEMS : SITE_ITEMS;
      ok(
        await h.call(student.actor, SUBMIT, {
          input: {
            taskId: t.id,
            responses: [...items.map((itemKey) => ({ itemKey, rating })), { itemKey: 'comments', text: `Said by ${student.id}` }],
          },
        }),
      );
    }
  }
  return { student, placement };
}
const teaching = async (actor: Parameters<typeof h.call>[0], teacherId: string) =>
  h.call(actor, TEACHING, { reps: [{ __typename: 'StaffMember', id: teacherId }] });

describe('StaffMember.teachingEvaluation', () => {
  it('stays withheld until k evaluators across two closed blocks stand behind it, then shows means only', async () => {
    const teacher = w.ciD2;
    const [b1, b2, b3] = [randomUUID(), randomUUID(), randomUUID()];
    await evaluated(b1, w.d2, teacher.id, 4);
    await evaluated(b1, w.d2, teacher.id, 2);
    await evaluated(b1, w.d2, teacher.id, 3);
    // Three evaluators, one block: not yet (a single block is a small, known group).
    expect(ok(await teaching(teacher.actor, teacher.id))._entities[0].teachingEvaluation).toMatchObject({
      released: false,
      withheldReason: 'TOO_FEW_BLOCKS',
      evaluatorCount: null,
      items: [],
    });

    // A second block whose evaluation is still pending is not closed: nothing moves.
    const pending = await evaluated(b2, w.d2, teacher.id, null);
    expect(ok(await teaching(teacher.actor, teacher.id))._entities[0].teachingEvaluation.released).toBe(false);
    const [task] = await h.dataSource.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = 'TEACHER_EVALUATION'`, [
      pending.placement.placementId,
    ]);
    ok(
      await h.call(pending.student.actor, SUBMIT, {
        input: { taskId: task.id, responses: TEACHER_ITEMS.map((itemKey) => ({ itemKey, rating: 5 })) },
      }),
    );
    // Its site evaluation is still pending, but that is the site's business, not the teacher's.
    const released = ok(await teaching(teacher.actor, teacher.id))._entities[0].teachingEvaluation;
    expect(released).toMatchObject({
      released: true,
      withheldReason: null,
      minimumEvaluators: 3,
      minimumBlocks: 2,
      evaluatorCount: 4,
      blockCount: 2,
    });
    expect(released.items).toHaveLength(6);
    expect(released.items[0]).toEqual({
      itemKey: 'explains',
      label: 'Explained concepts clearly',
      mean: 3.5,
      responseCount: 4,
      scaleMin: 1,
      scaleMax: 5,
    });
    expect(JSON.stringify(released)).not.toContain('Said by');

    // One more block with a single evaluator would tell that evaluator's answers by difference: it waits.
    await evaluated(b3, w.d2, teacher.id, 1);
    expect(ok(await teaching(teacher.actor, teacher.id))._entities[0].teachingEvaluation).toMatchObject({
      evaluatorCount: 4,
      blockCount: 2,
      items: expect.arrayContaining([expect.objectContaining({ mean: 3.5 })]),
    });
  });

  it('is read by the teacher, quality officers of their hospital and of its partner schools, and network admins only', async () => {
    for (const actor of [w.qualityH.actor, w.qualityA.actor, networkAdmin()]) expect(codes(await teaching(actor, w.ciD2.id))).toEqual([]);
    for (const actor of [w.ciD1.actor, w.coordinatorH.actor, w.coordinatorA.actor, w.qualityB, staffOf(w.schoolA, 'STUDENT')]) {
      const refused = await teaching(actor, w.ciD2.id);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data?._entities[0].teachingEvaluation).toBeNull();
    }
  });
});

describe('qualityReport and Department.quality', () => {
  const year = '2026-2027';
  let x: string;
  let y: string;
  /** A hospital of its own, so the table holds only what these tests put in it. */
  const hospital = randomUUID();
  const [g1, g2] = [randomUUID(), randomUUID()];
  let ci1: StaffRef;
  let ci2: StaffRef;
  let quality: StaffRef;

  beforeAll(async () => {
    await activateAgreement(h, w.schoolA, hospital, [g1, g2]);
    ci1 = await registerStaff(h, hospital, ['CLINICAL_INSTRUCTOR'], g1);
    ci2 = await registerStaff(h, hospital, ['CLINICAL_INSTRUCTOR'], g2);
    quality = await registerStaff(h, hospital, ['QUALITY_OFFICER']);
    [x, y] = [randomUUID(), randomUUID()];
    // g1: 3 evaluators in block X, 4 in Y; g2: 1 in X (too few), 3 in Y. Block Z is still open.
    for (const r of [5, 4, 3]) await evaluated(x, g1, ci1.id, r, '2026-09-07', hospital);
    for (const r of [2, 3, 4, 5]) await evaluated(y, g1, ci1.id, r, '2026-11-02', hospital);
    await evaluated(x, g2, ci2.id, 1, '2026-09-07', hospital);
    for (const r of [4, 4, 4]) await evaluated(y, g2, ci2.id, r, '2026-11-02', hospital);
    await evaluated(randomUUID(), g1, ci1.id, null, '2027-01-11', hospital);
  });

  it('shows departments × closed blocks with totals, hiding the small cell and what would give it away', async () => {
    const { qualityReport } = ok(await h.call(quality.actor, REPORT, { hospital, year }));
    expect(qualityReport).toMatchObject({ academicYear: year, minimumEvaluators: 3, hospital: { id: hospital } });
    // Block Z (a pending evaluation) is not a column.
    const blockIds = qualityReport.blocks.map((b: { id: string }) => b.id);
    expect(blockIds).toEqual([x, y]);
    expect(qualityReport.rows.map((r: { department: { id: string } }) => r.department.id)).toEqual([g1, g2].sort());
    const row = (d: string) => qualityReport.rows.find((r: { department: { id: string } }) => r.department.id === d);
    const [d1x, d1y] = row(g1).cells;
    const [d2x] = row(g2).cells;
    expect(d2x).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS', evaluationCount: null, overallMean: null, items: [] });
    // Something on d2x's row and column is hidden with it: it cannot be worked out from the totals.
    const hiddenInColumnX = qualityReport.rows.filter(
      (r: { cells: { released: boolean }[] }) => !r.cells[blockIds.indexOf(x)]!.released,
    ).length;
    const rowD2Hidden = row(g2).cells.filter((c: { released: boolean }) => !c.released).length + (row(g2).total.released ? 0 : 1);
    expect(hiddenInColumnX + (qualityReport.blockTotals[blockIds.indexOf(x)].released ? 0 : 1)).toBeGreaterThanOrEqual(2);
    expect(rowD2Hidden).toBeGreaterThanOrEqual(2);
    // g1's cells go with d2x (its column complement, then the row that complement unbalances):
    // hidden cells show no count and no mean, so nothing hidden can be read off what is shown.
    expect([d1x.released, d1y.released]).toEqual([false, false]);
    expect(d1y).toMatchObject({ evaluationCount: null, overallMean: null });
    expect(JSON.stringify(qualityReport)).not.toContain('Said by');
  });

  it('gives a department its row of the same table', async () => {
    const { qualityReport } = ok(await h.call(w.qualityA.actor, REPORT, { hospital, year }));
    const reps = [g1, g2].map((id) => ({ __typename: 'Department', id }));
    h.counter.reset();
    const { _entities } = ok(await h.call(w.qualityA.actor, DEPARTMENT, { reps, year }));
    // Both departments share one computation of the hospital's report.
    expect(h.counter.count).toBeLessThanOrEqual(6);
    for (const [i, d] of [g1, g2].entries()) {
      const row = qualityReport.rows.find((r: { department: { id: string } }) => r.department.id === d);
      expect(_entities[i].quality).toEqual({ department: { id: d }, blocks: qualityReport.blocks, cells: row.cells, total: row.total });
    }
  });

  it('is read by quality officers of the hospital and its partner schools only; bad input names the field', async () => {
    for (const actor of [staffOf(hospital, 'COORDINATOR'), ci1.actor, w.qualityH.actor, w.qualityB, staffOf(w.schoolA, 'COORDINATOR')]) {
      expect(codes(await h.call(actor, REPORT, { hospital, year }))).toEqual(['FORBIDDEN']);
      const dep = await h.call(actor, DEPARTMENT, { reps: [{ __typename: 'Department', id: g1 }], year });
      expect(codes(dep)).toEqual(['FORBIDDEN']);
      expect(dep.data?._entities[0].quality).toBeNull();
    }
    expect(badFields(await h.call(quality.actor, REPORT, { hospital, year: '2026' }))).toEqual(['academicYear']);
    expect(ok(await h.call(networkAdmin(), REPORT, { hospital, year: '2030-2031' })).qualityReport).toMatchObject({
      blocks: [],
      rows: [],
      total: { released: true, evaluationCount: 0 },
    });
  });
});

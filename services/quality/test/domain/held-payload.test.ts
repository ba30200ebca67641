import { heldPayload } from '../../src/domain/held-payload';

/** Quality keeps no id that leads from an evaluation to its evaluator (ADR 0047). */
describe('heldPayload', () => {
  const task = { taskId: 't', assessorId: 'student', studentId: 'student', placementId: 'p', departmentId: 'd', submittedAt: 'x' };

  it("drops an evaluation task's assessor, student and placement, and an evaluation's placement", () => {
    for (const role of ['SITE_EVALUATION', 'TEACHER_EVALUATION'])
      for (const type of ['AssessmentTaskAssigned', 'AssessmentTaskSubmitted', 'AssessmentTaskExpired'])
        expect(heldPayload(type, { ...task, role })).toEqual({ taskId: 't', departmentId: 'd', submittedAt: 'x', role });
    expect(heldPayload('EvaluationSubmitted', { submissionId: 's', placementId: 'p', evaluatorPseudonym: 'e' })).toEqual({
      submissionId: 's',
      evaluatorPseudonym: 'e',
    });
  });

  it('keeps every other event as it came, a supervisor’s task with its assessor', () => {
    const supervisorTask = { ...task, role: 'SUPERVISOR_ASSESSMENT' };
    expect(heldPayload('AssessmentTaskSubmitted', supervisorTask)).toBe(supervisorTask);
    const placement = { placementId: 'p', studentId: 'student' };
    expect(heldPayload('PlacementConfirmed', placement)).toBe(placement);
    const evaluation = { submissionId: 's', evaluatorPseudonym: 'e' };
    expect(heldPayload('EvaluationSubmitted', evaluation)).toBe(evaluation);
  });
});

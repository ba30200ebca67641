import { createHash, randomUUID } from 'node:crypto';
import {
  AgreementActivated,
  AssessmentTaskAssigned,
  AssessmentTaskSubmitted,
  type EventEnvelope,
  EvaluationSubmitted,
} from '@medcollab/events';
import { envelope } from './events';

/**
 * A small hand-made network whose figures the tests know by heart:
 * - school S1 partners with hospital H1, school S2 with hospital H2;
 * - H1's department D1 has teachers T1 (6 evaluators) and T2 (3), D2 has T3 (7); H2's D3 has T4 (5);
 * - D1's supervisor T1 submitted two tasks: one on time after 3 days, one late after 20.
 * Teacher evaluations are by S1 students, except T3's, by S2 students.
 */
export const YEAR = '2026-2027';
export const BLOCK = '5b1c0000-0000-4000-8000-000000000001';

export function scenario() {
  const id = () => randomUUID();
  const s = { S1: id(), S2: id(), H1: id(), H2: id(), D1: id(), D2: id(), D3: id(), T1: id(), T2: id(), T3: id(), T4: id() };
  const events: EventEnvelope[] = [];
  const agreement = (schoolId: string, hospitalId: string, departmentIds: string[]) => {
    const agreementId = id();
    events.push(
      envelope(AgreementActivated, agreementId, {
        agreementId,
        schoolId,
        hospitalId,
        departmentIds,
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
        departmentSpecialties: departmentIds.map((departmentId) => ({ departmentId, specialty: 'SURGERY' as const })),
      }),
    );
  };
  agreement(s.S1, s.H1, [s.D1, s.D2]);
  agreement(s.S2, s.H2, [s.D3]);
  const evaluate = (n: number, schoolId: string, hospitalId: string, departmentId: string, teacherId: string, score: number) => {
    for (let i = 0; i < n; i++) {
      const submissionId = id();
      events.push(
        envelope(EvaluationSubmitted, submissionId, {
          submissionId,
          kind: 'TEACHER_EVALUATION',
          evaluatorPseudonym: createHash('sha256').update(`evaluator-${teacherId}-${i}`).digest('hex'),
          schoolId,
          hospitalId,
          departmentId,
          teacherId,
          blockId: BLOCK,
          placementId: id(),
          academicYear: YEAR,
          submittedAt: '2026-10-20T10:00:00.000Z',
          itemScores: [
            { itemKey: 'explains', label: 'Explains', value: score, min: 1, max: 5 },
            { itemKey: 'feedback', label: 'Feedback', value: score, min: 1, max: 5 },
          ],
        }),
      );
    }
  };
  evaluate(6, s.S1, s.H1, s.D1, s.T1, 4);
  evaluate(3, s.S1, s.H1, s.D1, s.T2, 2);
  evaluate(7, s.S2, s.H1, s.D2, s.T3, 5);
  evaluate(5, s.S2, s.H2, s.D3, s.T4, 3);
  const task = (days: number, dueInDays: number) => {
    const taskId = id();
    const assignedAt = new Date('2026-10-01T00:00:00.000Z');
    const facts = {
      taskId,
      assessorId: s.T1,
      role: 'SUPERVISOR_ASSESSMENT' as const,
      instrumentId: id(),
      instrumentKind: 'MINI_CEX' as const,
      instrumentTitle: 'Mini-CEX',
      purpose: 'FORMATIVE' as const,
      studentId: id(),
      schoolId: s.S1,
      subjectStaffId: null,
      departmentId: s.D1,
      placementId: id(),
      hospitalId: s.H1,
      blockId: BLOCK,
      dueAt: new Date(assignedAt.getTime() + dueInDays * 86_400_000).toISOString(),
    };
    events.push(envelope(AssessmentTaskAssigned, taskId, { ...facts, assignedAt: assignedAt.toISOString() }, 1));
    const submittedAt = new Date(assignedAt.getTime() + days * 86_400_000 + 3_600_000).toISOString();
    events.push(envelope(AssessmentTaskSubmitted, taskId, { ...facts, submittedAt }, 2));
  };
  task(3, 14);
  task(20, 14);
  return { ids: s, events };
}

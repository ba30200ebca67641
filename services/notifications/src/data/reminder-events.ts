import { AssessmentReminderSent, createOutbox } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

const outbox = createOutbox('notifications');

export interface SentTaskStep {
  id: string;
  taskId: string;
  audience: string;
  stepKey: string;
}

/**
 * Tells quality which assessment tasks needed a reminder (to the assessor) or an escalation (to
 * the coordinators), in the transaction that fires the steps or holds them for a digest: one
 * AssessmentReminderSent per step, written once because a step leaves PLANNED only once.
 * Quality counts them per completed task (issue 13, ADR 0031).
 */
export async function publishTaskReminders(em: EntityManager, steps: readonly SentTaskStep[], now: Date): Promise<void> {
  const sent = steps.filter((s) => s.audience === 'ASSESSOR' || s.audience === 'COORDINATORS');
  if (!sent.length) return;
  await outbox.appendMany(
    em,
    AssessmentReminderSent,
    sent.map((s) => ({
      aggregateId: s.id,
      payload: {
        stepId: s.id,
        taskId: s.taskId,
        kind: s.audience === 'COORDINATORS' ? ('ESCALATION' as const) : ('REMINDER' as const),
        stepKey: s.stepKey,
        sentAt: now.toISOString(),
      },
    })),
  );
}

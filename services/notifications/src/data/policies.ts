import { type EntityManager } from 'typeorm';
import { DEFAULT_POLICY, type ReminderPolicy, type ReminderPolicyInput } from '../domain/policy';
import { ReminderPolicyRow } from '../entities';

/** The school's policy, or the defaults when it never set one. */
export async function policyOf(em: EntityManager, institutionId: string): Promise<ReminderPolicy & { custom: boolean }> {
  const row = await em.getRepository(ReminderPolicyRow).findOneBy({ institutionId });
  if (!row) return { ...DEFAULT_POLICY, custom: false };
  return {
    steps: row.steps,
    quietFromHour: row.quietFromHour,
    quietUntilHour: row.quietUntilHour,
    skipWeekends: row.skipWeekends,
    perTaskDailyCap: row.perTaskDailyCap,
    perPersonDailyCap: row.perPersonDailyCap,
    menteeMeetingGapWeeks: row.menteeMeetingGapWeeks,
    menteeMeetingEscalationWeeks: row.menteeMeetingEscalationWeeks,
    custom: true,
  };
}

export async function savePolicy(em: EntityManager, input: ReminderPolicyInput, actorId: string, now: Date): Promise<void> {
  const { institutionId, ...policy } = input;
  await em.getRepository(ReminderPolicyRow).upsert({ institutionId, ...policy, updatedBy: actorId, updatedAt: now }, ['institutionId']);
}

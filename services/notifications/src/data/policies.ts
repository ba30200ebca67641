import { type EntityManager, In } from 'typeorm';
import { DEFAULT_POLICY, type ReminderPolicy, type ReminderPolicyInput } from '../domain/policy';
import { ReminderPolicyRow } from '../entities';

const fromRow = (row: ReminderPolicyRow | null): ReminderPolicy & { custom: boolean } => {
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
};

/** The school's policy, or the defaults when it never set one. */
export async function policyOf(em: EntityManager, institutionId: string): Promise<ReminderPolicy & { custom: boolean }> {
  return fromRow(await em.getRepository(ReminderPolicyRow).findOneBy({ institutionId }));
}

/** The policies of many schools in one statement (the defaults for those that never set one). */
export async function policiesOf(em: EntityManager, institutionIds: string[]): Promise<Map<string, ReminderPolicy & { custom: boolean }>> {
  const rows = await em.getRepository(ReminderPolicyRow).findBy({ institutionId: In(institutionIds) });
  return new Map(institutionIds.map((id) => [id, fromRow(rows.find((r) => r.institutionId === id) ?? null)]));
}

export async function savePolicy(em: EntityManager, input: ReminderPolicyInput, actorId: string, now: Date): Promise<void> {
  const { institutionId, ...policy } = input;
  await em.getRepository(ReminderPolicyRow).upsert({ institutionId, ...policy, updatedBy: actorId, updatedAt: now }, ['institutionId']);
}

import { instantAtLocal, localDay, localParts } from './local-time';
import { type Audience, type ReminderPolicy } from './policy';
import { nextAllowed } from './quiet-hours';

/** What the planner knows of a task (from assessment's events). */
export interface PlannedTask {
  dueAt: Date;
  assessorId: string;
}

/** A person who may be told, with the time zone of their institution. */
export interface Recipient {
  personId: string;
  timeZone: string;
}

export interface Recipients {
  assessor: Recipient;
  coordinators: Recipient[];
  qualityOffice: Recipient[];
}

/** One planned message: which rung, to whom, when. */
export interface PlanStep {
  stepKey: string;
  audience: Audience;
  recipientId: string;
  /** When the rung falls due by the ladder alone. */
  nominalAt: Date;
  /** When it fires: moved out of quiet hours, weekends and past a per-task daily cap. */
  fireAt: Date;
}

const recipientsOf = (audience: Audience, r: Recipients): Recipient[] =>
  audience === 'ASSESSOR' ? [r.assessor] : audience === 'COORDINATORS' ? r.coordinators : r.qualityOffice;

/**
 * The reminder plan of one task: every rung of the ladder for every recipient, moved to the
 * recipient's next allowed time, with at most `perTaskDailyCap` rungs of this task per
 * recipient and local day (a later rung that would exceed it moves to the next allowed day).
 * Rungs already past at `from` are left out (a re-plan keeps only what is still ahead), except
 * that nothing is lost when planning late: rungs are compared by their nominal time.
 */
export function planTask(
  task: PlannedTask,
  policy: ReminderPolicy,
  recipients: Recipients,
  from: Date,
  opts: { weeklySummary?: boolean } = {},
): PlanStep[] {
  const steps: PlanStep[] = [];
  const ordered = [...policy.steps].sort((a, b) => a.offsetHours - b.offsetHours);
  const perDay = new Map<string, number>();
  for (const rung of ordered) {
    const nominalAt = new Date(task.dueAt.getTime() + rung.offsetHours * 3_600_000);
    if (nominalAt.getTime() < from.getTime()) continue;
    const seen = new Set<string>();
    for (const person of recipientsOf(rung.audience, recipients)) {
      if (seen.has(person.personId)) continue;
      seen.add(person.personId);
      const window = { timeZone: person.timeZone, ...policy };
      if (rung.audience === 'QUALITY_OFFICE' && opts.weeklySummary !== false) {
        const slot = weeklySlot(nominalAt, person.timeZone, policy.quietUntilHour);
        steps.push({ stepKey: rung.key, audience: rung.audience, recipientId: person.personId, nominalAt, fireAt: slot });
        continue;
      }
      let fireAt = nextAllowed(nominalAt, window);
      for (let guard = 0; guard < 30; guard++) {
        const key = `${person.personId}|${localDay(fireAt, person.timeZone)}`;
        if ((perDay.get(key) ?? 0) < policy.perTaskDailyCap) {
          perDay.set(key, (perDay.get(key) ?? 0) + 1);
          break;
        }
        fireAt = nextAllowed(new Date(fireAt.getTime() + 24 * 3_600_000), window);
      }
      steps.push({ stepKey: rung.key, audience: rung.audience, recipientId: person.personId, nominalAt, fireAt });
    }
  }
  return steps;
}

/**
 * The quality office gets one weekly summary, not a message per task: its rungs fire at the
 * Monday morning (end of quiet hours, local time) on or after the rung, so every task escalated
 * to one officer in one week shares a slot and one message.
 */
export function weeklySlot(at: Date, timeZone: string, morningHour: number): Date {
  const p = localParts(at, timeZone);
  let days = (8 - p.weekday) % 7;
  if (days === 0 && p.hour >= morningHour) days = 7;
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return instantAtLocal(timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), morningHour);
}

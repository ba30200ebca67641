import { type PlannedTask } from './plan';
import { type ReminderPolicy } from './policy';

const DAY_MS = 86_400_000;

/**
 * The demo switch (REMINDERS_DEMO_SECONDS_PER_DAY, on in `pnpm start`): a newcomer should see a
 * task's reminders lapse in minutes, not weeks. Time from `from` (the assignment) is compressed
 * so that one day of the task's life lasts `secondsPerDay` seconds: the due time and every rung's
 * offset shrink by the same factor; quiet hours, weekends and the daily caps are switched off and
 * the quality office's rung fires on its own instead of waiting for Monday's summary. With 10 s
 * per day, a task due in 14 days reaches its assessor after 110 s (3 days before due), is due at
 * 140 s, overdue at 160 s, escalated at 190 s, and reaches the quality office at 240 s.
 */
export function compressForDemo(
  task: PlannedTask,
  policy: ReminderPolicy,
  from: Date,
  secondsPerDay: number,
): { task: PlannedTask; policy: ReminderPolicy } {
  const factor = (secondsPerDay * 1000) / DAY_MS;
  const dueAt = new Date(from.getTime() + Math.max(0, task.dueAt.getTime() - from.getTime()) * factor);
  return {
    task: { ...task, dueAt },
    policy: {
      ...policy,
      steps: policy.steps.map((s) => ({ ...s, offsetHours: s.offsetHours * factor })),
      // Equal bounds make the quiet window empty (src/domain/quiet-hours.ts).
      quietFromHour: 0,
      quietUntilHour: 0,
      skipWeekends: false,
      perTaskDailyCap: 1_000,
      perPersonDailyCap: 1_000,
    },
  };
}

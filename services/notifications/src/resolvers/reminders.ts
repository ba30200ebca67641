import { type IdArgs, optionalRef } from '@medcollab/kit';
import { type NotificationsContext } from '../context';
import { canSeeReminders } from '../domain/access-policy';
import { displayName } from '../domain/messages';
import { type ReminderStep } from '../entities';

/** AssessmentTask.reminders: the plan of a task, to the people the ladder concerns. */
export const reminderResolvers = {
  AssessmentTask: {
    // The reference carries only the id; `reminders` applies the policy on the task's facts.
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    reminders: async (t: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const task = await ctx.loaders.task.load(t.id);
      if (!task || !canSeeReminders(ctx.actor, task)) return null;
      return ctx.loaders.stepsByTask.load(t.id);
    },
  },
  ReminderStep: {
    recipientStaff: async (s: ReminderStep, _: unknown, ctx: NotificationsContext) => {
      const p = await ctx.loaders.person.load(s.recipientId);
      return p?.kind === 'STUDENT' ? null : optionalRef(s.recipientId);
    },
    recipientStudent: async (s: ReminderStep, _: unknown, ctx: NotificationsContext) => {
      const p = await ctx.loaders.person.load(s.recipientId);
      return p?.kind === 'STUDENT' ? optionalRef(s.recipientId) : null;
    },
    recipientName: async (s: ReminderStep, _: unknown, ctx: NotificationsContext) =>
      displayName((await ctx.loaders.person.load(s.recipientId)) ?? undefined, 'unknown person'),
  },
};

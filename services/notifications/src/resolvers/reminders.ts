import { type IdArgs, optionalRef } from '@medcollab/kit';
import { type NotificationsContext } from '../context';
import {
  canSeeMenteeReminders,
  canSeePlacementReminders,
  canSeeReminders,
  canSeeSwapReminders,
  windowRemindersScope,
} from '../domain/access-policy';
import { displayName } from '../domain/messages';
import { type ReminderStep } from '../entities';

// References carry only the id; each `reminders` field applies its policy on the subject's facts
// (as notifications' projection knows them) and answers null to callers who may not see the plan.
const reference = (r: IdArgs) => ({ id: r.id });

/** `reminders` on the five subjects of a plan: a task, a placement, a preference window, a swap request, a mentorship. */
export const reminderResolvers = {
  AssessmentTask: {
    __resolveReference: reference,
    reminders: async (t: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const task = await ctx.loaders.task.load(t.id);
      if (!task || !canSeeReminders(ctx.actor, task)) return null;
      return ctx.loaders.stepsByTask.load(t.id);
    },
  },
  Placement: {
    __resolveReference: reference,
    reminders: async (p: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const placement = await ctx.loaders.placement.load(p.id);
      if (!placement || !canSeePlacementReminders(ctx.actor, placement)) return null;
      return ctx.loaders.stepsByPlacement.load(p.id);
    },
  },
  SwapRequest: {
    __resolveReference: reference,
    reminders: async (s: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const swap = await ctx.loaders.swap.load(s.id);
      if (!swap || !canSeeSwapReminders(ctx.actor, swap)) return null;
      return ctx.loaders.stepsBySwap.load(s.id);
    },
  },
  PreferenceWindow: {
    __resolveReference: reference,
    reminders: async (w: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const window = await ctx.loaders.preferenceWindow.load(w.id);
      const scope = window ? windowRemindersScope(ctx.actor, window) : 'NONE';
      if (scope === 'NONE') return null;
      const steps = await ctx.loaders.stepsByWindow.load(w.id);
      return scope === 'ALL' ? steps : steps.filter((s) => s.recipientId === ctx.actor.personId);
    },
  },
  Mentorship: {
    __resolveReference: reference,
    reminders: async (m: IdArgs, _: unknown, ctx: NotificationsContext) => {
      const mentorship = await ctx.loaders.mentorship.load(m.id);
      if (!mentorship || !canSeeMenteeReminders(ctx.actor, mentorship)) return null;
      return ctx.loaders.stepsByMentorship.load(m.id);
    },
  },
  ReminderStep: {
    mentee: (s: ReminderStep) => optionalRef(s.menteeId),
    menteeName: async (s: ReminderStep, _: unknown, ctx: NotificationsContext) =>
      s.menteeId ? displayName((await ctx.loaders.person.load(s.menteeId)) ?? undefined, 'a mentee') : null,
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

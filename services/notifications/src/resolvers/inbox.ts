import { type ConnectionArgs, guarded, pageRequest, ref } from '@medcollab/kit';
import { z } from 'zod';
import { type NotificationsContext } from '../context';
import { inboxPage, markRead, unreadCount } from '../data/inbox';
import { type Notification } from '../entities';

const markReadSchema = z.object({ ids: z.array(z.string()).max(500).nullish() });

/** The caller's own inbox: every field reads the actor's person id, never an argument's. */
export const inboxResolvers = {
  Query: {
    myNotifications: (_: unknown, args: ConnectionArgs, ctx: NotificationsContext) =>
      inboxPage(ctx.dataSource, ctx.actor.personId, pageRequest(args)),
    myUnreadNotificationCount: (_: unknown, __: unknown, ctx: NotificationsContext) => unreadCount(ctx.dataSource, ctx.actor.personId),
  },
  Mutation: {
    markNotificationsRead: guarded({ input: markReadSchema, from: 'args' }, (data, ctx: NotificationsContext) =>
      ctx.command((em) => markRead(em, ctx.actor.personId, data.ids ?? null, ctx.now)),
    ),
  },
  Notification: {
    assessmentTask: (n: Notification) => (n.subjectType === 'AssessmentTask' && n.subjectId ? ref(n.subjectId) : null),
    student: (n: Notification) => (n.subjectType === 'Student' && n.subjectId ? ref(n.subjectId) : null),
  },
};

import { type ConnectionArgs, ensure, guarded, NotFoundError, pageRequest } from '@medcollab/kit';
import { z } from 'zod';
import { type NotificationsContext } from '../context';
import {
  assertTarget,
  createSubscription,
  deliveriesPage,
  institutionOfDelivery,
  institutionOfSubscription,
  redeliver,
  subscriptionsOf,
  type WEBHOOK_EVENT_KINDS,
} from '../data/webhooks';
import { canManageNotifications } from '../domain/access-policy';
import { notificationSettings } from '../settings';

const NOT_YOURS = "Only the institution's admins and quality officers manage its webhooks";
const ROLES = { roles: ['INSTITUTION_ADMIN' as const, 'QUALITY_OFFICER' as const], action: 'manage webhooks' };
const KIND_TO_SDL = {
  'assessment_task.reminder_fired': 'ASSESSMENT_TASK_REMINDER_FIRED',
  'assessment_task.escalated': 'ASSESSMENT_TASK_ESCALATED',
  'audit.chain_anchored': 'AUDIT_CHAIN_ANCHORED',
  'mentor_notice.raised': 'MENTOR_NOTICE_RAISED',
  'mentee_meeting.overdue': 'MENTEE_MEETING_OVERDUE',
} as const satisfies Record<(typeof WEBHOOK_EVENT_KINDS)[number], string>;
const SDL_KINDS = Object.values(KIND_TO_SDL) as [string, ...string[]];
const KIND_FROM_SDL = Object.fromEntries(Object.entries(KIND_TO_SDL).map(([k, v]) => [v, k])) as Record<
  string,
  (typeof WEBHOOK_EVENT_KINDS)[number]
>;

const createSchema = z.object({
  institutionId: z.uuid(),
  url: z.url().max(2000),
  eventKinds: z.array(z.enum(SDL_KINDS)).min(1),
});

/** Institutions' webhook subscriptions, their delivery log and redelivery: its admins and quality officers only. */
export const webhookResolvers = {
  Query: {
    webhookSubscriptions: guarded(
      { ...ROLES, input: z.object({ institutionId: z.uuid() }), from: 'args' },
      ({ institutionId }, ctx: NotificationsContext) => {
        ensure(canManageNotifications(ctx.actor, institutionId), NOT_YOURS);
        return subscriptionsOf(ctx.dataSource, institutionId);
      },
    ),
    webhookDeliveries: guarded(
      {
        ...ROLES,
        input: z.object({ subscriptionId: z.uuid(), first: z.number().int().nullish(), after: z.string().nullish() }),
        from: 'args',
      },
      async (args, ctx: NotificationsContext) => {
        const institutionId = await institutionOfSubscription(ctx.dataSource, args.subscriptionId);
        if (!institutionId) throw new NotFoundError('Webhook subscription', args.subscriptionId);
        ensure(canManageNotifications(ctx.actor, institutionId), NOT_YOURS);
        return deliveriesPage(ctx.dataSource, args.subscriptionId, pageRequest(args as ConnectionArgs));
      },
    ),
  },
  Mutation: {
    createWebhookSubscription: guarded({ ...ROLES, input: createSchema }, async (data, ctx: NotificationsContext) => {
      ensure(canManageNotifications(ctx.actor, data.institutionId), NOT_YOURS);
      await assertTarget(data.url, notificationSettings().allowPrivateWebhookTargets);
      return ctx.command((em) =>
        createSubscription(em, { ...data, eventKinds: data.eventKinds.map((k) => KIND_FROM_SDL[k]!) }, ctx.actor.personId, ctx.now),
      );
    }),
    redeliverWebhook: guarded(
      { ...ROLES, input: z.object({ deliveryId: z.uuid() }), from: 'args' },
      async ({ deliveryId }, ctx: NotificationsContext) => {
        const institutionId = await institutionOfDelivery(ctx.dataSource, deliveryId);
        if (!institutionId) throw new NotFoundError('Webhook delivery', deliveryId);
        ensure(canManageNotifications(ctx.actor, institutionId), NOT_YOURS);
        return ctx.command((em) => redeliver(em, deliveryId, ctx.now));
      },
    ),
  },
  WebhookSubscription: {
    eventKinds: (s: { eventKinds: string[] }) => s.eventKinds.map((k) => KIND_TO_SDL[k as keyof typeof KIND_TO_SDL]),
  },
  WebhookDelivery: {
    eventKind: (d: { eventKind: string }) => KIND_TO_SDL[d.eventKind as keyof typeof KIND_TO_SDL],
  },
};

import { guarded } from '@medcollab/kit';
import { z } from 'zod';
import { type NotificationsContext } from '../context';
import { preferenceOf, type Preference } from '../data/deliver';
import { savePreference } from '../data/preferences';
import { NOTIFICATION_KINDS } from '../domain/messages';

const LOCALE_FROM_SDL = { EN: 'en', ZH_CN: 'zh-CN' } as const;
const LOCALE_TO_SDL = { en: 'EN', 'zh-CN': 'ZH_CN' } as const;

const preferencesSchema = z.object({
  locale: z.enum(['EN', 'ZH_CN']),
  emailOffKinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  inAppOffKinds: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length),
  digest: z.boolean(),
});

const toSdl = (p: Preference) => ({ ...p, locale: LOCALE_TO_SDL[p.locale] });

/** Always the caller's own preferences: nobody reads or sets another person's. */
export const preferenceResolvers = {
  Query: {
    myNotificationPreferences: async (_: unknown, __: unknown, ctx: NotificationsContext) =>
      toSdl(await preferenceOf(ctx.dataSource.manager, ctx.actor.personId)),
  },
  Mutation: {
    setMyNotificationPreferences: guarded({ input: preferencesSchema }, (data, ctx: NotificationsContext) =>
      ctx.command(async (em) =>
        toSdl(
          await savePreference(
            em,
            ctx.actor.personId,
            {
              locale: LOCALE_FROM_SDL[data.locale],
              emailOffKinds: [...new Set(data.emailOffKinds)],
              inAppOffKinds: [...new Set(data.inAppOffKinds)],
              digest: data.digest,
            },
            ctx.now,
          ),
        ),
      ),
    ),
  },
};

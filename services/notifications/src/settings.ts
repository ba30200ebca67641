import { baseConfigShape, loadConfig } from '@medcollab/kit';
import { z } from 'zod';

/** How notifications reaches people: SMTP, the sender, and the public URLs links in emails point at. */
export interface NotificationSettings {
  smtpUrl: string;
  mailFrom: string;
  /** Where this service's HTTP routes (one-click unsubscribe) are reachable from a mail client. */
  publicUrl: string;
  /** Where a person opens their inbox (the app, or the gateway in development). */
  inboxUrl: string;
  /** Signs unsubscribe tokens. */
  secret: string;
  /** Webhooks may target private and loopback addresses (development only: SSRF). */
  allowPrivateWebhookTargets: boolean;
}

export function notificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const config = loadConfig(
    {
      ...baseConfigShape,
      SMTP_URL: z
        .string()
        .regex(/^smtps?:\/\//, 'must be an smtp:// URL')
        .default('smtp://127.0.0.1:1025'),
      MAIL_FROM: z.string().default('MedCollab <no-reply@medcollab.local>'),
      NOTIFICATIONS_PUBLIC_URL: z.url().default('http://localhost:4006'),
      NOTIFICATIONS_INBOX_URL: z.url().default('http://localhost:4000/graphql'),
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false']).optional(),
    },
    env,
  );
  return {
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    publicUrl: config.NOTIFICATIONS_PUBLIC_URL.replace(/\/$/, ''),
    inboxUrl: config.NOTIFICATIONS_INBOX_URL,
    secret: config.INTERNAL_SIGNING_SECRET,
    allowPrivateWebhookTargets: (config.WEBHOOKS_ALLOW_PRIVATE_TARGETS ?? String(config.NODE_ENV === 'development')) === 'true',
  };
}

/**
 * REMINDERS_DEMO_SECONDS_PER_DAY: the demo switch (src/domain/demo-ladder.ts), null when unset or
 * 0. `pnpm start` sets it; it is refused in production, where reminders must keep real time.
 */
export function demoSecondsPerDay(env: NodeJS.ProcessEnv = process.env): number | null {
  const config = loadConfig({ ...baseConfigShape, REMINDERS_DEMO_SECONDS_PER_DAY: z.coerce.number().min(0).max(86_400).default(0) }, env);
  if (!config.REMINDERS_DEMO_SECONDS_PER_DAY) return null;
  if (config.NODE_ENV === 'production')
    throw new Error('REMINDERS_DEMO_SECONDS_PER_DAY compresses reminder time for demos; it is refused when NODE_ENV=production');
  return config.REMINDERS_DEMO_SECONDS_PER_DAY;
}

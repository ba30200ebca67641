import { z } from 'zod';
import { loadConfig } from '@medcollab/kit';

/** Rotations' own settings (on top of the kit's DATABASE_URL, REDIS_URL, PORT…). */
export const rotationsSettingsShape = {
  /** How long a hospital keeps access to a student after a placement there completed. */
  GRANT_DAYS_AFTER_COMPLETION: z.coerce.number().int().min(0).max(365).default(30),
  /** Public base URL of this service's calendar feeds (what a calendar app subscribes to). */
  CALENDAR_PUBLIC_URL: z.url().default('http://localhost:4003'),
};

export interface RotationsSettings {
  grantDaysAfterCompletion: number;
  calendarPublicUrl: string;
}

let cached: RotationsSettings | undefined;

/** Read once from the environment; tests pass their own through the context instead. */
export function rotationsSettings(env: NodeJS.ProcessEnv = process.env): RotationsSettings {
  if (cached && env === process.env) return cached;
  const config = loadConfig(rotationsSettingsShape, env);
  const settings = {
    grantDaysAfterCompletion: config.GRANT_DAYS_AFTER_COMPLETION,
    calendarPublicUrl: config.CALENDAR_PUBLIC_URL.replace(/\/+$/, ''),
  };
  if (env === process.env) cached = settings;
  return settings;
}

import { z } from 'zod';
import { defineEvent } from '../contract';
import { instant } from './scalars';

/**
 * A quality alert rule of an institution fired: a figure of one of its scopes crossed the
 * rule's threshold in a period. Aggregate: the alert (raised once per rule, scope and period).
 * For the notifications service to tell the institution's quality office; only released
 * figures raise alerts, so an alert never discloses a hidden evaluation figure.
 */
export const QualityAlertRaised = defineEvent(
  'QualityAlertRaised',
  1,
  'QualityAlert',
  z.object({
    alertId: z.uuid(),
    ruleId: z.uuid(),
    institutionId: z.uuid(),
    metric: z.string(),
    scopeKind: z.enum(['INSTITUTION', 'DEPARTMENT', 'TEACHER']),
    /** The department of a DEPARTMENT or TEACHER alert. */
    departmentId: z.uuid().nullable(),
    /** The teacher of a TEACHER alert. */
    teacherId: z.uuid().nullable(),
    periodKind: z.enum(['BLOCK', 'TERM', 'YEAR']),
    periodId: z.string(),
    value: z.number(),
    threshold: z.number(),
    direction: z.enum(['BELOW', 'ABOVE']),
    raisedAt: instant,
  }),
);

import { type EventEnvelope, type PayloadOf, type QualityAlertRaised } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { deliver } from '../data/deliver';
import { qualityAlertMessage } from '../domain/messages';
import { notificationSettings, type NotificationSettings } from '../settings';

type AlertFacts = PayloadOf<typeof QualityAlertRaised>;

let envSettings: NotificationSettings | undefined;

/**
 * Tells the institution's quality officers that one of its alert rules fired, in their inbox
 * and by email as their preferences say; once per alert and officer however often the event
 * is delivered (the dedupe key is the alert's id).
 */
export async function notifyQualityAlert(
  em: EntityManager,
  e: EventEnvelope<AlertFacts>,
  settings: NotificationSettings = (envSettings ??= notificationSettings()),
): Promise<void> {
  const alert = e.payload;
  const [department] = alert.departmentId
    ? ((await em.query(`SELECT name FROM known_department WHERE id = $1`, [alert.departmentId])) as { name: string }[])
    : [];
  const officers = (await em.query(
    `SELECT id FROM known_person WHERE institution_id = $1 AND kind = 'STAFF' AND 'QUALITY_OFFICER' = ANY(roles) ORDER BY id`,
    [alert.institutionId],
  )) as { id: string }[];
  const facts = {
    metric: alert.metric,
    departmentName: department?.name ?? null,
    periodId: alert.periodId,
    value: alert.value,
    threshold: alert.threshold,
    direction: alert.direction,
  };
  for (const officer of officers) {
    await deliver(
      em,
      officer.id,
      `quality-alert:${alert.alertId}`,
      (locale) => qualityAlertMessage(facts, locale),
      { type: 'QualityAlert', id: alert.alertId },
      new Date(alert.raisedAt),
      settings,
    );
  }
}

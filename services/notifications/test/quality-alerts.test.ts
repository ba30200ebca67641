import { randomUUID } from 'node:crypto';
import { QualityAlertRaised } from '@medcollab/events';
import { buildWorld, emit, type NotificationsHarness, startNotifications, type World } from './support/harness';

let h: NotificationsHarness;
let w: World;

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const inboxOf = (
  personId: string,
): Promise<{ title: string; body: string; kind: string; subject_type: string | null; subject_id: string | null }[]> =>
  h.dataSource.query(
    `SELECT title, body, kind, subject_type, subject_id FROM notification WHERE recipient_id = $1 AND channel = 'IN_APP' AND kind = 'QUALITY_ALERT'`,
    [personId],
  );

describe('a quality alert raised by the quality service', () => {
  it("reaches the institution's quality officers once, naming the department, and nobody else", async () => {
    const alertId = randomUUID();
    const alert = {
      alertId,
      ruleId: randomUUID(),
      institutionId: w.school,
      metric: 'on-time submission share',
      scopeKind: 'DEPARTMENT' as const,
      departmentId: w.department,
      teacherId: null,
      periodKind: 'BLOCK' as const,
      periodId: '2026-2027/block-3',
      value: 0.62,
      threshold: 0.7,
      direction: 'BELOW' as const,
      raisedAt: new Date('2026-12-04T08:00:00Z').toISOString(),
    };
    // Delivered twice (a producer retry gives a new event id): still one notice per officer.
    expect(await emit(h, QualityAlertRaised, alertId, alert)).toBe('applied');
    await emit(h, QualityAlertRaised, alertId, alert);

    const notices = await inboxOf(w.quality.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'QUALITY_ALERT', subject_type: 'QualityAlert', subject_id: alertId });
    expect(notices[0]!.title).toBe('Quality alert: on-time submission share in Cardiology');
    expect(notices[0]!.body).toContain('0.62, below the threshold of 0.70');
    expect(notices[0]!.body).not.toContain(w.department);
    for (const other of [w.admin, w.teacher, w.schoolCoordinator, w.otherAdmin, w.assessor]) expect(await inboxOf(other.id)).toEqual([]);
  });
});

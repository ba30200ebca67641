import { compressForDemo } from '../../src/domain/demo-ladder';
import { planTask } from '../../src/domain/plan';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { demoSecondsPerDay } from '../../src/settings';

describe('the demo switch (REMINDERS_DEMO_SECONDS_PER_DAY)', () => {
  it('compresses a 14-day task into minutes: every rung in order, no quiet hours, no weekends, no weekly wait', () => {
    // Saturday 23:00 in Shanghai: without the switch every rung would wait for a weekday morning.
    const assigned = new Date('2026-12-05T15:00:00Z');
    const task = { dueAt: new Date(assigned.getTime() + 14 * 86_400_000), assessorId: 'a' };
    const demo = compressForDemo(task, DEFAULT_POLICY, assigned, 10);
    const steps = planTask(
      demo.task,
      demo.policy,
      {
        assessor: { personId: 'a', timeZone: 'Asia/Shanghai' },
        coordinators: [{ personId: 'c', timeZone: 'Europe/Paris' }],
        qualityOffice: [{ personId: 'q', timeZone: 'Europe/Paris' }],
      },
      assigned,
      { weeklySummary: false },
    );
    const seconds = steps.map((s) => [s.stepKey, s.recipientId, (s.fireAt.getTime() - assigned.getTime()) / 1000]);
    expect(seconds).toEqual([
      ['BEFORE_DUE', 'a', 110],
      ['AT_DUE', 'a', 140],
      ['OVERDUE', 'a', 160],
      ['ESCALATION', 'c', 190],
      ['QUALITY', 'q', 240],
    ]);
  });

  it('is refused in production', () => {
    expect(demoSecondsPerDay({ REMINDERS_DEMO_SECONDS_PER_DAY: '10', NODE_ENV: 'development' })).toBe(10);
    expect(demoSecondsPerDay({})).toBeNull();
    expect(() =>
      demoSecondsPerDay({ REMINDERS_DEMO_SECONDS_PER_DAY: '10', NODE_ENV: 'production', INTERNAL_SIGNING_SECRET: 'x'.repeat(40) }),
    ).toThrow(/refused when NODE_ENV=production/);
  });
});

import { localParts } from '../../src/domain/local-time';
import { planTask, weeklySlot } from '../../src/domain/plan';
import { DEFAULT_POLICY, reminderPolicySchema } from '../../src/domain/policy';
import { nextAllowed } from '../../src/domain/quiet-hours';

const PARIS = 'Europe/Paris';
const SHANGHAI = 'Asia/Shanghai';
const window = (timeZone: string) => ({ timeZone, quietFromHour: 21, quietUntilHour: 7, skipWeekends: true });

describe('nextAllowed (quiet hours and weekends in the recipient zone)', () => {
  it('keeps an allowed instant', () => {
    const tuesdayNoon = new Date('2026-12-08T11:00:00Z'); // 12:00 in Paris
    expect(nextAllowed(tuesdayNoon, window(PARIS))).toEqual(tuesdayNoon);
  });
  it('moves a late evening to the next morning at 07:00 local', () => {
    expect(nextAllowed(new Date('2026-12-08T21:30:00Z'), window(PARIS)).toISOString()).toBe('2026-12-09T06:00:00.000Z');
  });
  it('moves an early morning to 07:00 the same day', () => {
    expect(nextAllowed(new Date('2026-12-08T02:00:00Z'), window(PARIS)).toISOString()).toBe('2026-12-08T06:00:00.000Z');
  });
  it('moves Friday night and the weekend to Monday 07:00', () => {
    expect(nextAllowed(new Date('2026-12-11T22:00:00Z'), window(PARIS)).toISOString()).toBe('2026-12-14T06:00:00.000Z');
    expect(nextAllowed(new Date('2026-12-12T12:00:00Z'), window(SHANGHAI)).toISOString()).toBe('2026-12-13T23:00:00.000Z');
  });
  it('lets weekends through when the school allows them', () => {
    const saturday = new Date('2026-12-12T10:00:00Z');
    expect(nextAllowed(saturday, { ...window(PARIS), skipWeekends: false })).toEqual(saturday);
  });
  it('is correct across a DST change (Paris spring forward)', () => {
    // Saturday 28 March 2026 22:00 UTC is Sunday 00:00 CET; Monday 07:00 is CEST (UTC+2).
    expect(nextAllowed(new Date('2026-03-28T22:00:00Z'), window(PARIS)).toISOString()).toBe('2026-03-30T05:00:00.000Z');
  });
});

describe('planTask', () => {
  const assessor = { personId: 'a', timeZone: PARIS };
  const coordinators = [
    { personId: 'c1', timeZone: PARIS },
    { personId: 'c2', timeZone: SHANGHAI },
  ];
  const qualityOffice = [{ personId: 'q', timeZone: PARIS }];
  const dueAt = new Date('2026-12-16T11:00:00Z'); // Wednesday 12:00 Paris

  it('plans the default ladder: assessor three times, coordinators, quality office on a Monday', () => {
    const steps = planTask(
      { dueAt, assessorId: 'a' },
      DEFAULT_POLICY,
      { assessor, coordinators, qualityOffice },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(steps.map((s) => [s.stepKey, s.recipientId, s.fireAt.toISOString()])).toEqual([
      ['BEFORE_DUE', 'a', '2026-12-14T06:00:00.000Z'], // Sunday 12:00 → Monday 07:00
      ['AT_DUE', 'a', '2026-12-16T11:00:00.000Z'],
      ['OVERDUE', 'a', '2026-12-18T11:00:00.000Z'],
      ['ESCALATION', 'c1', '2026-12-21T11:00:00.000Z'],
      ['ESCALATION', 'c2', '2026-12-21T11:00:00.000Z'], // 19:00 in Shanghai, a Monday
      ['QUALITY', 'q', '2026-12-28T06:00:00.000Z'], // due + 10 days = Saturday 26th → Monday 28th 07:00
    ]);
  });

  it('never fires in quiet hours or at weekends in the recipient zone', () => {
    for (let h = 0; h < 24 * 7; h += 5) {
      const due = new Date(Date.UTC(2026, 11, 7, h));
      for (const s of planTask({ dueAt: due, assessorId: 'a' }, DEFAULT_POLICY, { assessor, coordinators, qualityOffice }, new Date(0))) {
        const tz = s.recipientId === 'c2' ? SHANGHAI : PARIS;
        const p = localParts(s.fireAt, tz);
        expect(p.hour >= 7 && p.hour < 21).toBe(true);
        expect([0, 6]).not.toContain(p.weekday);
        expect(s.fireAt.getTime()).toBeGreaterThanOrEqual(s.nominalAt.getTime());
      }
    }
  });

  it('holds the per-task daily cap: two rungs on one day become two days', () => {
    const policy = {
      ...DEFAULT_POLICY,
      steps: [
        { key: 'A', offsetHours: 0, audience: 'ASSESSOR' as const },
        { key: 'B', offsetHours: 2, audience: 'ASSESSOR' as const },
      ],
    };
    const [a, b] = planTask({ dueAt, assessorId: 'a' }, policy, { assessor, coordinators: [], qualityOffice: [] }, new Date(0));
    expect(a!.fireAt.toISOString()).toBe('2026-12-16T11:00:00.000Z');
    expect(b!.fireAt.toISOString()).toBe('2026-12-17T13:00:00.000Z');
  });

  it('leaves out rungs already past (a re-plan keeps what is ahead)', () => {
    const steps = planTask(
      { dueAt, assessorId: 'a' },
      DEFAULT_POLICY,
      { assessor, coordinators, qualityOffice },
      new Date('2026-12-17T00:00:00Z'),
    );
    expect(steps.map((s) => s.stepKey)).toEqual(['OVERDUE', 'ESCALATION', 'ESCALATION', 'QUALITY']);
  });

  it('puts every quality rung of one week in the same Monday slot', () => {
    const a = weeklySlot(new Date('2026-12-15T10:00:00Z'), PARIS, 7);
    const b = weeklySlot(new Date('2026-12-19T10:00:00Z'), PARIS, 7);
    expect(a).toEqual(b);
    expect(a.toISOString()).toBe('2026-12-21T06:00:00.000Z');
  });
});

describe('reminderPolicySchema', () => {
  it('refuses duplicate keys, empty quiet hours and bad hours', () => {
    const base = { institutionId: '6f1c1b8e-0a4c-4e59-9a3e-1f0d2b3c4d5e', steps: DEFAULT_POLICY.steps };
    expect(reminderPolicySchema.safeParse(base).success).toBe(true);
    expect(reminderPolicySchema.safeParse({ ...base, steps: [...base.steps, base.steps[0]] }).success).toBe(false);
    expect(reminderPolicySchema.safeParse({ ...base, quietFromHour: 7, quietUntilHour: 7 }).success).toBe(false);
    expect(reminderPolicySchema.safeParse({ ...base, quietFromHour: 25 }).success).toBe(false);
  });
});

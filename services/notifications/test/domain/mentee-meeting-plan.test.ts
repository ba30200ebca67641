import {
  MENTEE_ESCALATION_KEY,
  MENTEE_STEP_KEY,
  meetingCountsFrom,
  planMenteeMeeting,
  weeksBetween,
  withoutMeetingSince,
} from '../../src/domain/mentee-meeting-plan';
import { menteeWithoutMeetingMessage, mentorNoticeMessage } from '../../src/domain/mentee-messages';
import { DEFAULT_POLICY } from '../../src/domain/policy';

const paris = 'Europe/Paris';
const mentor = { personId: 'mentor', timeZone: paris };
const coordinators = [
  { personId: 'c1', timeZone: paris },
  { personId: 'c2', timeZone: 'Asia/Shanghai' },
];

describe('withoutMeetingSince', () => {
  it('is the later of joining and 09:00 (school time) on the last meeting day', () => {
    const joined = new Date('2026-03-02T10:00:00Z');
    expect(withoutMeetingSince({ activeSince: joined, lastMetOn: null }, paris)).toEqual(joined);
    expect(withoutMeetingSince({ activeSince: joined, lastMetOn: '2026-03-20' }, paris)).toEqual(new Date('2026-03-20T08:00:00Z'));
    // A meeting before the mentee joined (or before a pause ended) does not move it back.
    expect(withoutMeetingSince({ activeSince: joined, lastMetOn: '2026-02-01' }, paris)).toEqual(joined);
  });

  it('counts a meeting from when it was logged, when that is known', () => {
    const joined = new Date('2026-03-02T10:00:00Z');
    const loggedAt = new Date('2026-03-20T15:30:00Z');
    expect(withoutMeetingSince({ activeSince: joined, lastMetOn: '2026-03-20', lastMetAt: loggedAt }, paris)).toEqual(loggedAt);
    expect(withoutMeetingSince({ activeSince: joined, lastMetOn: '2026-03-20', lastMetAt: null }, paris)).toEqual(
      new Date('2026-03-20T08:00:00Z'),
    );
    expect(
      withoutMeetingSince({ activeSince: joined, lastMetOn: '2026-02-01', lastMetAt: new Date('2026-02-01T12:00:00Z') }, paris),
    ).toEqual(joined);
  });
});

describe('meetingCountsFrom', () => {
  it("is the logging time on the meeting's own day in the school's zone, else null (09:00 of that day)", () => {
    expect(meetingCountsFrom('2026-03-20', new Date('2026-03-20T15:30:00Z'), paris)).toEqual(new Date('2026-03-20T15:30:00Z'));
    // 23:30 UTC on the 19th is already the 20th in Paris; 23:30 UTC on the 20th is the 21st there.
    expect(meetingCountsFrom('2026-03-20', new Date('2026-03-19T23:30:00Z'), paris)).toEqual(new Date('2026-03-19T23:30:00Z'));
    expect(meetingCountsFrom('2026-03-20', new Date('2026-03-20T23:30:00Z'), paris)).toBeNull();
    expect(meetingCountsFrom('2026-03-20', new Date('2026-03-22T09:00:00Z'), paris)).toBeNull();
  });
});

describe('planMenteeMeeting', () => {
  it('reminds the mentor after the gap and tells each coordinator after the escalation delay, out of quiet hours and weekends', () => {
    // Tuesday 2026-03-03 10:00 Paris: six weeks later is Tuesday 2026-04-14, eight weeks later Tuesday 2026-04-28.
    const steps = planMenteeMeeting(
      { activeSince: new Date('2026-03-03T09:00:00Z'), lastMetOn: null },
      DEFAULT_POLICY,
      mentor,
      coordinators,
      paris,
    );
    expect(steps.map((s) => [s.stepKey, s.audience, s.recipientId, s.nominalAt.toISOString(), s.fireAt.toISOString()])).toEqual([
      [MENTEE_STEP_KEY, 'MENTOR', 'mentor', '2026-04-14T09:00:00.000Z', '2026-04-14T09:00:00.000Z'],
      [MENTEE_ESCALATION_KEY, 'COORDINATORS', 'c1', '2026-04-28T09:00:00.000Z', '2026-04-28T09:00:00.000Z'],
      // 17:00 in Shanghai is allowed too.
      [MENTEE_ESCALATION_KEY, 'COORDINATORS', 'c2', '2026-04-28T09:00:00.000Z', '2026-04-28T09:00:00.000Z'],
    ]);
  });

  it("follows the school's policy and moves a reminder out of the night and the weekend", () => {
    const policy = { ...DEFAULT_POLICY, menteeMeetingGapWeeks: 2, menteeMeetingEscalationWeeks: 1 };
    // Saturday 2026-03-07 23:30 Paris: two weeks later is a Saturday night, so Monday 07:00.
    const steps = planMenteeMeeting({ activeSince: new Date('2026-03-07T22:30:00Z'), lastMetOn: null }, policy, mentor, [], paris);
    expect(steps).toHaveLength(1);
    expect(steps[0]!.nominalAt.toISOString()).toBe('2026-03-21T22:30:00.000Z');
    expect(steps[0]!.fireAt.toISOString()).toBe('2026-03-23T06:00:00.000Z');
  });

  it('starts again from a new meeting', () => {
    const a = planMenteeMeeting({ activeSince: new Date('2026-03-03T09:00:00Z'), lastMetOn: null }, DEFAULT_POLICY, mentor, [], paris);
    const b = planMenteeMeeting(
      { activeSince: new Date('2026-03-03T09:00:00Z'), lastMetOn: '2026-04-01' },
      DEFAULT_POLICY,
      mentor,
      [],
      paris,
    );
    expect(b[0]!.nominalAt.getTime() - a[0]!.nominalAt.getTime()).toBeGreaterThan(28 * 86_400_000);
    expect(b[0]!.nominalAt.toISOString()).toBe('2026-05-13T07:00:00.000Z');
  });

  it('counts whole weeks', () => {
    expect(weeksBetween(new Date('2026-03-03T09:00:00Z'), new Date('2026-04-14T08:59:00Z'))).toBe(5);
    expect(weeksBetween(new Date('2026-03-03T09:00:00Z'), new Date('2026-04-14T09:00:00Z'))).toBe(6);
  });
});

describe('mentee messages', () => {
  it('name the mentee and the mentor, in English and Simplified Chinese', () => {
    const facts = { menteeName: 'Lina Martin', mentorName: 'Marc Leroy', lastMetOn: '2026-03-01', since: '2026-01-10', weeks: 6 };
    const toMentor = menteeWithoutMeetingMessage(facts, 'MENTOR');
    expect(toMentor).toMatchObject({ kind: 'MENTEE_WITHOUT_MEETING', title: 'Lina Martin has not met you for 6 weeks' });
    expect(toMentor.body).toContain('last met on 2026-03-01');
    const toCoordinators = menteeWithoutMeetingMessage({ ...facts, lastMetOn: null, weeks: 8 }, 'COORDINATORS');
    expect(toCoordinators.kind).toBe('MENTEE_MEETING_ESCALATION');
    expect(toCoordinators.title).toBe('Lina Martin has not met their mentor Marc Leroy for 8 weeks');
    expect(toCoordinators.body).toContain('since they joined on 2026-01-10');
    expect(menteeWithoutMeetingMessage(facts, 'COORDINATORS', 'zh-CN').title).toBe('学员 Lina Martin 已 6 周未与导师 Marc Leroy 见面');
  });

  it('say what happened to the mentee, never an id', () => {
    const placement = mentorNoticeMessage({
      kind: 'PLACEMENT_STARTED',
      menteeName: 'Lina Martin',
      departmentName: 'Cardiology',
      hospitalName: 'Shanghai General',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
    });
    expect(placement).toEqual({
      kind: 'MENTEE_PLACEMENT_STARTED',
      title: 'Your mentee Lina Martin started in Cardiology, Shanghai General',
      body: 'Lina Martin started a placement in Cardiology at Shanghai General on 2026-09-07 (until 2026-10-30).',
    });
    const below = mentorNoticeMessage({
      kind: 'SUMMATIVE_BELOW_EXPECTED',
      menteeName: 'Lina Martin',
      instrumentKind: 'MINI_CEX',
      competenciesBelow: 2,
    });
    expect(below.kind).toBe('MENTEE_BELOW_EXPECTED');
    expect(below.title).toBe("Your mentee Lina Martin's summative Mini-CEX came back below the expected level");
    expect(below.body).toContain('2 competencies below the expected level');
    expect(
      mentorNoticeMessage({ kind: 'SUMMATIVE_BELOW_EXPECTED', menteeName: 'Lina', instrumentKind: null, competenciesBelow: 1 }, 'zh-CN')
        .title,
    ).toContain('终结性评估');
  });
});

describe('planMenteeMeeting in demo time (REMINDERS_DEMO_SECONDS_PER_DAY)', () => {
  it('compresses the weeks like a task ladder’s days and ignores quiet hours and weekends', () => {
    // Saturday 23:00 Paris: quiet and a weekend, which demo time does not wait out.
    const joined = new Date('2026-03-07T22:00:00Z');
    const steps = planMenteeMeeting({ activeSince: joined, lastMetOn: null }, DEFAULT_POLICY, mentor, coordinators, paris, 10);
    // 6 weeks = 42 days = 420 s; 2 more weeks = 140 s more.
    expect(steps.map((s) => [s.stepKey, s.nominalAt.getTime() - joined.getTime(), s.fireAt.getTime() - joined.getTime()])).toEqual([
      [MENTEE_STEP_KEY, 420_000, 420_000],
      [MENTEE_ESCALATION_KEY, 560_000, 560_000],
      [MENTEE_ESCALATION_KEY, 560_000, 560_000],
    ]);
    expect(weeksBetween(joined, new Date(joined.getTime() + 425_000), 10)).toBe(6);
  });
});

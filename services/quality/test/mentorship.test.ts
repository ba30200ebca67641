import { randomUUID } from 'node:crypto';
import { DevelopmentGoalChanged, type EventEnvelope, MentorshipChanged, MentorshipMeetingLogged, type PayloadOf } from '@medcollab/events';
import { markMentorshipTerms } from '../src/data/mentorship-terms';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Mentorship figures of a school per term and year, from mentorship's events. School S: M1
 * (mentor X; a and b from 10 Sep 2026, c from 1 Oct) met on 20 Sep (a, b), 5 Nov (a) and
 * 10 Mar 2027 (a); M2 (d, 15 Sep, ended 1 Dec) never met. School S9: M3 (e) met on 10 Oct.
 * Terms start in September and March.
 */
const T1 = { kind: 'TERM', id: '2026-2027/T1' };
const T2 = { kind: 'TERM', id: '2026-2027/T2' };
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const ids = Object.fromEntries(['S', 'S9', 'H', 'M1', 'M2', 'M3', 'X', 'a', 'b', 'c', 'd', 'e'].map((k) => [k, randomUUID()])) as Record<
  string,
  string
>;

let seq = new Map<string, number>();
const on = (e: EventEnvelope, instant: string): EventEnvelope => ({ ...e, occurredAt: instant });
function state(mentorshipId: string, schoolId: string, menteeIds: string[], status: 'ACTIVE' | 'ENDED', day: string): EventEnvelope {
  const n = (seq.get(mentorshipId) ?? 0) + 1;
  seq.set(mentorshipId, n);
  const payload = { mentorshipId, mentorId: ids.X!, schoolId, menteeIds, status };
  return on(envelope(MentorshipChanged, mentorshipId, payload, n), `${day}T09:00:00.000Z`);
}
function meeting(mentorshipId: string, schoolId: string, metOn: string, attendingMenteeIds: string[]): EventEnvelope {
  const meetingId = randomUUID();
  const payload = { meetingId, mentorshipId, mentorId: ids.X!, schoolId, metOn, mentorAttended: true, attendingMenteeIds };
  return on(envelope(MentorshipMeetingLogged, meetingId, payload), `${metOn}T17:00:00.000Z`);
}
type Goal = PayloadOf<typeof DevelopmentGoalChanged>;
function goal(studentId: string, setOn: string, steps: [Goal['status'], boolean, string][]): EventEnvelope[] {
  const goalId = randomUUID();
  return steps.map(([status, pendingAcceptance, updatedAt], i) =>
    envelope(
      DevelopmentGoalChanged,
      goalId,
      { goalId, studentId, schoolId: ids.S!, status, pendingAcceptance, proposedByMentor: false, competencyId: null, setOn, updatedAt },
      i + 1,
    ),
  );
}
const agreement = (schoolId: string): EventEnvelope => {
  const agreementId = randomUUID();
  return agreementBetween(schoolId, ids.H!, [], agreementId);
};

let h: QualityHarness;
beforeAll(async () => {
  // The figures themselves, with k = 1: their protection (k distinct mentees, blocks with their
  // terms) is tested in mentorship-blocks.test.ts.
  h = await startQuality({ minEvaluators: 1 });
  seq = new Map();
  const [g3open, g3achieved] = goal(ids.c!, '2026-10-01', [
    ['OPEN', false, '2026-10-01T10:00:00.000Z'],
    ['ACHIEVED', false, '2027-03-05T10:00:00.000Z'],
  ]);
  const meetingMar = meeting(ids.M1!, ids.S!, '2027-03-10', [ids.a!]);
  await h.deliver([
    agreement(ids.S!),
    agreement(ids.S9!),
    // A meeting before its mentorship's first state, and again: counted once, under the mentorship.
    meetingMar,
    state(ids.M1!, ids.S!, [ids.a!, ids.b!], 'ACTIVE', '2026-09-10'),
    state(ids.M1!, ids.S!, [ids.a!, ids.b!, ids.c!], 'ACTIVE', '2026-10-01'),
    meeting(ids.M1!, ids.S!, '2026-09-20', [ids.a!, ids.b!]),
    meeting(ids.M1!, ids.S!, '2026-11-05', [ids.a!]),
    meetingMar,
    state(ids.M2!, ids.S!, [ids.d!], 'ACTIVE', '2026-09-15'),
    state(ids.M2!, ids.S!, [ids.d!], 'ENDED', '2026-12-01'),
    state(ids.M3!, ids.S9!, [ids.e!], 'ACTIVE', '2026-09-12'),
    meeting(ids.M3!, ids.S9!, '2026-10-10', [ids.e!]),
    ...goal(ids.a!, '2026-09-20', [
      ['OPEN', false, '2026-09-20T10:00:00.000Z'],
      ['ACHIEVED', false, '2026-11-01T10:00:00.000Z'],
    ]),
    // A mentor's proposal the student has not accepted: not set.
    ...goal(ids.b!, '2026-10-02', [['OPEN', true, '2026-10-02T10:00:00.000Z']]),
    // Achieved in T2, delivered before the state that set it.
    g3achieved!,
    g3open!,
    ...goal(ids.d!, '2026-10-03', [
      ['OPEN', false, '2026-10-03T10:00:00.000Z'],
      ['DROPPED', false, '2026-11-03T10:00:00.000Z'],
    ]),
  ]);
});
afterAll(() => h.stop());

const METRICS = ['MEETINGS_PER_MENTEE', 'MENTEES_WITHOUT_MEETING', 'MENTOR_MEETINGS', 'GOALS_SET', 'GOALS_ACHIEVED'];
const REPORT = `query($period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: { kind: NETWORK }, period: $period, metrics: $metrics) {
    rows { key figures { metric released count mean median distribution { value count } } } } }`;
type Fig = {
  metric: string;
  released: boolean;
  count: number;
  mean: number | null;
  distribution: { value: string; count: number }[] | null;
};
const report = (who: ReturnType<typeof actor>, period: Record<string, string>) => h.call(who, REPORT, { period, metrics: METRICS });
async function figures(who: ReturnType<typeof actor>, period: Record<string, string>): Promise<Record<string, Fig>> {
  const rows = ok(await report(who, period)).qualityReport.rows as { key: string; figures: Fig[] }[];
  const network = rows.find((r) => r.key === 'NETWORK:network')!;
  return Object.fromEntries(network.figures.map((f) => [f.metric, f]));
}
const sOfficer = actor(ids.S!, 'QUALITY_OFFICER');

describe('mentorship figures', () => {
  it("counts a school's meetings per mentee, mentees without a meeting, meetings and goals in a term", async () => {
    const f = await figures(sOfficer, T1);
    // a: 2 meetings, b: 1, c: 0, d: 0 (M2 ended in the term).
    expect(f.MEETINGS_PER_MENTEE).toMatchObject({
      released: true,
      count: 4,
      mean: 0.75,
      distribution: [
        { value: '0', count: 2 },
        { value: '1', count: 1 },
        { value: '2', count: 1 },
      ],
    });
    expect(f.MENTEES_WITHOUT_MEETING!.count).toBe(2);
    expect(f.MENTOR_MEETINGS!.count).toBe(2);
    // a's achieved goal and d's dropped one were set; b's proposal is not accepted; c's was set in T1 and achieved in T2.
    expect(f.GOALS_SET!.count).toBe(3);
    expect(f.GOALS_ACHIEVED!.count).toBe(1);
  });

  it('carries an active mentorship into the next term, not an ended one; the year adds up each mentee once', async () => {
    const t2 = await figures(actor(ids.S!, 'INSTITUTION_ADMIN'), T2);
    // a: 1 (10 Mar), b and c: 0; d's mentorship ended in December.
    expect(t2.MEETINGS_PER_MENTEE).toMatchObject({ count: 3, mean: 0.333 });
    expect(t2.MENTEES_WITHOUT_MEETING!.count).toBe(2);
    expect(t2.MENTOR_MEETINGS!.count).toBe(1);
    expect(t2.GOALS_SET!.count).toBe(0);
    expect(t2.GOALS_ACHIEVED!.count).toBe(1);
    const year = await figures(sOfficer, YEAR);
    expect(year.MEETINGS_PER_MENTEE).toMatchObject({ count: 4, mean: 1 });
    expect(year.MENTEES_WITHOUT_MEETING!.count).toBe(2);
    expect(year.MENTOR_MEETINGS!.count).toBe(3);
    expect([year.GOALS_SET!.count, year.GOALS_ACHIEVED!.count]).toEqual([3, 2]);
  });

  it("counts an active mentorship's mentees in a new term once the sweep marks it, as without a meeting", async () => {
    const s9 = actor(ids.S9!, 'QUALITY_OFFICER');
    expect((await figures(s9, T2)).MEETINGS_PER_MENTEE!.count).toBe(0);
    // M1 and M3 are active; M2 ended. M1 already reached T2, so only M3's figures move.
    expect(await markMentorshipTerms(h.dataSource, new Date('2027-04-01T06:00:00.000Z'), h.settings)).toBe(2);
    expect(await markMentorshipTerms(h.dataSource, new Date('2027-04-02T06:00:00.000Z'), h.settings)).toBe(0);
    const t2 = await figures(s9, T2);
    expect(t2.MEETINGS_PER_MENTEE).toMatchObject({ count: 1, mean: 0 });
    expect(t2.MENTEES_WITHOUT_MEETING!.count).toBe(1);
    expect((await figures(sOfficer, T2)).MEETINGS_PER_MENTEE!.count).toBe(3);
  });

  it("shows a school only its own mentees; network admins every school's", async () => {
    const s9 = await figures(actor(ids.S9!, 'QUALITY_OFFICER'), T1);
    expect([s9.MEETINGS_PER_MENTEE!.count, s9.MENTOR_MEETINGS!.count, s9.GOALS_SET!.count]).toEqual([1, 1, 0]);
    const all = await figures(actor(null, 'NETWORK_ADMIN'), T1);
    expect([all.MEETINGS_PER_MENTEE!.count, all.MENTEES_WITHOUT_MEETING!.count, all.MENTOR_MEETINGS!.count]).toEqual([5, 2, 3]);
  });

  it("refuses hospital staff, the school's other staff and students", async () => {
    for (const who of [
      actor(ids.H!, 'QUALITY_OFFICER'),
      actor(ids.H!, 'INSTITUTION_ADMIN'),
      actor(ids.H!, 'COORDINATOR'),
      actor(ids.S!, 'MENTOR'),
      actor(ids.S!, 'COORDINATOR'),
      actor(ids.S!, 'STUDENT'),
      actor(null, 'STUDENT'),
    ])
      expect(codes(await report(who, T1))).toEqual(['FORBIDDEN']);
  });

  it('has no mentorship figures for a block the sweep never named (blocks: mentorship-blocks.test.ts)', async () => {
    const f = await figures(sOfficer, { kind: 'BLOCK', id: randomUUID() });
    expect(f.MEETINGS_PER_MENTEE!.count).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import {
  DevelopmentGoalChanged,
  type EventEnvelope,
  MentorshipChanged,
  MentorshipMeetingLogged,
  PlacementConfirmed,
} from '@medcollab/events';
import { markMentorshipBlocks } from '../src/data/mentorship-blocks';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Mentorship figures per rotation block (ADR 0021), protected with their term and year. School
 * S has blocks B1 (7 Sep – 4 Oct 2026) and B2 (5 Oct – 1 Nov), both in the first term, known
 * from its placements. Six one-mentee mentorships M1–M6 start on 1 Sep and all meet on 15 Sep
 * (B1); M5 and M6 end on 20 Sep, M1 meets again on 10 Oct (B2). B2 therefore holds four mentees
 * (fewer than k = 5), the term and B1 six each: B2 is hidden, and "term minus B1" must not give
 * it away. M1's mentee sets a goal on 20 Sep (B1) and achieves it on 12 Oct (B2).
 */
const ids = Object.fromEntries(['S', 'H', 'D', 'B1', 'B2', 'X'].map((k) => [k, randomUUID()])) as Record<string, string>;
const mentorships = Array.from({ length: 6 }, () => ({ id: randomUUID(), mentee: randomUUID() }));
const goalId = randomUUID();
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const T1 = { kind: 'TERM', id: '2026-2027/T1' };
const T2 = { kind: 'TERM', id: '2026-2027/T2' };
const B1 = { kind: 'BLOCK', id: ids.B1! };
const B2 = { kind: 'BLOCK', id: ids.B2! };

const at = (e: EventEnvelope, instant: string): EventEnvelope => ({ ...e, occurredAt: instant });
function placement(blockId: string, startsOn: string, endsOn: string): EventEnvelope {
  const placementId = randomUUID();
  return envelope(PlacementConfirmed, placementId, {
    placementId,
    studentId: randomUUID(),
    schoolId: ids.S!,
    hospitalId: ids.H!,
    departmentId: ids.D!,
    blockId,
    supervisorId: null,
    startsOn,
    endsOn,
    at: `${startsOn}T08:00:00.000Z`,
    accessUntil: null,
  });
}
const state = (m: { id: string; mentee: string }, status: 'ACTIVE' | 'ENDED', sequence: number, day: string) =>
  at(
    envelope(MentorshipChanged, m.id, { mentorshipId: m.id, mentorId: ids.X!, schoolId: ids.S!, menteeIds: [m.mentee], status }, sequence),
    `${day}T09:00:00.000Z`,
  );
function meeting(m: { id: string; mentee: string }, metOn: string): EventEnvelope {
  const meetingId = randomUUID();
  const payload = {
    meetingId,
    mentorshipId: m.id,
    mentorId: ids.X!,
    schoolId: ids.S!,
    metOn,
    mentorAttended: true,
    attendingMenteeIds: [m.mentee],
  };
  return at(envelope(MentorshipMeetingLogged, meetingId, payload), `${metOn}T17:00:00.000Z`);
}

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S!, ids.H!, [ids.D!], agreementId),
    placement(ids.B1!, '2026-09-07', '2026-10-04'),
    placement(ids.B2!, '2026-10-05', '2026-11-01'),
    ...mentorships.flatMap((m, i) => [
      // Meetings first: counted in their block once the block's marker arrives.
      meeting(m, '2026-09-15'),
      state(m, 'ACTIVE', 1, '2026-09-01'),
      ...(i >= 4 ? [state(m, 'ENDED', 2, '2026-09-20')] : []),
    ]),
    meeting(mentorships[0]!, '2026-10-10'),
    ...(['OPEN', 'ACHIEVED'] as const).map((status, i) =>
      envelope(
        DevelopmentGoalChanged,
        goalId,
        {
          goalId,
          studentId: mentorships[0]!.mentee,
          schoolId: ids.S!,
          status,
          pendingAcceptance: false,
          proposedByMentor: false,
          competencyId: null,
          setOn: '2026-09-20',
          updatedAt: i === 0 ? '2026-09-20T10:00:00.000Z' : '2026-10-12T10:00:00.000Z',
        },
        i + 1,
      ),
    ),
  ]);
});
afterAll(() => h.stop());

const METRICS = ['MEETINGS_PER_MENTEE', 'MENTEES_WITHOUT_MEETING', 'MENTOR_MEETINGS'];
const REPORT = `query($period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: { kind: NETWORK }, period: $period, metrics: $metrics) {
    rows { key figures { metric released suppression count mean } } } }`;
type Fig = { metric: string; released: boolean; suppression: string | null; count: number | null; mean: number | null };
const sOfficer = actor(null, 'QUALITY_OFFICER');
const report = (who: ReturnType<typeof actor>, period: Record<string, string>) => h.call(who, REPORT, { period, metrics: METRICS });
async function figures(period: Record<string, string>): Promise<Record<string, Fig>> {
  const rows = ok(await report({ ...sOfficer, institutionId: ids.S! }, period)).qualityReport.rows as { key: string; figures: Fig[] }[];
  const network = rows.find((r) => r.key === 'NETWORK:network')!;
  return Object.fromEntries(network.figures.map((f) => [f.metric, f]));
}
const cell = async (metric: string, period: { kind: string; id: string }): Promise<{ n: number; total: number } | undefined> =>
  (
    (await h.dataSource.query(
      `SELECT n::int, total_milli::int AS total FROM rollup_cell
        WHERE metric = $1 AND school = $2 AND scope_kind = 'NETWORK' AND period_kind = $3 AND period_id = $4 AND item = ''`,
      [metric, ids.S, period.kind, period.id],
    )) as { n: number; total: number }[]
  )[0];

describe('mentorship figures per rotation block', () => {
  it("has no block figures until the sweep tells the mentorships their school's blocks; then counts them once", async () => {
    expect(await cell('MEETINGS_PER_MENTEE', B1)).toBeUndefined();
    // 6 mentorships × B1, and M1–M4 × B2 (M5 and M6 ended before B2 began); the goal × B1 and B2.
    expect(await markMentorshipBlocks(h.dataSource, new Date('2026-11-10T06:00:00.000Z'), h.settings)).toBe(12);
    expect(await markMentorshipBlocks(h.dataSource, new Date('2026-11-11T06:00:00.000Z'), h.settings)).toBe(0);
    expect(await cell('MEETINGS_PER_MENTEE', B1)).toEqual({ n: 6, total: 6000 });
    expect(await cell('MENTEES_WITHOUT_MEETING', B1)).toBeUndefined();
    expect(await cell('MENTOR_MEETINGS', B1)).toMatchObject({ n: 6 });
    // B2: M1 met once, M2–M4 not at all.
    expect(await cell('MEETINGS_PER_MENTEE', B2)).toEqual({ n: 4, total: 1000 });
    expect(await cell('MENTEES_WITHOUT_MEETING', B2)).toMatchObject({ n: 3 });
    expect(await cell('MENTOR_MEETINGS', B2)).toMatchObject({ n: 1 });
    expect(await cell('MEETINGS_PER_MENTEE', T1)).toEqual({ n: 6, total: 7000 });
    // The goal: set in B1, achieved in B2.
    expect([await cell('GOALS_SET', B1), await cell('GOALS_ACHIEVED', B1)]).toEqual([{ n: 1, total: 0 }, undefined]);
    expect([await cell('GOALS_SET', B2), await cell('GOALS_ACHIEVED', B2)]).toEqual([undefined, { n: 1, total: 0 }]);
  });

  it('hides a block with fewer than k mentees, and the term minus the other blocks does not give it away', async () => {
    const grid: Record<string, Fig> = {
      Y: (await figures(YEAR)).MEETINGS_PER_MENTEE!,
      T1: (await figures(T1)).MEETINGS_PER_MENTEE!,
      T2: (await figures(T2)).MEETINGS_PER_MENTEE!,
      B1: (await figures(B1)).MEETINGS_PER_MENTEE!,
      B2: (await figures(B2)).MEETINGS_PER_MENTEE!,
    };
    expect(grid.B2).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS', count: null });
    // What a reader can work out from the released figures with year = terms and term = blocks.
    const known = new Map(Object.entries(grid).flatMap(([k, f]): [string, number][] => (f.released ? [[k, f.count ?? 0]] : [])));
    const sums: [string, string[]][] = [
      ['Y', ['T1', 'T2']],
      ['T1', ['B1', 'B2']],
    ];
    for (let changed = true; changed;) {
      changed = false;
      for (const [parent, children] of sums) {
        const unknown = [parent, ...children].filter((x) => !known.has(x));
        if (unknown.length !== 1) continue;
        const [u] = unknown as [string];
        const total = children.reduce((s, c) => s + (known.get(c) ?? 0), 0);
        known.set(u, u === parent ? total : (known.get(parent) ?? 0) - (total - (known.get(u) ?? 0)));
        changed = true;
      }
    }
    expect(known.has('B2')).toBe(false);
  });

  it('refuses block figures to another institution and to other roles', async () => {
    for (const who of [
      actor(ids.H!, 'QUALITY_OFFICER'),
      actor(randomUUID(), 'QUALITY_OFFICER'),
      actor(ids.S!, 'MENTOR'),
      actor(ids.S!, 'STUDENT'),
    ]) {
      const res = await report(who, B1);
      const rows = (res.data?.qualityReport?.rows ?? []) as { figures: Fig[] }[];
      // Refused outright, or (another school's officer) shown nothing of S's mentees.
      if (codes(res).length) expect(codes(res)).toEqual(['FORBIDDEN']);
      else expect(rows.flatMap((r) => r.figures).every((f) => !f.count)).toBe(true);
    }
  });
});

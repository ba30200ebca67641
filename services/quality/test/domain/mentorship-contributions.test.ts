import { type Contribution, type StoredEvent } from '../../src/domain/contributions';
import { methodBlend, profileCoverage } from '../../src/domain/curriculum-figures';
import { DEV_PSEUDONYM_SECRET, studentPseudonym } from '../../src/domain/pseudonyms';
import {
  BLOCK_REACHED,
  goalContributions,
  mentorshipContributions,
  periodsBetween,
  rollupUnitOf,
  TERM_REACHED,
} from '../../src/domain/mentorship-contributions';

const SETTINGS = { academicYearStartMonth: 9 };
let n = 0;
const ev = (type: string, sequence: number, occurredAt: string, payload: Record<string, unknown>): StoredEvent => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  sequence,
  occurredAt,
  payload,
});
const state = (seq: number, day: string, menteeIds: string[], status = 'ACTIVE') =>
  ev('MentorshipChanged', seq, `${day}T09:00:00.000Z`, { mentorshipId: 'm', schoolId: 's', menteeIds, status });
const meeting = (id: string, metOn: string, attendingMenteeIds: string[]) =>
  ev('MentorshipMeetingLogged', 1, `${metOn}T18:00:00.000Z`, {
    meetingId: id,
    mentorshipId: 'm',
    schoolId: 's',
    metOn,
    attendingMenteeIds,
  });

/** The school cohort's cells as `metric period → [count, sum of values]`. */
function cells(contributions: Contribution[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const c of contributions.filter((x) => x.key.school === 's')) {
    const k = `${c.key.metric} ${c.key.periodId}`;
    const [count, sum] = out[k] ?? [0, 0];
    out[k] = [count + 1, sum + (c.value ?? 0)];
  }
  return out;
}

describe('periodsBetween', () => {
  it('lists every term and year a span touches', () => {
    expect(periodsBetween('2026-10-01', '2027-09-02', 9).map((p) => p.id)).toEqual([
      '2026-2027/T1',
      '2026-2027',
      '2026-2027/T2',
      '2027-2028/T1',
      '2027-2028',
    ]);
  });
});

describe('rollupUnitOf', () => {
  it('holds a meeting under its mentorship, anything else under its own aggregate', () => {
    expect(
      rollupUnitOf({ type: 'MentorshipMeetingLogged', aggregateType: 'MentorMeeting', aggregateId: 'x', payload: { mentorshipId: 'm' } }),
    ).toEqual({
      type: 'Mentorship',
      id: 'm',
    });
    expect(rollupUnitOf({ type: 'AssessmentTaskAssigned', aggregateType: 'AssessmentTask', aggregateId: 't', payload: {} })).toEqual({
      type: 'AssessmentTask',
      id: 't',
    });
  });
});

describe('mentorshipContributions', () => {
  it('counts a mentee only while the mentorship is active, up to the latest known date, with the meetings they attended', () => {
    const events = [
      state(1, '2026-09-10', ['a']),
      state(2, '2026-10-01', ['a'], 'PAUSED'),
      state(3, '2027-04-01', ['a', 'b']),
      meeting('x', '2026-09-20', ['a']),
      // Logged twice under one meeting id: counted once.
      meeting('x', '2026-09-20', ['a']),
    ];
    expect(cells(mentorshipContributions(events, SETTINGS))).toEqual({
      'MENTOR_MEETINGS 2026-2027/T1': [1, 0],
      'MENTOR_MEETINGS 2026-2027': [1, 0],
      'MEETINGS_PER_MENTEE 2026-2027/T1': [1, 1],
      'MEETINGS_PER_MENTEE 2026-2027': [2, 1],
      'MEETINGS_PER_MENTEE 2026-2027/T2': [2, 0],
      'MENTEES_WITHOUT_MEETING 2026-2027': [1, 0],
      'MENTEES_WITHOUT_MEETING 2026-2027/T2': [2, 0],
    });
  });

  it('reaches a new term through the sweep marker; a meeting before any state counts only as a meeting', () => {
    const marked = [state(1, '2026-09-10', ['a']), ev(TERM_REACHED, 0, '2027-03-02T00:00:00.000Z', { on: '2027-03-02' })];
    expect(cells(mentorshipContributions(marked, SETTINGS))['MENTEES_WITHOUT_MEETING 2026-2027/T2']).toEqual([1, 0]);
    expect(cells(mentorshipContributions([meeting('y', '2026-09-20', [])], SETTINGS))).toEqual({
      'MENTOR_MEETINGS 2026-2027/T1': [1, 0],
      'MENTOR_MEETINGS 2026-2027': [1, 0],
    });
  });
});

describe('goalContributions', () => {
  const goal = (seq: number, status: string, updatedAt: string, pendingAcceptance = false) =>
    ev('DevelopmentGoalChanged', seq, updatedAt, { schoolId: 's', setOn: '2026-10-01', status, pendingAcceptance, updatedAt });

  it('counts a goal when the student holds it, achieved when it last became so', () => {
    expect(goalContributions([goal(1, 'OPEN', '2026-10-01T10:00:00.000Z', true)], SETTINGS)).toEqual([]);
    const reAchieved = [
      goal(1, 'OPEN', '2026-10-01T10:00:00.000Z'),
      goal(2, 'ACHIEVED', '2026-11-01T10:00:00.000Z'),
      goal(3, 'IN_PROGRESS', '2027-02-01T10:00:00.000Z'),
      goal(4, 'ACHIEVED', '2027-03-10T10:00:00.000Z'),
      goal(5, 'ACHIEVED', '2027-04-10T10:00:00.000Z'),
    ];
    expect(cells(goalContributions(reAchieved, SETTINGS))).toEqual({
      'GOALS_SET 2026-2027/T1': [1, 0],
      'GOALS_SET 2026-2027': [1, 0],
      'GOALS_ACHIEVED 2026-2027/T2': [1, 0],
      'GOALS_ACHIEVED 2026-2027': [1, 0],
    });
  });
});

describe('curriculum figures', () => {
  it('blends teaching methods by hours and covers a profile by the competencies the objectives address', () => {
    expect(
      methodBlend([
        { method: 'PBL', minutes: 60 },
        { method: 'LECTURE', minutes: 120 },
        { method: 'LAB', minutes: 0 },
      ]),
    ).toEqual([
      { method: 'LECTURE', hours: 2, share: 0.667 },
      { method: 'PBL', hours: 1, share: 0.333 },
    ]);
    expect(profileCoverage(['a', 'b'], { id: 'p', title: 'P', competencyIds: ['b', 'c', 'c'] })).toEqual({
      postProfileId: 'p',
      title: 'P',
      required: 2,
      covered: 1,
      share: 0.5,
      coveredBySubCompetencies: 0,
      missingCompetencyIds: ['c'],
    });
    expect(profileCoverage([], { id: 'q', title: 'Q', competencyIds: [] }).share).toBe(1);
    // Through the hierarchy: c is covered by teaching c.1 (beneath it); its parent's sibling d is not.
    const parentOf = new Map([
      ['c', null],
      ['c.1', 'c'],
      ['d', null],
    ]);
    expect(profileCoverage(['c.1'], { id: 'p', title: 'P', competencyIds: ['c', 'd', 'c.1'] }, parentOf)).toMatchObject({
      required: 3,
      covered: 2,
      coveredBySubCompetencies: 1,
      missingCompetencyIds: ['d'],
    });
  });
});

describe("mentorship figures per block (the sweep's block markers)", () => {
  const block = (blockId: string, startsOn: string, endsOn: string) =>
    ev(BLOCK_REACHED, 0, '2026-12-01T06:00:00.000Z', { mentorshipId: 'm', blockId, startsOn, endsOn, on: '2026-12-01' });
  const blocks = (c: Contribution[]) => cells(c.filter((x) => x.key.periodKind === 'BLOCK'));

  it('counts a meeting in the marked block whose dates hold it, and each mentee in every block their membership overlaps', () => {
    const events = [
      state(1, '2026-09-01', ['a', 'b']),
      state(2, '2026-10-10', ['a']),
      meeting('x', '2026-09-15', ['a', 'b']),
      meeting('y', '2026-10-20', ['a']),
      // Outside every marked block: counted in its term and year only.
      meeting('z', '2026-11-20', ['a']),
      block('B1', '2026-09-07', '2026-10-04'),
      block('B2', '2026-10-05', '2026-11-01'),
    ];
    const out = mentorshipContributions(events, SETTINGS);
    // B1: a and b met once each; B2: a met once, b (left on 10 Oct, within B2) did not.
    expect(blocks(out)).toEqual({
      'MEETINGS_PER_MENTEE B1': [2, 2],
      'MENTOR_MEETINGS B1': [1, 0],
      'MEETINGS_PER_MENTEE B2': [2, 1],
      'MENTEES_WITHOUT_MEETING B2': [1, 0],
      'MENTOR_MEETINGS B2': [1, 0],
    });
    expect(cells(out)['MENTOR_MEETINGS 2026-2027/T1']).toEqual([3, 0]);
    // Per-mentee figures carry the mentee's pseudonym (k distinct mentees), never the id; meetings none.
    const perMentee = out.filter((c) => c.key.metric === 'MEETINGS_PER_MENTEE' && c.key.periodId === 'B1');
    expect(perMentee.map((c) => c.evaluator).sort()).toEqual(
      ['a', 'a', 'b', 'b'].map((s) => studentPseudonym(s, DEV_PSEUDONYM_SECRET)).sort(),
    );
    expect(out.filter((c) => c.key.metric === 'MENTOR_MEETINGS').every((c) => c.evaluator === null)).toBe(true);
  });

  it('keeps no block figures without markers, and the same figures whatever the order of the events', () => {
    const events = [state(1, '2026-09-01', ['a']), meeting('x', '2026-09-15', ['a'])];
    expect(blocks(mentorshipContributions(events, SETTINGS))).toEqual({});
    const marked = [...events, block('B1', '2026-09-07', '2026-10-04')];
    expect(mentorshipContributions([...marked].reverse(), SETTINGS)).toEqual(mentorshipContributions(marked, SETTINGS));
  });
});

describe('goals per block', () => {
  it('counts a goal set and achieved in the marked blocks holding those days', () => {
    const g = (seq: number, status: string, updatedAt: string) =>
      ev('DevelopmentGoalChanged', seq, updatedAt, {
        goalId: 'g',
        studentId: 'a',
        schoolId: 's',
        status,
        pendingAcceptance: false,
        setOn: '2026-09-20',
        updatedAt,
      });
    const marker = (blockId: string, startsOn: string, endsOn: string) =>
      ev(BLOCK_REACHED, 0, '2026-12-01T06:00:00.000Z', { goalId: 'g', blockId, startsOn, endsOn, on: '2026-12-01' });
    const events = [g(1, 'OPEN', '2026-09-20T10:00:00.000Z'), g(2, 'ACHIEVED', '2026-10-12T10:00:00.000Z')];
    const blockCells = (c: Contribution[]) => cells(c.filter((x) => x.key.periodKind === 'BLOCK'));
    expect(blockCells(goalContributions(events, SETTINGS))).toEqual({});
    const marked = [...events, marker('B1', '2026-09-07', '2026-10-04'), marker('B2', '2026-10-05', '2026-11-01')];
    expect(blockCells(goalContributions(marked, SETTINGS))).toEqual({ 'GOALS_SET B1': [1, 0], 'GOALS_ACHIEVED B2': [1, 0] });
  });
});

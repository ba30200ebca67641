import type { Contribution, RollupSettings, StoredEvent } from './contributions';
import { ALL_SCHOOLS, type Metric, NETWORK_ID } from './metrics';
import { academicYearOf, type PeriodRef, termOf } from './periods';
import { pseudonymKeyOf, studentPseudonym } from './pseudonyms';

/**
 * Mentorship figures of a school, per rotation block, term and academic year: how many meetings each mentee attended (MEETINGS_PER_MENTEE: one count per mentee,
 * its value the meetings; mean and distribution follow), mentees who attended none
 * (MENTEES_WITHOUT_MEETING), meetings held (MENTOR_MEETINGS), goals set and achieved.
 *
 * A mentorship's rollup unit holds its MentorshipChanged states, its meetings (recorded under
 * the mentorship, see `rollupUnitOf`) and quality's own term markers (TERM_REACHED, written by
 * the sweep while the mentorship is active, so a mentee who stops meeting counts as without a
 * meeting in the new term although no event came) and block markers (BLOCK_REACHED: the school's
 * rotation block with its dates, also written by the sweep, ADR 0021), which tell which block a
 * meeting's date falls in — the block's dates travel inside the unit, so the fold still needs no
 * other aggregate. Like every fold, the result depends only on the set of events held:
 * incremental apply and rebuild agree.
 *
 * Per-mentee figures carry the mentee's pseudonym as their contributor: MEETINGS_PER_MENTEE and
 * MENTEES_WITHOUT_MEETING are protected with k distinct mentees, blocks together with their
 * terms and year (ADR 0021).
 */
export const TERM_REACHED = 'QualityMentorshipTermReached';
/** Notifications' AssessmentReminderSent, held under its task. */
export const REMINDER_SENT = 'AssessmentReminderSent';
export const BLOCK_REACHED = 'QualityMentorshipBlockReached';

interface BlockSpan {
  id: string;
  startsOn: string;
  endsOn: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const dateOf = (instant: string): string => new Date(instant).toISOString().slice(0, 10);
const bySequence = (events: readonly StoredEvent[]): StoredEvent[] =>
  [...events].sort((a, b) => a.sequence - b.sequence || a.id.localeCompare(b.id));

/** The rollup unit an event is held under: a meeting under its mentorship, everything else under its own aggregate. */
export function rollupUnitOf(e: { type: string; aggregateType: string; aggregateId: string; payload: unknown }): {
  type: string;
  id: string;
} {
  const mentorshipId = str((e.payload as { mentorshipId?: unknown } | null)?.mentorshipId);
  if (e.type === 'MentorshipMeetingLogged' && mentorshipId) return { type: 'Mentorship', id: mentorshipId };
  // A task's reminders and escalations (notifications' steps) are folded with the task (ADR 0031).
  const taskId = str((e.payload as { taskId?: unknown } | null)?.taskId);
  if (e.type === REMINDER_SENT && taskId) return { type: 'AssessmentTask', id: taskId };
  return { type: e.aggregateType, id: e.aggregateId };
}

/** The term and year of a date. */
const periodsOn = (date: string, startMonth: number): PeriodRef[] => [
  { kind: 'TERM', id: termOf(date, startMonth) },
  { kind: 'YEAR', id: academicYearOf(date, startMonth) },
];

/** Every term and year from one date to another (inclusive), month by month. */
export function periodsBetween(from: string, to: string, startMonth: number): PeriodRef[] {
  const out = new Map<string, PeriodRef>();
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    for (const p of periodsOn(`${month}-01`, startMonth)) out.set(`${p.kind}:${p.id}`, p);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return [...out.values()];
}

/** Counted once at the network, for every student and for the school's. */
function counted(
  metric: Metric,
  school: string | null,
  period: PeriodRef,
  value: number | null,
  evaluator: string | null = null,
): Contribution[] {
  return (school ? [ALL_SCHOOLS, school] : [ALL_SCHOOLS]).map((s) => ({
    key: {
      metric,
      school: s,
      scopeKind: 'NETWORK',
      scopeId: NETWORK_ID,
      periodKind: period.kind,
      periodId: period.id,
      item: '',
      parent: null,
    },
    value,
    evaluator,
  }));
}

/** The blocks the unit's markers name (one per block: the first marker's dates). */
function blocksOf(ordered: readonly StoredEvent[]): BlockSpan[] {
  const blocks = new Map<string, BlockSpan>();
  for (const e of ordered) {
    const id = str(e.payload.blockId);
    const startsOn = str(e.payload.startsOn);
    const endsOn = str(e.payload.endsOn);
    if (e.type === BLOCK_REACHED && id && startsOn && endsOn && !blocks.has(id)) blocks.set(id, { id, startsOn, endsOn });
  }
  return [...blocks.values()].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id.localeCompare(b.id));
}

/** A date's block: the earliest-starting marked block whose dates hold it (blocks of one school do not overlap). */
function blockHolding(blocks: readonly BlockSpan[], date: string): PeriodRef[] {
  const b = blocks.find((x) => x.startsOn <= date && date <= x.endsOn);
  return b ? [{ kind: 'BLOCK', id: b.id }] : [];
}

/**
 * A mentorship: each mentee is counted in every term and year they were a mentee of it while
 * it was ACTIVE (from the state that added them to the one that removed them, paused or ended
 * the mentorship; still active: up to the latest date the mentorship's events know), with the
 * meetings they attended in that period. A mentee in two mentorships counts in each.
 */
export function mentorshipContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const start = settings.academicYearStartMonth;
  const ordered = bySequence(events);
  const states = ordered.filter((e) => e.type === 'MentorshipChanged');
  const meetings = [
    ...new Map(ordered.filter((e) => e.type === 'MentorshipMeetingLogged').map((e) => [str(e.payload.meetingId), e])).values(),
  ];
  const school =
    str(states.at(-1)?.payload.schoolId) ??
    str([...meetings].sort((a, b) => String(a.payload.metOn).localeCompare(String(b.payload.metOn))).at(-1)?.payload.schoolId);
  const dates = [
    ...states.map((s) => dateOf(s.occurredAt)),
    ...meetings.map((m) => String(m.payload.metOn)),
    ...ordered.filter((e) => e.type === TERM_REACHED || e.type === BLOCK_REACHED).map((e) => String(e.payload.on)),
  ].sort();
  const blocks = blocksOf(ordered);
  const blockOn = (date: string) => blockHolding(blocks, date);
  const horizon = dates.at(-1);
  if (!horizon) return [];

  // Each mentee's spans of membership while the mentorship was active.
  const spans = new Map<string, { from: string; to: string | null }[]>();
  let current = new Set<string>();
  for (const s of states) {
    const on = dateOf(s.occurredAt);
    const active = new Set(s.payload.status === 'ACTIVE' ? ((s.payload.menteeIds as string[] | undefined) ?? []) : []);
    for (const m of current) if (!active.has(m)) spans.get(m)!.at(-1)!.to = on;
    for (const m of active) if (!current.has(m)) spans.set(m, [...(spans.get(m) ?? []), { from: on, to: null }]);
    current = active;
  }

  // Meetings attended per mentee and period.
  const attended = new Map<string, Map<string, number>>();
  const periods = new Map<string, PeriodRef>();
  const out: Contribution[] = [];
  const note = (mentee: string, p: PeriodRef, by: number) => {
    const key = `${p.kind}:${p.id}`;
    periods.set(key, p);
    const per = attended.get(mentee) ?? new Map<string, number>();
    per.set(key, (per.get(key) ?? 0) + by);
    attended.set(mentee, per);
  };
  for (const [mentee, list] of spans)
    for (const span of list) {
      const to = span.to ?? horizon;
      const until = to < span.from ? span.from : to;
      for (const p of periodsBetween(span.from, until, start)) note(mentee, p, 0);
      for (const b of blocks) if (span.from <= b.endsOn && until >= b.startsOn) note(mentee, { kind: 'BLOCK', id: b.id }, 0);
    }
  for (const meeting of meetings) {
    const on = String(meeting.payload.metOn);
    for (const p of [...blockOn(on), ...periodsOn(on, start)]) {
      out.push(...counted('MENTOR_MEETINGS', school, p, null));
      for (const mentee of (meeting.payload.attendingMenteeIds as string[] | undefined) ?? []) note(mentee, p, 1);
    }
  }
  for (const [mentee, per] of attended) {
    const who = studentPseudonym(mentee, pseudonymKeyOf(settings));
    for (const [key, n] of per) {
      const p = periods.get(key)!;
      out.push(...counted('MEETINGS_PER_MENTEE', school, p, n, who));
      if (n === 0) out.push(...counted('MENTEES_WITHOUT_MEETING', school, p, null, who));
    }
  }
  return out;
}

/**
 * A development goal (its latest state): set in the block, term and year of `setOn` once the
 * student has it (a mentor's proposal counts when accepted), achieved in those of the day it last
 * became ACHIEVED (the `updatedAt` of the state that made it so). The block is the one of the
 * sweep's block markers held with the goal whose dates hold the day (none: no block).
 */
export function goalContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const ordered = bySequence(events);
  const states = ordered.filter((e) => e.type === 'DevelopmentGoalChanged');
  // The goal's school's blocks that hold one of its dates (the sweep's markers, held with the goal).
  const blocks = blocksOf(ordered);
  const latest = states.at(-1)?.payload;
  if (!latest || latest.pendingAcceptance === true) return [];
  const school = str(latest.schoolId);
  const start = settings.academicYearStartMonth;
  const setOn = String(latest.setOn);
  const out = [...blockHolding(blocks, setOn), ...periodsOn(setOn, start)].flatMap((p) => counted('GOALS_SET', school, p, null));
  if (latest.status === 'ACHIEVED') {
    let since = states.length - 1;
    while (since > 0 && states[since - 1]!.payload.status === 'ACHIEVED') since -= 1;
    const on = dateOf(String(states[since]!.payload.updatedAt));
    out.push(...[...blockHolding(blocks, on), ...periodsOn(on, start)].flatMap((p) => counted('GOALS_ACHIEVED', school, p, null)));
  }
  return out;
}

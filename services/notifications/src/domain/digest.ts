import { instantAtLocal, localParts } from './local-time';
import { type Locale, type Message, type PlacementMessageFacts, type SwapMessageFacts, swapWhat } from './messages';
import { nextAllowed, type SendingWindow } from './quiet-hours';

/** The local hour a daily digest goes out: the morning, and never before quiet hours end. */
export const DIGEST_HOUR = 8;

/**
 * When the digest that takes a reminder due at `at` goes out: the first local DIGEST_HOUR (or
 * the end of quiet hours, if later) at or after `at` that is an allowed time (not a weekend when
 * the policy skips weekends). A reminder falling due at 09:00 waits for the next morning: a
 * digest is one message a day, read at the start of it.
 */
export function digestSlot(at: Date, w: SendingWindow): Date {
  const hour = Math.max(DIGEST_HOUR, w.quietUntilHour);
  const p = localParts(at, w.timeZone);
  for (let days = 0; days < 10; days++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
    const candidate = instantAtLocal(w.timeZone, day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour);
    if (candidate.getTime() < at.getTime()) continue;
    if (nextAllowed(candidate, w).getTime() === candidate.getTime()) return candidate;
  }
  return nextAllowed(at, w);
}

/** One task in a digest: every name resolved. */
export interface DigestLine {
  instrumentTitle: string;
  studentName: string;
  departmentName: string | null;
  /** Who must fill it in: named when the digest's reader is a coordinator (escalation), null for their own tasks. */
  assessorName: string | null;
  dueAt: Date;
  overdue: boolean;
}

/** A mentee without a meeting in a digest: named, with their mentor named when the reader is a coordinator. */
export interface MenteeDigestLine {
  menteeName: string;
  /** Null when the reader is the mentor themself. */
  mentorName: string | null;
  weeks: number;
  lastMetOn: string | null;
}

function menteeSection(lines: MenteeDigestLine[], locale: Locale): string {
  if (!lines.length) return '';
  if (locale === 'zh-CN')
    return lines
      .map(
        (l) =>
          `- ${l.menteeName} 已 ${l.weeks} 周未与${l.mentorName ? `导师 ${l.mentorName} ` : '你'}见面${l.lastMetOn ? `（上次 ${l.lastMetOn}）` : ''}`,
      )
      .join('\n');
  return lines
    .map(
      (l) =>
        `- ${l.menteeName} has not met ${l.mentorName ? `their mentor ${l.mentorName}` : 'you'} for ${l.weeks} weeks${l.lastMetOn ? ` (last met on ${l.lastMetOn})` : ''}`,
    )
    .join('\n');
}

const when = (at: Date, timeZone: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);

/**
/**
 * A reminder other than a task's that a digest carries, every name resolved: a placement about
 * to start (to its student or supervisor), a preference window closing (to a student who has not
 * ranked), a swap request waiting for the reader's answer or decision.
 */
export type DigestNotice =
  | ({ kind: 'PLACEMENT_STARTING'; audience: 'STUDENT' | 'SUPERVISOR'; blockName: string | null } & PlacementMessageFacts)
  | { kind: 'PREFERENCE_WINDOW_CLOSING'; schoolName: string; academicYear: string; closesAt: Date }
  | ({ kind: 'SWAP_AWAITING_ANSWER'; audience: 'STUDENT' | 'COORDINATORS' } & SwapMessageFacts);

/** A placement's block: its name and days (only its days when older events did not carry the name). */
const block = (n: { startsOn: string; endsOn: string; blockName: string | null }, locale: Locale) => {
  if (locale === 'zh-CN') return n.blockName ? `${n.blockName}（${n.startsOn} 至 ${n.endsOn}）` : `${n.startsOn} 至 ${n.endsOn} 轮转段`;
  return n.blockName ? `${n.blockName} (${n.startsOn} to ${n.endsOn})` : `block ${n.startsOn} to ${n.endsOn}`;
};

function noticeLine(n: DigestNotice, timeZone: string, locale: Locale): string {
  const zh = locale === 'zh-CN';
  switch (n.kind) {
    case 'PLACEMENT_STARTING':
      return zh
        ? `- 轮转即将开始：${n.studentName}，${n.hospitalName} ${n.departmentName}，${block(n, locale)}${n.supervisorName ? `，带教老师 ${n.supervisorName}` : ''}`
        : `- PLACEMENT STARTING: ${n.studentName} in ${n.departmentName} at ${n.hospitalName}, ${block(n, locale)}${n.supervisorName ? `, supervisor ${n.supervisorName}` : ''}`;
    case 'PREFERENCE_WINDOW_CLOSING':
      return zh
        ? `- 志愿即将截止：${n.schoolName} ${n.academicYear} 轮转志愿于 ${when(n.closesAt, timeZone, locale)} 截止，你尚未排序`
        : `- PREFERENCES CLOSING: rank your ${n.academicYear} placements at ${n.schoolName} before ${when(n.closesAt, timeZone, locale)}`;
    case 'SWAP_AWAITING_ANSWER':
      return zh
        ? `- 交换请求待${n.audience === 'STUDENT' ? '答复' : '审批'}：${swapWhat(n, locale)}`
        : `- SWAP AWAITING YOUR ${n.audience === 'STUDENT' ? 'ANSWER' : 'DECISION'}: ${swapWhat(n, locale)}`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A person's daily digest: one message listing all their due and overdue tasks, overdue first,
 * then the other reminders it carries (placements starting, windows closing, swaps awaiting them),
 * then the mentees who have gone without a meeting (their mentor's or coordinators' rungs).
 */
export function dailyDigest(
  lines: DigestLine[],
  timeZone: string,
  locale: Locale = 'en',
  notices: DigestNotice[] = [],
  mentees: MenteeDigestLine[] = [],
): Message {
  const sorted = [...lines].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.getTime() - b.dueAt.getTime());
  const overdue = sorted.filter((l) => l.overdue).length;
  const others = notices.map((n) => noticeLine(n, timeZone, locale));
  const menteeLines = mentees.length ? [menteeSection(mentees, locale)] : [];
  if (locale === 'zh-CN') {
    const tasks = lines.length ? `${lines.length} 项评估任务待完成${overdue ? `（${overdue} 项已逾期）` : ''}` : '';
    const rest = notices.length ? `${notices.length} 项其他提醒` : '';
    const unmet = mentees.length ? `${mentees.length} 名学员久未与导师见面` : '';
    return {
      kind: 'DAILY_DIGEST',
      title: `今日摘要：${[tasks, rest, unmet].filter(Boolean).join('，')}`,
      body: [
        ...sorted.map(
          (l) =>
            `- ${l.studentName}${l.departmentName ? `（${l.departmentName}）` : ''} 的 ${l.instrumentTitle}，${l.overdue ? '已逾期，' : ''}截止 ${when(l.dueAt, timeZone, locale)}${l.assessorName ? `，评估者 ${l.assessorName}` : ''}`,
        ),
        ...others,
        ...menteeLines,
      ].join('\n'),
    };
  }
  const tasks = lines.length ? `${plural(lines.length, 'assessment task')} to complete${overdue ? ` (${overdue} overdue)` : ''}` : '';
  const rest = notices.length ? plural(notices.length, lines.length ? 'other reminder' : 'reminder') : '';
  const unmet = mentees.length ? `${plural(mentees.length, 'mentee')} without a meeting` : '';
  return {
    kind: 'DAILY_DIGEST',
    title: `Your daily digest: ${[tasks, rest, unmet].filter(Boolean).join(' and ')}`,
    body: [
      ...sorted.map(
        (l) =>
          `- ${l.overdue ? 'OVERDUE ' : ''}${l.instrumentTitle} for ${l.studentName}${l.departmentName ? ` (${l.departmentName})` : ''}, due ${when(l.dueAt, timeZone, locale)}${l.assessorName ? `, assessor ${l.assessorName}` : ''}`,
      ),
      ...others,
      ...menteeLines,
    ].join('\n'),
  };
}

import { instantAtLocal, localParts } from './local-time';
import { type Locale, type Message } from './messages';
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
 * A person's daily digest: one message listing all their due and overdue tasks, overdue first,
 * then the mentees who have gone without a meeting (their mentor's or coordinators' rungs).
 */
export function dailyDigest(lines: DigestLine[], timeZone: string, locale: Locale = 'en', mentees: MenteeDigestLine[] = []): Message {
  const message = taskDigest(lines, timeZone, locale);
  if (!mentees.length) return message;
  const menteeTitle =
    locale === 'zh-CN'
      ? `${mentees.length} 名学员久未与导师见面`
      : `${mentees.length} mentee${mentees.length === 1 ? '' : 's'} without a meeting`;
  if (!lines.length)
    return {
      kind: 'DAILY_DIGEST',
      title: locale === 'zh-CN' ? `今日摘要：${menteeTitle}` : `Your daily digest: ${menteeTitle}`,
      body: menteeSection(mentees, locale),
    };
  return {
    kind: 'DAILY_DIGEST',
    title: `${message.title}${locale === 'zh-CN' ? '；' : '; '}${menteeTitle}`,
    body: `${message.body}\n${menteeSection(mentees, locale)}`,
  };
}

function taskDigest(lines: DigestLine[], timeZone: string, locale: Locale): Message {
  const sorted = [...lines].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.getTime() - b.dueAt.getTime());
  const overdue = sorted.filter((l) => l.overdue).length;
  if (locale === 'zh-CN') {
    return {
      kind: 'DAILY_DIGEST',
      title: `今日摘要：${lines.length} 项评估任务待完成${overdue ? `（${overdue} 项已逾期）` : ''}`,
      body: sorted
        .map(
          (l) =>
            `- ${l.studentName}${l.departmentName ? `（${l.departmentName}）` : ''} 的 ${l.instrumentTitle}，${l.overdue ? '已逾期，' : ''}截止 ${when(l.dueAt, timeZone, locale)}${l.assessorName ? `，评估者 ${l.assessorName}` : ''}`,
        )
        .join('\n'),
    };
  }
  return {
    kind: 'DAILY_DIGEST',
    title: `Your daily digest: ${lines.length} assessment task${lines.length === 1 ? '' : 's'} to complete${overdue ? ` (${overdue} overdue)` : ''}`,
    body: sorted
      .map(
        (l) =>
          `- ${l.overdue ? 'OVERDUE ' : ''}${l.instrumentTitle} for ${l.studentName}${l.departmentName ? ` (${l.departmentName})` : ''}, due ${when(l.dueAt, timeZone, locale)}${l.assessorName ? `, assessor ${l.assessorName}` : ''}`,
      )
      .join('\n'),
  };
}

/** Languages messages are written in (the recipient's preference; English by default). */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Kinds of message; preferences (channels, digest) are set per kind. */
export const NOTIFICATION_KINDS = [
  'TASK_REMINDER',
  'TASK_ESCALATION',
  'QUALITY_SUMMARY',
  'WEBHOOK_DISABLED',
  'QUALITY_ALERT',
  'DAILY_DIGEST',
  'PLACEMENT_STARTING',
  'PREFERENCE_WINDOW_CLOSING',
  'SWAP_AWAITING_ANSWER',
  'MENTEE_PLACEMENT_STARTED',
  'MENTEE_BELOW_EXPECTED',
  'MENTEE_WITHOUT_MEETING',
  'MENTEE_MEETING_ESCALATION',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a message says about a task; every name resolved, so people read names, not ids. */
export interface TaskMessageFacts {
  stepKey: string;
  instrumentTitle: string;
  studentName: string;
  assessorName: string;
  departmentName: string | null;
  dueAt: Date;
  timeZone: string;
}

export interface Message {
  kind: NotificationKind;
  title: string;
  body: string;
}

const when = (at: Date, timeZone: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);

/** The reminder or escalation for one rung of one task, in the recipient's language. */
export function taskMessage(f: TaskMessageFacts, audience: 'ASSESSOR' | 'COORDINATORS', locale: Locale = 'en'): Message {
  const due = when(f.dueAt, f.timeZone, locale);
  const overdue = f.stepKey !== 'BEFORE_DUE' && f.stepKey !== 'AT_DUE';
  if (locale === 'zh-CN') {
    const where = f.departmentName ? `（${f.departmentName}）` : '';
    if (audience === 'COORDINATORS') {
      return {
        kind: 'TASK_ESCALATION',
        title: `已逾期：${f.studentName} 的 ${f.instrumentTitle}`,
        body: `${f.assessorName} 尚未完成 ${f.studentName}${where} 的 ${f.instrumentTitle}（截止 ${due}）。`,
      };
    }
    return {
      kind: 'TASK_REMINDER',
      title: overdue ? `已逾期：${f.studentName} 的 ${f.instrumentTitle}` : `${due} 截止：${f.studentName} 的 ${f.instrumentTitle}`,
      body: overdue
        ? `${f.studentName}${where} 的 ${f.instrumentTitle} 已于 ${due} 到期，请尽快完成。`
        : `请在 ${due} 前完成 ${f.studentName}${where} 的 ${f.instrumentTitle}。`,
    };
  }
  const where = f.departmentName ? ` (${f.departmentName})` : '';
  if (audience === 'COORDINATORS') {
    return {
      kind: 'TASK_ESCALATION',
      title: `Overdue: ${f.instrumentTitle} for ${f.studentName}`,
      body: `${f.assessorName} has not completed the ${f.instrumentTitle} for ${f.studentName}${where}, due ${due}.`,
    };
  }
  return {
    kind: 'TASK_REMINDER',
    title: overdue ? `Overdue: ${f.instrumentTitle} for ${f.studentName}` : `Due ${due}: ${f.instrumentTitle} for ${f.studentName}`,
    body: overdue
      ? `The ${f.instrumentTitle} for ${f.studentName}${where} was due ${due}. Please complete it.`
      : `Please complete the ${f.instrumentTitle} for ${f.studentName}${where} by ${due}.`,
  };
}

export interface SummaryLine {
  instrumentTitle: string;
  studentName: string;
  assessorName: string;
  dueAt: Date;
}

/** The quality office's weekly summary: one message listing every task escalated to it. */
export function weeklySummary(lines: SummaryLine[], timeZone: string, locale: Locale = 'en'): Message {
  if (locale === 'zh-CN') {
    return {
      kind: 'QUALITY_SUMMARY',
      title: `${lines.length} 项评估任务严重逾期`,
      body: lines
        .map((l) => `- ${l.studentName} 的 ${l.instrumentTitle}，评估者 ${l.assessorName}，截止 ${when(l.dueAt, timeZone, locale)}`)
        .join('\n'),
    };
  }
  return {
    kind: 'QUALITY_SUMMARY',
    title: `${lines.length} assessment task${lines.length === 1 ? '' : 's'} long overdue`,
    body: lines
      .map((l) => `- ${l.instrumentTitle} for ${l.studentName}, assessor ${l.assessorName}, due ${when(l.dueAt, timeZone, locale)}`)
      .join('\n'),
  };
}

/** To an institution's admins: a webhook subscription kept failing and was switched off. */
export function webhookDisabled(url: string, failures: number, locale: Locale = 'en'): Message {
  return locale === 'zh-CN'
    ? {
        kind: 'WEBHOOK_DISABLED',
        title: `Webhook 已停用：${url}`,
        body: `发送到 ${url} 的 Webhook 连续 ${failures} 次投递失败，已自动停用。修复接收端后，请重新订阅或重新投递。`,
      }
    : {
        kind: 'WEBHOOK_DISABLED',
        title: `Webhook disabled: ${url}`,
        body: `Deliveries to ${url} failed ${failures} times in a row, so the subscription was disabled. Fix the receiver, then subscribe again or redeliver.`,
      };
}

/** A person's display name from the directory, or a neutral word when their registration has not arrived. */
export const displayName = (p: { givenName: string | null; familyName: string | null } | undefined, fallback: string): string =>
  p && (p.givenName || p.familyName) ? [p.givenName, p.familyName].filter(Boolean).join(' ') : fallback;

/** What a quality alert says; the department is named, never an id, and the figure is a released one. */
export interface QualityAlertFacts {
  metric: string;
  /** The department (or the teacher's department) the figure is about; null for the whole institution. */
  departmentName: string | null;
  periodId: string;
  value: number;
  threshold: number;
  direction: 'BELOW' | 'ABOVE';
}

const figure = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** To an institution's quality officers: one of its alert rules fired on a released figure. */
export function qualityAlertMessage(f: QualityAlertFacts, locale: Locale = 'en'): Message {
  const where = f.departmentName ?? (locale === 'zh-CN' ? '全院' : 'the institution');
  if (locale === 'zh-CN') {
    const side = f.direction === 'BELOW' ? '低于' : '高于';
    return {
      kind: 'QUALITY_ALERT',
      title: `质量警报：${where} 的 ${f.metric}`,
      body: `${where} 在 ${f.periodId} 的 ${f.metric} 为 ${figure(f.value)}，${side}阈值 ${figure(f.threshold)}。`,
    };
  }
  const side = f.direction === 'BELOW' ? 'below' : 'above';
  return {
    kind: 'QUALITY_ALERT',
    title: `Quality alert: ${f.metric} in ${where}`,
    body: `${f.metric} in ${where} for ${f.periodId} is ${figure(f.value)}, ${side} the threshold of ${figure(f.threshold)}.`,
  };
}

/** What a placement-starting reminder says; every name resolved. */
export interface PlacementMessageFacts {
  studentName: string;
  supervisorName: string | null;
  departmentName: string;
  hospitalName: string;
  startsOn: string;
  endsOn: string;
}

/** To the student and the supervisor, the day before: the placement starts tomorrow. */
export function placementStartingMessage(f: PlacementMessageFacts, audience: 'STUDENT' | 'SUPERVISOR', locale: Locale = 'en'): Message {
  if (locale === 'zh-CN') {
    const who = audience === 'STUDENT' ? '你的' : `${f.studentName} 的`;
    return {
      kind: 'PLACEMENT_STARTING',
      title: `${who}轮转即将开始：${f.hospitalName} ${f.departmentName}，${f.startsOn}`,
      body:
        audience === 'STUDENT'
          ? `你在 ${f.hospitalName} ${f.departmentName} 的轮转于 ${f.startsOn} 开始，${f.endsOn} 结束${f.supervisorName ? `，带教老师为 ${f.supervisorName}` : ''}。`
          : `${f.studentName} 将于 ${f.startsOn} 开始在 ${f.departmentName}（${f.hospitalName}）轮转，至 ${f.endsOn}，由你带教。`,
    };
  }
  return {
    kind: 'PLACEMENT_STARTING',
    title:
      audience === 'STUDENT'
        ? `Your placement in ${f.departmentName}, ${f.hospitalName} starts on ${f.startsOn}`
        : `${f.studentName} starts in ${f.departmentName} on ${f.startsOn}`,
    body:
      audience === 'STUDENT'
        ? `Your placement in ${f.departmentName} at ${f.hospitalName} runs from ${f.startsOn} to ${f.endsOn}${f.supervisorName ? `; your supervisor is ${f.supervisorName}` : ''}.`
        : `${f.studentName} starts a placement in ${f.departmentName} at ${f.hospitalName} on ${f.startsOn} (until ${f.endsOn}), with you as supervisor.`,
  };
}

/** What a preference-window reminder says. */
export interface PreferenceWindowFacts {
  studentName: string;
  schoolName: string;
  academicYear: string;
  closesAt: Date;
  timeZone: string;
}

/** To a student who has not ranked: the school's preference window closes in about two days. */
export function preferenceWindowClosingMessage(f: PreferenceWindowFacts, locale: Locale = 'en'): Message {
  const closes = when(f.closesAt, f.timeZone, locale);
  return locale === 'zh-CN'
    ? {
        kind: 'PREFERENCE_WINDOW_CLOSING',
        title: `${f.academicYear} 轮转志愿将于 ${closes} 截止`,
        body: `${f.studentName}，${f.schoolName} 的 ${f.academicYear} 轮转志愿填报将于 ${closes} 截止，你尚未提交志愿排序。`,
      }
    : {
        kind: 'PREFERENCE_WINDOW_CLOSING',
        title: `Rank your ${f.academicYear} placements before ${closes}`,
        body: `${f.studentName}, ${f.schoolName}'s preference window for ${f.academicYear} closes on ${closes} and you have not ranked your placements yet.`,
      };
}

/** What a swap reminder says: who asked, and which placements are at stake. */
export interface SwapMessageFacts {
  requesterName: string;
  departmentName: string;
  startsOn: string;
  /** The other student (an exchange), else null. */
  peerName: string | null;
  peerDepartmentName: string | null;
  /** Where a move goes (no exchange), else null. */
  toDepartmentName: string | null;
}

/** To whoever a swap request waits for: the other student (AWAITING_PEER) or the school's coordinators. */
export function swapAwaitingMessage(f: SwapMessageFacts, audience: 'STUDENT' | 'COORDINATORS', locale: Locale = 'en'): Message {
  const what =
    f.peerName !== null
      ? locale === 'zh-CN'
        ? `${f.requesterName}（${f.departmentName}，${f.startsOn} 开始）与 ${f.peerName}（${f.peerDepartmentName ?? ''}）交换轮转`
        : `${f.requesterName}'s ${f.departmentName} placement (from ${f.startsOn}) for ${f.peerName}'s in ${f.peerDepartmentName ?? 'another department'}`
      : locale === 'zh-CN'
        ? `${f.requesterName} 将 ${f.departmentName}（${f.startsOn} 开始）的轮转调至 ${f.toDepartmentName ?? ''}`
        : `${f.requesterName}'s ${f.departmentName} placement (from ${f.startsOn}) moved to ${f.toDepartmentName ?? 'another department'}`;
  if (locale === 'zh-CN')
    return {
      kind: 'SWAP_AWAITING_ANSWER',
      title: audience === 'STUDENT' ? `${f.requesterName} 的轮转交换请求等待你的答复` : `轮转交换请求等待审批：${f.requesterName}`,
      body: `请处理：${what}。`,
    };
  return {
    kind: 'SWAP_AWAITING_ANSWER',
    title:
      audience === 'STUDENT'
        ? `${f.requesterName} is waiting for your answer to a placement swap`
        : `A placement swap awaits your decision: ${f.requesterName}`,
    body: `Swap request: ${what}. ${audience === 'STUDENT' ? 'Please accept or decline it.' : 'Please approve or reject it.'}`,
  };
}

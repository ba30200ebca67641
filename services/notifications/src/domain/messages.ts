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
  kind: string;
  title: string;
  body: string;
}

const when = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);

/** The reminder or escalation for one rung of one task (English; the email templates add Chinese). */
export function taskMessage(f: TaskMessageFacts, audience: 'ASSESSOR' | 'COORDINATORS'): Message {
  const where = f.departmentName ? ` (${f.departmentName})` : '';
  const due = when(f.dueAt, f.timeZone);
  if (audience === 'COORDINATORS') {
    return {
      kind: 'TASK_ESCALATION',
      title: `Overdue: ${f.instrumentTitle} for ${f.studentName}`,
      body: `${f.assessorName} has not completed the ${f.instrumentTitle} for ${f.studentName}${where}, due ${due}.`,
    };
  }
  const overdue = f.stepKey !== 'BEFORE_DUE' && f.stepKey !== 'AT_DUE';
  return {
    kind: 'TASK_REMINDER',
    title: overdue ? `Overdue: ${f.instrumentTitle} for ${f.studentName}` : `Due ${due}: ${f.instrumentTitle} for ${f.studentName}`,
    body: overdue
      ? `The ${f.instrumentTitle} for ${f.studentName}${where} was due ${due}. Please complete it.`
      : `Please complete the ${f.instrumentTitle} for ${f.studentName}${where} by ${due}.`,
  };
}

/** The quality office's weekly summary: one message listing every task escalated to it. */
export function weeklySummary(
  lines: { instrumentTitle: string; studentName: string; assessorName: string; dueAt: Date }[],
  timeZone: string,
): Message {
  return {
    kind: 'QUALITY_SUMMARY',
    title: `${lines.length} assessment task${lines.length === 1 ? '' : 's'} long overdue`,
    body: lines
      .map((l) => `- ${l.instrumentTitle} for ${l.studentName}, assessor ${l.assessorName}, due ${when(l.dueAt, timeZone)}`)
      .join('\n'),
  };
}

/** A person's display name from the directory, or a neutral word when their registration has not arrived. */
export const displayName = (p: { givenName: string | null; familyName: string | null } | undefined, fallback: string): string =>
  p && (p.givenName || p.familyName) ? [p.givenName, p.familyName].filter(Boolean).join(' ') : fallback;

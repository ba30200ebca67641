import { type Locale, type Message } from './messages';

/** Instrument kinds as people read them (the event carries the kind, not a title). */
const INSTRUMENT_NAMES: Record<string, { en: string; zh: string }> = {
  MINI_CEX: { en: 'Mini-CEX', zh: 'Mini-CEX' },
  DOPS: { en: 'DOPS', zh: 'DOPS' },
  OSCE_STATION: { en: 'OSCE station', zh: 'OSCE 考站' },
  CASE_ANALYSIS: { en: 'case analysis', zh: '病例分析' },
  MULTISOURCE_FEEDBACK: { en: 'multisource feedback', zh: '多源反馈' },
  NOTSS: { en: 'NOTSS', zh: 'NOTSS' },
  EPA_ENTRUSTMENT: { en: 'EPA entrustment', zh: 'EPA 置信评估' },
};

/** What a mentor notice says; every name resolved from notifications' own directory. */
export type MentorNoticeFacts =
  | {
      kind: 'PLACEMENT_STARTED';
      menteeName: string;
      departmentName: string;
      hospitalName: string;
      startsOn: string;
      endsOn: string;
    }
  | {
      kind: 'SUMMATIVE_BELOW_EXPECTED';
      menteeName: string;
      instrumentKind: string | null;
      /** How many competencies were rated below the expected level. */
      competenciesBelow: number;
    };

/** To a mentor: something happened to one of their mentees. */
export function mentorNoticeMessage(f: MentorNoticeFacts, locale: Locale = 'en'): Message {
  if (f.kind === 'PLACEMENT_STARTED') {
    return locale === 'zh-CN'
      ? {
          kind: 'MENTEE_PLACEMENT_STARTED',
          title: `你的学员 ${f.menteeName} 已开始在 ${f.hospitalName} ${f.departmentName} 轮转`,
          body: `${f.menteeName} 于 ${f.startsOn} 开始在 ${f.hospitalName} ${f.departmentName} 轮转，至 ${f.endsOn}。`,
        }
      : {
          kind: 'MENTEE_PLACEMENT_STARTED',
          title: `Your mentee ${f.menteeName} started in ${f.departmentName}, ${f.hospitalName}`,
          body: `${f.menteeName} started a placement in ${f.departmentName} at ${f.hospitalName} on ${f.startsOn} (until ${f.endsOn}).`,
        };
  }
  const instrument = f.instrumentKind ? INSTRUMENT_NAMES[f.instrumentKind] : undefined;
  if (locale === 'zh-CN') {
    const what = instrument ? `终结性 ${instrument.zh}` : '终结性评估';
    return {
      kind: 'MENTEE_BELOW_EXPECTED',
      title: `你的学员 ${f.menteeName} 的${what}低于预期水平`,
      body: `${f.menteeName} 的${what}中有 ${f.competenciesBelow} 项能力评分低于预期水平（低于量表中点）。`,
    };
  }
  const what = instrument ? `summative ${instrument.en}` : 'summative assessment';
  const n = `${f.competenciesBelow} ${f.competenciesBelow === 1 ? 'competency' : 'competencies'}`;
  return {
    kind: 'MENTEE_BELOW_EXPECTED',
    title: `Your mentee ${f.menteeName}'s ${what} came back below the expected level`,
    body: `${f.menteeName}'s ${what} rated ${n} below the expected level (in the lower half of the scale).`,
  };
}

/** What a mentee-without-a-meeting reminder says. */
export interface MenteeMeetingFacts {
  menteeName: string;
  mentorName: string;
  /** The last meeting's date (YYYY-MM-DD), or null when they never met in this mentorship. */
  lastMetOn: string | null;
  /** Since when the mentee is in the mentorship (YYYY-MM-DD), when they never met. */
  since: string;
  weeks: number;
}

/** To the mentor (MENTOR) or the school's coordinators (COORDINATORS): a mentee has gone weeks without a meeting. */
export function menteeWithoutMeetingMessage(f: MenteeMeetingFacts, audience: 'MENTOR' | 'COORDINATORS', locale: Locale = 'en'): Message {
  const kind = audience === 'MENTOR' ? 'MENTEE_WITHOUT_MEETING' : 'MENTEE_MEETING_ESCALATION';
  if (locale === 'zh-CN') {
    const lastly = f.lastMetOn ? `上次见面是 ${f.lastMetOn}` : `自 ${f.since} 加入以来尚未见面`;
    return audience === 'MENTOR'
      ? {
          kind,
          title: `${f.menteeName} 已 ${f.weeks} 周没有与你见面`,
          body: `你的学员 ${f.menteeName} 已 ${f.weeks} 周没有导师见面记录（${lastly}）。请安排一次见面并记录。`,
        }
      : {
          kind,
          title: `学员 ${f.menteeName} 已 ${f.weeks} 周未与导师 ${f.mentorName} 见面`,
          body: `${f.menteeName} 与导师 ${f.mentorName} 已 ${f.weeks} 周没有见面记录（${lastly}），导师此前已收到提醒。`,
        };
  }
  const lastly = f.lastMetOn ? `they last met on ${f.lastMetOn}` : `no meeting since they joined on ${f.since}`;
  return audience === 'MENTOR'
    ? {
        kind,
        title: `${f.menteeName} has not met you for ${f.weeks} weeks`,
        body: `Your mentee ${f.menteeName} has had no meeting with you for ${f.weeks} weeks (${lastly}). Please arrange one and log it.`,
      }
    : {
        kind,
        title: `${f.menteeName} has not met their mentor ${f.mentorName} for ${f.weeks} weeks`,
        body: `${f.menteeName} has had no meeting with their mentor ${f.mentorName} for ${f.weeks} weeks (${lastly}); the mentor was reminded before.`,
      };
}

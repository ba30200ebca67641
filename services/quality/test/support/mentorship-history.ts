import { DevelopmentGoalChanged, type EventEnvelope, MentorshipChanged, MentorshipMeetingLogged } from '@medcollab/events';
import { envelope } from './events';
import { uuidFor } from './generate';

/**
 * A deterministic generator of mentorship's event histories (tests): a mentorship created with
 * some mentees, perhaps joined by another, paused and resumed, or ended; its meetings on dates
 * after it began; and its mentees' development goals with their status changes. Events carry
 * the instants the producer would have committed them at.
 */
const DAY_MS = 86_400_000;
const dateAt = (start: number, days: number): string => new Date(start + days * DAY_MS).toISOString().slice(0, 10);
const at = (e: EventEnvelope, instant: string): EventEnvelope => ({ ...e, occurredAt: instant });

export function mentorshipHistory(schools: readonly string[], n: number, rand: () => number, prefix = ''): EventEnvelope[] {
  const id = (k: string) => uuidFor(`${prefix}mentorship${n}.${k}`);
  const schoolId = schools[Math.floor(rand() * schools.length)]!;
  const mentorshipId = id('m');
  const mentorId = id('mentor');
  const mentees = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => id(`mentee${i}`));
  const start = Date.UTC(2026, 8, 1) + Math.floor(rand() * 200) * DAY_MS;
  const out: EventEnvelope[] = [];
  let seq = 0;
  const state = (menteeIds: string[], status: 'ACTIVE' | 'PAUSED' | 'ENDED', days: number) => {
    seq += 1;
    const e = envelope(MentorshipChanged, mentorshipId, { mentorshipId, mentorId, schoolId, menteeIds, status }, seq, id(`state${seq}`));
    out.push(at(e, new Date(start + days * DAY_MS + 3_600_000).toISOString()));
  };
  const first = mentees.slice(0, Math.max(1, mentees.length - 1));
  state(first, 'ACTIVE', 0);
  let current = first;
  if (mentees.length > first.length && rand() < 0.7) {
    current = mentees;
    state(current, 'ACTIVE', 20 + Math.floor(rand() * 60));
  }
  const r = rand();
  if (r < 0.3) {
    state(current, 'PAUSED', 100 + Math.floor(rand() * 40));
    if (rand() < 0.5) state(current, 'ACTIVE', 190 + Math.floor(rand() * 30));
  } else if (r < 0.5) state(current, 'ENDED', 150 + Math.floor(rand() * 150));

  const meetings = Math.floor(rand() * 6);
  for (let i = 0; i < meetings; i++) {
    const meetingId = id(`meeting${i}`);
    const attending = current.filter(() => rand() < 0.7);
    const metOn = dateAt(start, Math.floor(rand() * 300));
    const e = envelope(
      MentorshipMeetingLogged,
      meetingId,
      { meetingId, mentorshipId, mentorId, schoolId, metOn, mentorAttended: rand() < 0.9, attendingMenteeIds: attending },
      1,
      id(`meetingEvent${i}`),
    );
    out.push(at(e, `${metOn}T18:00:00.000Z`));
  }

  for (const [m, mentee] of current.entries())
    for (let g = 0; g < Math.floor(rand() * 3); g++) {
      const goalId = id(`goal${m}.${g}`);
      const proposed = rand() < 0.4;
      const setDay = Math.floor(rand() * 200);
      const goal = {
        goalId,
        studentId: mentee,
        schoolId: rand() < 0.9 ? schoolId : null,
        proposedByMentor: proposed,
        competencyId: rand() < 0.5 ? id(`competency${g}`) : null,
        setOn: dateAt(start, setDay),
      };
      const steps: { status: 'OPEN' | 'IN_PROGRESS' | 'ACHIEVED' | 'DROPPED'; pendingAcceptance: boolean }[] = [
        { status: 'OPEN', pendingAcceptance: proposed },
      ];
      if (proposed && rand() < 0.7) steps.push({ status: 'OPEN', pendingAcceptance: false });
      const accepted = steps.at(-1)!.pendingAcceptance === false;
      if (accepted && rand() < 0.7) steps.push({ status: 'IN_PROGRESS', pendingAcceptance: false });
      if (accepted && rand() < 0.6) steps.push({ status: rand() < 0.75 ? 'ACHIEVED' : 'DROPPED', pendingAcceptance: false });
      if (steps.at(-1)!.status === 'ACHIEVED' && rand() < 0.3) {
        steps.push({ status: 'IN_PROGRESS', pendingAcceptance: false }, { status: 'ACHIEVED', pendingAcceptance: false });
      }
      steps.forEach((s, i) => {
        const updatedAt = new Date(start + (setDay + i * 25) * DAY_MS + 7_200_000).toISOString();
        const e = envelope(DevelopmentGoalChanged, goalId, { ...goal, ...s, updatedAt }, i + 1, id(`goalEvent${m}.${g}.${i}`));
        out.push(at(e, updatedAt));
      });
    }
  return out;
}

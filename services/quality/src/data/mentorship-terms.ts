import { type DataSource } from 'typeorm';
import { type RollupSettings } from '../domain/contributions';
import { TERM_REACHED } from '../domain/mentorship-contributions';
import { termOf } from '../domain/periods';
import { uuidOf } from './marker-ids';
import { applyEvent } from './recompute';

/**
 * Once per term, marks every ACTIVE mentorship as still running on `today` (a TERM_REACHED event
 * in quality's own history, one id per mentorship and term, so a repeated sweep adds nothing):
 * its mentees then count in the new term — as without a meeting until they meet — although
 * mentorship sent nothing. Kept in the history, the marker is replayed by a rebuild like any
 * event. Each mentorship in its own transaction, like a consumed event. Returns how many were marked.
 */
export async function markMentorshipTerms(ds: DataSource, now: Date, settings: RollupSettings): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const term = termOf(today, settings.academicYearStartMonth);
  const active = (await ds.query(
    `SELECT aggregate_id FROM (
       SELECT DISTINCT ON (aggregate_id) aggregate_id, payload->>'status' AS status FROM applied_event
        WHERE aggregate_type = 'Mentorship' AND event_type = 'MentorshipChanged'
        ORDER BY aggregate_id, sequence DESC, event_id DESC) latest
      WHERE status = 'ACTIVE'`,
  )) as { aggregate_id: string }[];
  const ids = active.map((a) => ({ mentorshipId: a.aggregate_id, eventId: uuidOf(`quality-term:${a.aggregate_id}:${term}`) }));
  const known = new Set(
    (
      (await ds.query('SELECT event_id FROM applied_event WHERE event_id = ANY($1::uuid[])', [ids.map((i) => i.eventId)])) as {
        event_id: string;
      }[]
    ).map((r) => r.event_id),
  );
  let marked = 0;
  for (const { mentorshipId, eventId } of ids.filter((i) => !known.has(i.eventId))) {
    await ds.transaction((em) =>
      applyEvent(
        em,
        {
          id: eventId,
          type: TERM_REACHED,
          aggregateType: 'Mentorship',
          aggregateId: mentorshipId,
          sequence: 0,
          occurredAt: now.toISOString(),
          payload: { mentorshipId, on: today },
        },
        settings,
      ),
    );
    marked += 1;
  }
  return marked;
}

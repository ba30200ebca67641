import { type DataSource } from 'typeorm';
import { type RollupSettings } from '../domain/contributions';
import { BLOCK_REACHED } from '../domain/mentorship-contributions';
import { uuidOf } from './marker-ids';
import { applyEvent } from './recompute';

interface Due {
  mentorship_id: string;
  block_id: string;
  starts_on: string;
  ends_on: string;
}

/**
 * Tells each mentorship the rotation blocks of its school (ADR 0021): a BLOCK_REACHED event in
 * quality's own history per mentorship and block (one id per pair, so a repeated sweep adds
 * nothing) with the block's dates as quality knows them from the school's placements (earliest
 * start, latest end). The mentorship's fold then counts its meetings and mentees in the block;
 * the dates travel with the marker, so the fold needs no other aggregate and a rebuild replays
 * the same markers. A block is marked once it has started and once its term is known (from its
 * placements), for every mentorship of the school that began before the block ended and was
 * still active or changed after it started (the fold decides who counts; marking more is harmless).
 * Each mentorship in its own transaction, like a consumed event. Returns how many markers were written.
 */
export async function markMentorshipBlocks(ds: DataSource, now: Date, settings: RollupSettings): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const due = (await ds.query(
    `WITH blocks AS (
       SELECT payload->>'schoolId' AS school, payload->>'blockId' AS block_id,
              min(payload->>'startsOn') AS starts_on, max(payload->>'endsOn') AS ends_on
         FROM applied_event WHERE aggregate_type = 'Placement' GROUP BY 1, 2),
     known AS (
       SELECT b.* FROM blocks b JOIN quality_period p ON p.period_kind = 'BLOCK' AND p.period_id = b.block_id
        WHERE p.term_id IS NOT NULL AND b.starts_on <= $1),
     mentorships AS (
       SELECT aggregate_id AS mentorship_id,
              (array_agg(payload->>'schoolId' ORDER BY sequence DESC, event_id DESC))[1] AS school,
              (array_agg(payload->>'status' ORDER BY sequence DESC, event_id DESC))[1] AS status,
              min((occurred_at AT TIME ZONE 'UTC')::date)::text AS first_on,
              max((occurred_at AT TIME ZONE 'UTC')::date)::text AS last_on
         FROM applied_event WHERE aggregate_type = 'Mentorship' AND event_type = 'MentorshipChanged' GROUP BY 1)
     SELECT m.mentorship_id, b.block_id, b.starts_on, b.ends_on FROM mentorships m JOIN known b ON b.school = m.school
      WHERE m.first_on <= b.ends_on AND (m.status = 'ACTIVE' OR m.last_on >= b.starts_on)
      ORDER BY 1, 3, 2`,
    [today],
  )) as Due[];
  const withIds = due.map((d) => ({ ...d, eventId: uuidOf(`quality-block:${d.mentorship_id}:${d.block_id}`) }));
  const known = new Set(
    (
      (await ds.query('SELECT event_id FROM applied_event WHERE event_id = ANY($1::uuid[])', [withIds.map((d) => d.eventId)])) as {
        event_id: string;
      }[]
    ).map((r) => r.event_id),
  );
  const byMentorship = new Map<string, typeof withIds>();
  for (const d of withIds.filter((x) => !known.has(x.eventId)))
    byMentorship.set(d.mentorship_id, [...(byMentorship.get(d.mentorship_id) ?? []), d]);
  let marked = 0;
  for (const [mentorshipId, blocks] of byMentorship) {
    await ds.transaction(async (em) => {
      for (const b of blocks)
        await applyEvent(
          em,
          {
            id: b.eventId,
            type: BLOCK_REACHED,
            aggregateType: 'Mentorship',
            aggregateId: mentorshipId,
            sequence: 0,
            occurredAt: now.toISOString(),
            payload: { mentorshipId, blockId: b.block_id, startsOn: b.starts_on, endsOn: b.ends_on, on: today },
          },
          settings,
        );
    });
    marked += blocks.length;
  }
  return marked;
}

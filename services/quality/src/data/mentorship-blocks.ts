import { type DataSource } from 'typeorm';
import { type RollupSettings } from '../domain/contributions';
import { BLOCK_REACHED } from '../domain/mentorship-contributions';
import { uuidOf } from './marker-ids';
import { applyEvent } from './recompute';

interface Due {
  /** The rollup unit told of the block: a mentorship or a development goal. */
  unit_type: 'Mentorship' | 'DevelopmentGoal';
  unit_id: string;
  block_id: string;
  starts_on: string;
  ends_on: string;
}

/**
 * The school's blocks quality knows (quality_school_block, kept from placements as they are
 * applied: the sweep reads one row per school and block, not every placement event), started by
 * $1 and with a known term.
 */
export const KNOWN_BLOCKS = `
  known AS (
    SELECT b.school_id AS school, b.block_id, b.starts_on, b.ends_on
      FROM quality_school_block b JOIN quality_period p ON p.period_kind = 'BLOCK' AND p.period_id = b.block_id
     WHERE p.term_id IS NOT NULL AND b.starts_on <= $1)`;

/**
 * Tells each mentorship and development goal the rotation blocks of its school (ADR 0021): a
 * BLOCK_REACHED event in quality's own history per unit and block (one id per pair, so a
 * repeated sweep adds nothing) with the block's dates as quality knows them from the school's placements (earliest
 * start, latest end). The mentorship's fold then counts its meetings and mentees in the block;
 * the dates travel with the marker, so the fold needs no other aggregate and a rebuild replays
 * the same markers. A block is marked once it has started and once its term is known (from its
 * placements), for every mentorship of the school that began before the block ended and was
 * still active or changed after it started, and for every goal with a day in it (the fold
 * decides what counts; marking more is harmless).
 * Each mentorship in its own transaction, like a consumed event. Returns how many markers were written.
 */
export async function markMentorshipBlocks(ds: DataSource, now: Date, settings: RollupSettings): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const mentorships = (await ds.query(
    `WITH ${KNOWN_BLOCKS},
     mentorships AS (
       SELECT aggregate_id AS mentorship_id,
              (array_agg(payload->>'schoolId' ORDER BY sequence DESC, event_id DESC))[1] AS school,
              (array_agg(payload->>'status' ORDER BY sequence DESC, event_id DESC))[1] AS status,
              min((occurred_at AT TIME ZONE 'UTC')::date)::text AS first_on,
              max((occurred_at AT TIME ZONE 'UTC')::date)::text AS last_on
         FROM applied_event WHERE aggregate_type = 'Mentorship' AND event_type = 'MentorshipChanged' GROUP BY 1)
     SELECT 'Mentorship' AS unit_type, m.mentorship_id AS unit_id, b.block_id, b.starts_on, b.ends_on
       FROM mentorships m JOIN known b ON b.school = m.school
      WHERE m.first_on <= b.ends_on AND (m.status = 'ACTIVE' OR m.last_on >= b.starts_on)
      ORDER BY 2, 4, 3`,
    [today],
  )) as Due[];
  // A goal is told of the blocks holding one of its days (set, or any change: the fold picks the one it counts).
  const goals = (await ds.query(
    `WITH ${KNOWN_BLOCKS},
     days AS (
       SELECT aggregate_id AS goal_id, payload->>'schoolId' AS school, payload->>'setOn' AS day
         FROM applied_event WHERE aggregate_type = 'DevelopmentGoal' AND event_type = 'DevelopmentGoalChanged'
       UNION
       SELECT aggregate_id, payload->>'schoolId', (((payload->>'updatedAt')::timestamptz) AT TIME ZONE 'UTC')::date::text
         FROM applied_event WHERE aggregate_type = 'DevelopmentGoal' AND event_type = 'DevelopmentGoalChanged')
     SELECT DISTINCT 'DevelopmentGoal' AS unit_type, d.goal_id AS unit_id, b.block_id, b.starts_on, b.ends_on
       FROM days d JOIN known b ON b.school = d.school AND b.starts_on <= d.day AND d.day <= b.ends_on
      ORDER BY 2, 4, 3`,
    [today],
  )) as Due[];
  const withIds = [...mentorships, ...goals].map((d) => ({
    ...d,
    eventId: uuidOf(
      d.unit_type === 'Mentorship' ? `quality-block:${d.unit_id}:${d.block_id}` : `quality-goal-block:${d.unit_id}:${d.block_id}`,
    ),
  }));
  const known = new Set(
    (
      (await ds.query('SELECT event_id FROM applied_event WHERE event_id = ANY($1::uuid[])', [withIds.map((d) => d.eventId)])) as {
        event_id: string;
      }[]
    ).map((r) => r.event_id),
  );
  const byUnit = new Map<string, typeof withIds>();
  for (const d of withIds.filter((x) => !known.has(x.eventId))) {
    const unit = `${d.unit_type}:${d.unit_id}`;
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), d]);
  }
  let marked = 0;
  for (const blocks of byUnit.values()) {
    await ds.transaction(async (em) => {
      for (const b of blocks)
        await applyEvent(
          em,
          {
            id: b.eventId,
            type: BLOCK_REACHED,
            aggregateType: b.unit_type,
            aggregateId: b.unit_id,
            sequence: 0,
            occurredAt: now.toISOString(),
            payload: {
              ...(b.unit_type === 'Mentorship' ? { mentorshipId: b.unit_id } : { goalId: b.unit_id }),
              blockId: b.block_id,
              startsOn: b.starts_on,
              endsOn: b.ends_on,
              on: today,
            },
          },
          settings,
        );
    });
    marked += blocks.length;
  }
  return marked;
}

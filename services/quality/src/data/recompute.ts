import { type EntityManager } from 'typeorm';
import { type CellDelta, diff } from '../domain/cells';
import { type PeriodRef } from '../domain/periods';
import { type Contribution, ROLLUP_AGGREGATES, type RollupSettings, type StoredEvent } from '../domain/contributions';
import { heldPayload } from '../domain/held-payload';
import { LEARNER_AGGREGATE, learnerContributions } from '../domain/learner-outcomes';
import { rollupUnitOf } from '../domain/mentorship-contributions';
import { applyDeltas } from './apply-deltas';
import { bumpForDeltas } from './generations';
import { noteSchoolBlock } from './school-blocks';
import { notePeriods } from './snapshots';

interface EventRow {
  id: string;
  type: string;
  sequence: number;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

export const toStored = (r: EventRow): StoredEvent => ({
  id: r.id,
  type: r.type,
  sequence: r.sequence,
  occurredAt: r.occurred_at.toISOString(),
  payload: r.payload,
});

/** The events quality applied for one aggregate. */
export async function eventsOf(em: EntityManager, aggregateType: string, aggregateId: string): Promise<StoredEvent[]> {
  const rows = (await em.query(
    `SELECT event_id AS id, event_type AS type, sequence, occurred_at, payload FROM applied_event
      WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence, event_id`,
    [aggregateType, aggregateId],
  )) as EventRow[];
  return rows.map(toStored);
}

/**
 * The events a Learner (a student, see domain/learner-outcomes) is folded from: every version
 * of the student's assessments and every post profile event.
 */
export async function learnerEventsOf(em: EntityManager, studentId: string): Promise<StoredEvent[]> {
  const rows = (await em.query(
    `SELECT event_id AS id, event_type AS type, sequence, occurred_at, payload FROM applied_event
      WHERE (aggregate_type = 'Submission' AND payload->>'studentId' = $1) OR aggregate_type = 'PostProfile'
      ORDER BY aggregate_type, aggregate_id, sequence, event_id`,
    [studentId],
  )) as EventRow[];
  return rows.map(toStored);
}

/** A fact's event ids in one order (the rebuild writes the same arrays). */
export const factIds = (events: readonly StoredEvent[]): string[] => events.map((e) => e.id).sort();

/**
 * Brings one aggregate's part of the rollups up to date with the events held for it (ADR 0032):
 * `rollup_fact` names the events its part of the cells was folded from; folding that set again
 * (the same pure function) gives the contribution to retract, folding every held event the one
 * to add, and their difference goes to the cells. The aggregate is locked for the transaction,
 * so two deliveries of its events cannot interleave. A redelivery finds the set unchanged and
 * writes nothing.
 */
export async function recompute(
  em: EntityManager,
  aggregateType: string,
  aggregateId: string,
  settings: RollupSettings,
  deliveredEventId?: string,
): Promise<CellDelta[]> {
  const learner = aggregateType === LEARNER_AGGREGATE;
  const aggregateFold = ROLLUP_AGGREGATES[aggregateType];
  if (!aggregateFold && !learner) return [];
  const fold = (events: readonly StoredEvent[]): Contribution[] =>
    learner ? learnerContributions(aggregateId, events, settings) : aggregateFold!(events, settings);
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quality:${aggregateType}:${aggregateId}`]);
  const events = learner ? await learnerEventsOf(em, aggregateId) : await eventsOf(em, aggregateType, aggregateId);
  const [row] = (await em.query('SELECT event_ids FROM rollup_fact WHERE aggregate_type = $1 AND aggregate_id = $2', [
    aggregateType,
    aggregateId,
  ])) as { event_ids: string[] }[];
  const ids = factIds(events);
  if (row && row.event_ids.length === ids.length && row.event_ids.every((id, i) => id === ids[i])) return [];
  // No fact although events were held before this one: the aggregate was loaded in bulk
  // (loadScaleQuality writes cells, not rollup_fact), so what it contributed so far is the fold
  // of the events held before this delivery.
  const bulkLoaded = !row && !learner && deliveredEventId !== undefined;
  const folded = new Set(row ? row.event_ids : bulkLoaded ? events.filter((e) => e.id !== deliveredEventId).map((e) => e.id) : []);
  const deltas = diff(folded.size ? fold(events.filter((e) => folded.has(e.id))) : [], fold(events));
  await applyDeltas(em, deltas);
  await em.query(
    `INSERT INTO rollup_fact (aggregate_type, aggregate_id, event_ids) VALUES ($1, $2, $3::uuid[])
     ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET event_ids = EXCLUDED.event_ids`,
    [aggregateType, aggregateId, ids],
  );
  return deltas;
}

/** What applying one event changed, for what reacts to rollup changes in the same transaction (alerts, metrics). */
export interface RollupChange {
  deltas: CellDelta[];
  /** Frozen periods the event changed (their published figures stay until the next revision). */
  changedFrozen: PeriodRef[];
}

/**
 * Records a consumed event in quality's history (what a rebuild replays; without what would name
 * an evaluator, domain/held-payload) and recomputes its
 * aggregate. Runs in the consumer's inbox transaction: the event counts once or not at all.
 * The history's aggregate columns name the rollup unit the event is folded with (`rollupUnitOf`:
 * a mentorship's meetings are held under the mentorship), so a rebuild folds the same groups.
 */
export async function applyEvent(
  em: EntityManager,
  e: { id: string; type: string; aggregateType: string; aggregateId: string; sequence: number; occurredAt: string; payload: unknown },
  settings: RollupSettings,
): Promise<RollupChange> {
  // Shared with every other event; a rebuild takes it exclusively, so none lands mid-rebuild.
  await em.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', ['quality:rebuild']);
  const unit = rollupUnitOf(e);
  await em.query(
    `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
    [e.id, e.type, unit.type, unit.id, e.sequence, e.occurredAt, JSON.stringify(heldPayload(e.type, e.payload))],
  );
  const deltas = await recompute(em, unit.type, unit.id, settings, e.id);
  if (unit.type === 'Placement') await noteSchoolBlock(em, e.payload);
  const p = e.payload as { blockId?: unknown; endsOn?: unknown; studentId?: unknown };
  const block =
    e.aggregateType === 'Placement' && typeof p.blockId === 'string' && typeof p.endsOn === 'string'
      ? { id: p.blockId, endsOn: p.endsOn }
      : null;
  let reshaped = false;
  const reshape = () => {
    reshaped = true;
  };
  const changedFrozen = await notePeriods(em, deltas, block, settings.academicYearStartMonth, reshape);
  // A student's assessment, or a post profile (every student's readiness), changes Learners too.
  const learners = await learnersTouchedBy(em, e.aggregateType, p.studentId);
  for (const studentId of learners) {
    const more = await recompute(em, LEARNER_AGGREGATE, studentId, settings);
    // Noted on their own: one aggregate's periods tell a block's term and year, a Learner's span several.
    changedFrozen.push(...(await notePeriods(em, more, null, settings.academicYearStartMonth, reshape)));
    deltas.push(...more);
  }
  // Last, so these counters are the last rows the transaction locks (ADR 0020).
  await bumpForDeltas(em, deltas, reshaped);
  return { deltas, changedFrozen };
}

/**
 * The Learners an event changes: the student of an assessment; every student for a post
 * profile. A post profile takes the learners' lock exclusively (an assessment's event shares
 * it), so a student whose first assessment commits meanwhile is folded with the profile.
 */
async function learnersTouchedBy(em: EntityManager, aggregateType: string, studentId: unknown): Promise<string[]> {
  if (aggregateType === 'Submission' && typeof studentId === 'string') {
    await em.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', ['quality:learners']);
    return [studentId];
  }
  if (aggregateType !== 'PostProfile') return [];
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:learners']);
  const rows = (await em.query(
    `SELECT DISTINCT payload->>'studentId' AS id FROM applied_event WHERE aggregate_type = 'Submission' ORDER BY 1`,
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

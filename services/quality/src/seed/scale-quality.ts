import { type BulkColumn, bulkInsert, idMaker, type ScaleWorld, withIndexesDeferred, type WorldPlacement } from '@medcollab/scale-world';
import { type DataSource, type EntityManager } from 'typeorm';
import { CellSums } from '../domain/cell-sums';
import { accumulate, type CellDelta } from '../domain/cells';
import { ROLLUP_AGGREGATES, type RollupSettings, type StoredEvent } from '../domain/contributions';
import { heldPayload } from '../domain/held-payload';
import { copyCellSums } from '../data/rebuild';
import { bumpEverything } from '../data/generations';
import { refreshSchoolBlocks } from '../data/school-blocks';
import { notePeriods } from '../data/snapshots';
import { qualitySettings } from '../settings';

/** One event of quality's history, as its consumer holds it (applied_event) and folds it. */
interface HeldEvent extends StoredEvent {
  aggregateType: string;
  aggregateId: string;
}

/**
 * The events quality would have consumed for a generated world, aggregate by aggregate, in each
 * producer's sequence: rotations' placement events (confirmed, started, completed), assessment's
 * task events (assigned, then submitted, declined or expired; pending tasks stay open) and its
 * evaluations (EvaluationSubmitted, as assessment published them for the world). Payloads follow
 * the event contracts. Not included (quality figures of other kinds, left empty at scale):
 * learner outcomes (AssessmentSubmitted), mentorship and goal figures, allocation runs.
 */
export function* scaleQualityHistory(world: ScaleWorld): Generator<HeldEvent[]> {
  const published = world.published.assessment;
  if (!published)
    throw new Error("quality's history needs what assessment published for the world: load assessment first (scaleAssessmentPublished)");
  const eventId = idMaker(`${world.scale}:${world.seed}:quality-history`);
  let n = 0;
  const event = (aggregateType: string, aggregateId: string, type: string, sequence: number, occurredAt: string, payload: object) => ({
    id: eventId(1, n++),
    type,
    sequence,
    occurredAt: new Date(occurredAt).toISOString(),
    // Kept as the consumer keeps it (nothing that names an evaluator, ADR 0047).
    payload: heldPayload(type, payload) as Record<string, unknown>,
    aggregateType,
    aggregateId,
  });
  const blockNames = new Map(world.blocks.map((b) => [b.id, b.name]));
  const placementFacts = (p: WorldPlacement) => ({
    placementId: p.id,
    studentId: p.studentId,
    schoolId: p.schoolId,
    hospitalId: p.hospitalId,
    departmentId: p.departmentId,
    blockId: p.blockId,
    blockName: blockNames.get(p.blockId),
    supervisorId: p.supervisorId,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
  });
  for (const p of world.placements) {
    const facts = placementFacts(p);
    const events = [event('Placement', p.id, 'PlacementConfirmed', 1, p.confirmedAt, { ...facts, at: p.confirmedAt, accessUntil: null })];
    if (p.status !== 'CONFIRMED') {
      const startedAt = `${p.startsOn}T07:00:00.000Z`;
      events.push(event('Placement', p.id, 'PlacementStarted', 2, startedAt, { ...facts, at: startedAt, accessUntil: null }));
    }
    if (p.status === 'COMPLETED')
      events.push(
        event('Placement', p.id, 'PlacementCompleted', 3, p.changedAt, { ...facts, at: p.changedAt, accessUntil: p.accessUntil }),
      );
    yield events;
  }
  for (const t of world.tasks) {
    const p = t.placement;
    const instrument = published.instruments[t.instrumentKey];
    const facts = {
      taskId: t.id,
      assessorId: t.assessorId,
      role: t.role,
      instrumentId: instrument.id,
      instrumentKind: instrument.kind,
      instrumentTitle: instrument.title,
      purpose: instrument.purpose,
      studentId: p.studentId,
      schoolId: p.schoolId,
      subjectStaffId: t.role === 'TEACHER_EVALUATION' ? p.supervisorId : null,
      departmentId: p.departmentId,
      placementId: p.id,
      hospitalId: p.hospitalId,
      blockId: p.blockId,
      dueAt: t.dueAt,
    };
    const events = [event('AssessmentTask', t.id, 'AssessmentTaskAssigned', 1, t.assignedAt, { ...facts, assignedAt: t.assignedAt })];
    const closedAt = t.closedAt!;
    if (t.status === 'SUBMITTED')
      events.push(event('AssessmentTask', t.id, 'AssessmentTaskSubmitted', 2, closedAt, { ...facts, submittedAt: closedAt }));
    else if (t.status === 'DECLINED')
      events.push(
        event('AssessmentTask', t.id, 'AssessmentTaskDeclined', 2, closedAt, {
          ...facts,
          declinedAt: closedAt,
          reason: 'On leave that week',
        }),
      );
    else if (t.status === 'EXPIRED')
      events.push(event('AssessmentTask', t.id, 'AssessmentTaskExpired', 2, closedAt, { ...facts, expiredAt: closedAt }));
    yield events;
    const evaluation = published.evaluations.get(t.id);
    if (evaluation)
      yield [event('EvaluationSubmission', evaluation.submissionId, 'EvaluationSubmitted', 1, evaluation.submittedAt, evaluation)];
  }
}

const EVENT_COLUMNS: BulkColumn[] = [
  ['event_id', 'uuid'],
  ['event_type', 'text'],
  ['aggregate_type', 'text'],
  ['aggregate_id', 'text'],
  ['sequence', 'int4'],
  ['occurred_at', 'timestamptz'],
  ['payload', 'jsonb'],
];
/**
 * Folds a world's history into quality's rollups in memory, with the same fold a rebuild uses
 * (ROLLUP_AGGREGATES into `CellSums`, ADR 0052), writing the history as it goes. `write` receives
 * each slice of held events. Besides the sums: one placement's cells per block and one cell per
 * other period, what `notePeriods` needs to record the periods (a few `CellDelta`s, not every cell).
 */
async function foldHistory(
  world: ScaleWorld,
  settings: RollupSettings,
  write: (events: HeldEvent[]) => Promise<void>,
): Promise<{ sums: CellSums; aggregates: number; blocks: Map<string, CellDelta[]>; others: Map<string, Map<string, CellDelta>> }> {
  const sums = new CellSums();
  // One placement's cells per block: they tell the block's term and year (notePeriods).
  const blocks = new Map<string, CellDelta[]>();
  // Period kind → period id → one of its cells.
  const others = new Map<string, Map<string, CellDelta>>();
  let slice: HeldEvent[] = [];
  let aggregates = 0;
  for (const events of scaleQualityHistory(world)) {
    const first = events[0]!;
    const contributions = ROLLUP_AGGREGATES[first.aggregateType]!(events, settings);
    sums.add(contributions);
    if (first.aggregateType === 'Placement') {
      const blockId = String(first.payload.blockId);
      if (!blocks.has(blockId)) blocks.set(blockId, [...accumulate(new Map(), contributions, 1).values()]);
    }
    // Per contribution, two look-ups and no string made: the periods are few, the contributions millions.
    for (const c of contributions) {
      if (c.key.periodKind === 'BLOCK') continue;
      let ofKind = others.get(c.key.periodKind);
      if (!ofKind) others.set(c.key.periodKind, (ofKind = new Map()));
      if (!ofKind.has(c.key.periodId)) ofKind.set(c.key.periodId, [...accumulate(new Map(), [c], 1).values()][0]!);
    }
    aggregates += 1;
    slice.push(...events);
    if (slice.length >= 20_000) {
      await write(slice);
      slice = [];
    }
  }
  if (slice.length) await write(slice);
  return { sums, aggregates, blocks, others };
}

/**
 * Writes quality's part of a generated world in one transaction: its projections (agreements,
 * hospital departments, institutions' time zones) and its rollups — the history it would have
 * consumed (applied_event), folded in memory with the rebuild's own fold and written as cells
 * with their distinct evaluators, the periods those cells count in (blocks with their term and
 * year, and the institutions with figures in each), and the schools' blocks. No rollup_fact
 * rows are written (an aggregate's stored contribution, several kB each): the first later event
 * of a loaded aggregate takes its previous contribution from the events held (recompute).
 * `packages/scale-e2e/test/scale-quality.test.ts` proves the cells equal a rebuild's.
 */
export async function loadScaleQuality(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  const settings = qualitySettings();
  const rollup: RollupSettings = {
    academicYearStartMonth: settings.academicYearStartMonth,
    minEvaluators: settings.minEvaluators,
    pseudonymKey: settings.pseudonymKey,
  };
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    counts.known_agreement = await bulkInsert(
      em,
      'known_agreement',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['status', 'text'],
      ],
      world.agreements.map((a) => [a.id, a.schoolId, a.hospitalId, 'ACTIVE']),
    );
    counts.known_department = await bulkInsert(
      em,
      'known_department',
      [
        ['id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['specialty', 'text'],
      ],
      world.departments.map((d) => [d.id, d.institutionId, d.specialty]),
    );
    counts.known_institution = await bulkInsert(
      em,
      'known_institution',
      [
        ['id', 'uuid'],
        ['timezone', 'text'],
      ],
      world.institutions.map((i) => [i.id, i.timezone]),
    );
    await withIndexesDeferred(em, ['applied_event', 'rollup_cell', 'rollup_cell_evaluator'], async () => {
      let events = 0;
      const { sums, aggregates, blocks, others } = await foldHistory(world, rollup, async (slice) => {
        events += await bulkInsert(
          em,
          'applied_event',
          EVENT_COLUMNS,
          slice.map((e) => [e.id, e.type, e.aggregateType, e.aggregateId, e.sequence, e.occurredAt, e.payload]),
        );
      });
      Object.assign(counts, { applied_event: events, aggregates });
      // The cells and their evaluators' buckets as the rebuild writes them: COPY lines straight from the sums.
      Object.assign(counts, await copyCellSums(em, sums));
      await notePeriodsOf(em, others, blocks, world, rollup.academicYearStartMonth);
    });
    await refreshSchoolBlocks(em);
    await bumpEverything(em);
    await em.query('ANALYZE');
    return counts;
  });
}

/**
 * The periods the cells count in, as applying the events one by one would have noted them:
 * each block with its end, term and year (from one of its placements), every other term and
 * year, and the institutions (hospitals and schools) with figures in each.
 */
async function notePeriodsOf(
  em: EntityManager,
  others: Map<string, Map<string, CellDelta>>,
  blocks: Map<string, CellDelta[]>,
  world: ScaleWorld,
  startMonth: number,
): Promise<void> {
  const endsOn = new Map(world.blocks.map((b) => [b.id, b.endsOn]));
  for (const [blockId, cells] of blocks) await notePeriods(em, cells, { id: blockId, endsOn: endsOn.get(blockId)! }, startMonth);
  await notePeriods(
    em,
    [...others.values()].flatMap((ofKind) => [...ofKind.values()]),
    null,
    startMonth,
  );
  await em.query(`
    INSERT INTO quality_period_institution (period_kind, period_id, institution_id)
    SELECT DISTINCT period_kind, period_id, scope_id FROM rollup_cell WHERE scope_kind = 'INSTITUTION'
    UNION SELECT DISTINCT period_kind, period_id, school FROM rollup_cell WHERE school <> '*'
    ON CONFLICT DO NOTHING`);
}

import { type DataSource, type EntityManager } from 'typeorm';
import { accumulate, type CellDelta } from '../domain/cells';
import { type Contribution, ROLLUP_AGGREGATES, type RollupSettings } from '../domain/contributions';
import { LEARNER_AGGREGATE, learnerContributions } from '../domain/learner-outcomes';
import { bumpEverything } from './generations';
import { toStored } from './recompute';
import { refreshSchoolBlocks } from './school-blocks';

const BATCH = 2_000;
const WRITE_BATCH = 5_000;

/**
 * Rebuilds every rollup from the events quality applied, in one transaction: incoming events
 * wait (they take the rebuild lock shared), readers see the old figures until the new ones
 * commit. Aggregates are folded in batches of BATCH and their contributions summed in memory
 * (exact: counts and sums in thousandths are integers); the cells are then written once, with
 * their distinct-evaluator counts, in plain inserts of WRITE_BATCH rows.
 * `onProgress(done, total)` is called after each batch, outside the transaction's view.
 */
export async function rebuildRollups(
  dataSource: DataSource,
  settings: RollupSettings,
  onProgress: (done: number, total: number) => Promise<void> = async () => undefined,
): Promise<{ aggregates: number }> {
  return dataSource.transaction(async (em) => {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
    await em.query('TRUNCATE rollup_cell, rollup_cell_evaluator, rollup_fact');
    const types = Object.keys(ROLLUP_AGGREGATES);
    const [counted] = (await em.query(
      'SELECT count(DISTINCT (aggregate_type, aggregate_id))::int AS total FROM applied_event WHERE aggregate_type = ANY($1)',
      [types],
    )) as { total: number }[];
    const [learners] = (await em.query(
      `SELECT count(DISTINCT payload->>'studentId')::int AS total FROM applied_event WHERE aggregate_type = 'Submission'`,
    )) as { total: number }[];
    const total = (counted?.total ?? 0) + (learners?.total ?? 0);
    await onProgress(0, total);
    let done = 0;
    const deltas = new Map<string, CellDelta>();
    let after: [string, string] = ['', ''];
    for (;;) {
      const keys = (await em.query(
        `SELECT DISTINCT aggregate_type, aggregate_id FROM applied_event
          WHERE aggregate_type = ANY($1) AND (aggregate_type, aggregate_id) > ($2, $3)
          ORDER BY aggregate_type, aggregate_id LIMIT ${BATCH}`,
        [types, after[0], after[1]],
      )) as { aggregate_type: string; aggregate_id: string }[];
      if (!keys.length) break;
      await rebuildBatch(em, keys, settings, deltas);
      done += keys.length;
      const last = keys[keys.length - 1]!;
      after = [last.aggregate_type, last.aggregate_id];
      await onProgress(done, total);
    }
    // The derived Learner aggregates (domain/learner-outcomes), a batch of students at a time.
    let afterStudent = '';
    for (;;) {
      const students = (
        (await em.query(
          `SELECT DISTINCT payload->>'studentId' AS id FROM applied_event
            WHERE aggregate_type = 'Submission' AND payload->>'studentId' > $1 ORDER BY 1 LIMIT ${BATCH}`,
          [afterStudent],
        )) as { id: string }[]
      ).map((r) => r.id);
      if (!students.length) break;
      await rebuildLearners(em, students, settings, deltas);
      done += students.length;
      afterStudent = students[students.length - 1]!;
      await onProgress(done, total);
    }
    await writeCells(em, [...deltas.values()]);
    await refreshSchoolBlocks(em);
    // Every cached report is stale once this commits (ADR 0020).
    await bumpEverything(em);
    return { aggregates: done };
  });
}

async function writeCells(em: EntityManager, cells: CellDelta[]): Promise<void> {
  for (let i = 0; i < cells.length; i += WRITE_BATCH) {
    const chunk = cells.slice(i, i + WRITE_BATCH);
    const keys = [
      chunk.map((d) => d.key.metric),
      chunk.map((d) => d.key.school),
      chunk.map((d) => d.key.scopeKind),
      chunk.map((d) => d.key.scopeId),
      chunk.map((d) => d.key.periodKind),
      chunk.map((d) => d.key.periodId),
      chunk.map((d) => d.key.item),
    ];
    await em.query(
      `INSERT INTO rollup_cell (metric, school, scope_kind, scope_id, period_kind, period_id, item, parent, n, total_milli, histogram, evaluators)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                            $9::bigint[], $10::bigint[], $11::jsonb[], $12::int[])`,
      [
        ...keys,
        chunk.map((d) => d.key.parent),
        chunk.map((d) => d.n),
        chunk.map((d) => d.totalMilli),
        chunk.map((d) => JSON.stringify(d.histogram)),
        chunk.map((d) => Object.keys(d.evaluators).length),
      ],
    );
    const rows = chunk.flatMap((d) => Object.entries(d.evaluators).map(([pseudonym, n]) => ({ d, pseudonym, n })));
    for (let j = 0; j < rows.length; j += WRITE_BATCH) {
      const part = rows.slice(j, j + WRITE_BATCH);
      await em.query(
        `INSERT INTO rollup_cell_evaluator (metric, school, scope_kind, scope_id, period_kind, period_id, item, pseudonym, n)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])`,
        [
          part.map((r) => r.d.key.metric),
          part.map((r) => r.d.key.school),
          part.map((r) => r.d.key.scopeKind),
          part.map((r) => r.d.key.scopeId),
          part.map((r) => r.d.key.periodKind),
          part.map((r) => r.d.key.periodId),
          part.map((r) => r.d.key.item),
          part.map((r) => r.pseudonym),
          part.map((r) => r.n),
        ],
      );
    }
  }
}

async function rebuildBatch(
  em: EntityManager,
  keys: { aggregate_type: string; aggregate_id: string }[],
  settings: RollupSettings,
  deltas: Map<string, CellDelta>,
) {
  const rows = (await em.query(
    `SELECT e.event_id AS id, e.event_type AS type, e.sequence, e.occurred_at, e.payload, e.aggregate_type, e.aggregate_id
       FROM applied_event e JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON e.aggregate_type = k.t AND e.aggregate_id = k.i
      ORDER BY e.aggregate_type, e.aggregate_id, e.sequence, e.event_id`,
    [keys.map((k) => k.aggregate_type), keys.map((k) => k.aggregate_id)],
  )) as ({ aggregate_type: string; aggregate_id: string } & Parameters<typeof toStored>[0])[];
  const byAggregate = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.aggregate_type}\u0001${r.aggregate_id}`;
    byAggregate.set(k, [...(byAggregate.get(k) ?? []), r]);
  }
  const facts: { type: string; id: string; contributions: Contribution[] }[] = [];
  for (const group of byAggregate.values()) {
    const first = group[0]!;
    const contributions = ROLLUP_AGGREGATES[first.aggregate_type]!(group.map(toStored), settings);
    accumulate(deltas, contributions, 1);
    facts.push({ type: first.aggregate_type, id: first.aggregate_id, contributions });
  }
  await em.query(
    `INSERT INTO rollup_fact (aggregate_type, aggregate_id, contributions)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
    [facts.map((f) => f.type), facts.map((f) => f.id), facts.map((f) => JSON.stringify(f.contributions))],
  );
}

async function rebuildLearners(em: EntityManager, students: readonly string[], settings: RollupSettings, deltas: Map<string, CellDelta>) {
  const rows = (await em.query(
    `SELECT event_id AS id, event_type AS type, sequence, occurred_at, payload, aggregate_type FROM applied_event
      WHERE (aggregate_type = 'Submission' AND payload->>'studentId' = ANY($1::text[])) OR aggregate_type = 'PostProfile'
      ORDER BY aggregate_type, aggregate_id, sequence, event_id`,
    [students],
  )) as ({ aggregate_type: string } & Parameters<typeof toStored>[0])[];
  const profiles = rows.filter((r) => r.aggregate_type === 'PostProfile').map(toStored);
  const byStudent = new Map<string, ReturnType<typeof toStored>[]>();
  for (const r of rows)
    if (r.aggregate_type === 'Submission') {
      const id = String(r.payload.studentId);
      byStudent.set(id, [...(byStudent.get(id) ?? []), toStored(r)]);
    }
  const facts = students.map((id) => {
    const contributions = learnerContributions(id, [...(byStudent.get(id) ?? []), ...profiles], settings);
    accumulate(deltas, contributions, 1);
    return { id, contributions };
  });
  await em.query(
    `INSERT INTO rollup_fact (aggregate_type, aggregate_id, contributions)
     SELECT $1, * FROM unnest($2::text[], $3::jsonb[])`,
    [LEARNER_AGGREGATE, facts.map((f) => f.id), facts.map((f) => JSON.stringify(f.contributions))],
  );
}

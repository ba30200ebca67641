import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { AssessmentSubmitted, createConsumer, type EventEnvelope, PostProfilePublished } from '@medcollab/events';
import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { markMentorshipBlocks } from '../src/data/mentorship-blocks';
import { markMentorshipTerms } from '../src/data/mentorship-terms';
import { rebuildRollups } from '../src/data/rebuild';
import { ROLLUP_AGGREGATES } from '../src/domain/contributions';
import { type TypeSize, typesToSplit } from '../src/domain/share-plan';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { qualityEventHandlers } from '../src/projections';
import { allocationHistory } from './support/allocation-history';
import { envelope } from './support/events';
import { makeNetwork, placementHistory, prng, uuidFor } from './support/generate';
import { mentorshipHistory } from './support/mentorship-history';

/**
 * Exactness: the rollups the consumer keeps event by event equal the rollups a rebuild makes
 * from the events quality holds, on random histories delivered out of order and more than once:
 * placements, tasks (withdrawn, cancelled and open ones too), evaluations, mentorships with
 * their meetings, development goals, and the sweep's term markers of active mentorships and
 * block markers (a school's rotation blocks, so meetings and mentees count per block), and
 * allocation runs (some superseded) and swap requests — placements, cancellations and swaps per
 * specialty too (ADR 0047).
 */
const SETTINGS = { academicYearStartMonth: 9, minEvaluators: 5 };
/** The random runs' seed (fast-check's own default draw), or SEED to replay a failure. */
const PROPERTY_SEED = Number(process.env.SEED ?? Date.now() ^ (Math.random() * 0x100000000));
let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations });
  ds = createDataSource({ url: db.url, entities, migrations });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const consumer = () => createConsumer({ service: 'quality', dataSource: ds, handlers: qualityEventHandlers(SETTINGS) });

/** Everything the rollups hold, in a canonical order. */
async function tables(): Promise<unknown> {
  const cells =
    await ds.query(`SELECT metric, school, scope_kind, scope_id, period_kind, period_id, item, parent, n::int, total_milli::bigint::text AS total,
      histogram, evaluators FROM rollup_cell ORDER BY 1, 2, 3, 4, 5, 6, 7`);
  const evaluators = await ds.query('SELECT * FROM rollup_cell_evaluator ORDER BY 1, 2, 3, 4, 5, 6, 7, 8');
  const facts = await ds.query('SELECT aggregate_type, aggregate_id, event_ids FROM rollup_fact ORDER BY 1, 2');
  const blocks = await ds.query('SELECT * FROM quality_school_block ORDER BY 1, 2');
  return { cells, evaluators, facts, blocks };
}

async function reset(): Promise<void> {
  await ds.query('TRUNCATE rollup_cell, rollup_cell_evaluator, rollup_fact, applied_event, inbox, quality_school_block');
}

/** Applies each delivery as the consumer would, ignoring predecessors (the worst order the queue could produce). */
async function deliver(events: EventEnvelope[]): Promise<void> {
  const c = consumer();
  for (const e of events) await c.apply({ envelope: e, previousEventId: null });
}

const COMPETENCIES = [uuidFor('c0'), uuidFor('c1'), uuidFor('c2')];
const PROGRAMS = [uuidFor('prog0'), uuidFor('prog1')];
/** The module an assessment's placement belongs to: one of two, none (null) or not said (older events) — from a hash, so the random stream is unchanged. */
const moduleOfAssessment = (submissionId: string): { moduleId?: string | null } => {
  const pick = parseInt(createHash('sha256').update(`module.${submissionId}`).digest('hex').slice(0, 2), 16) % 4;
  return pick === 3 ? {} : { moduleId: pick === 2 ? null : uuidFor(`module${pick}`) };
};

/**
 * Learner outcomes: students' assessments (some amended: version 2 of the same submission) with
 * a program, cohort and block, and post profiles (one re-published) — the cells of every
 * competency, cohort, block and profile, and the derived Learner aggregates.
 */
function learnerHistory(net: ReturnType<typeof makeNetwork>, n: number, rand: () => number, prefix: string): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const student = uuidFor(`${prefix}learner${Math.floor(rand() * 4)}`);
  const submissionId = uuidFor(`${prefix}assessment${n}`);
  const block = net.blocks[Math.floor(rand() * net.blocks.length)]!;
  const versions = rand() < 0.3 ? 2 : 1;
  for (let v = 1; v <= versions; v++)
    out.push(
      envelope(
        AssessmentSubmitted,
        submissionId,
        {
          taskId: uuidFor(`${prefix}atask${n}`),
          submissionId,
          version: v,
          studentId: student,
          schoolId: net.schools[0]!,
          assessorId: net.teachers[0]!.id,
          instrumentId: uuidFor('instrument'),
          instrumentKind: 'MINI_CEX',
          purpose: rand() < 0.7 ? 'SUMMATIVE' : 'FORMATIVE',
          placementId: null,
          programId: PROGRAMS[Math.floor(rand() * 2)]!,
          cohortYear: rand() < 0.8 ? 2024 + Math.floor(rand() * 2) : null,
          blockId: rand() < 0.8 ? block.id : null,
          ...moduleOfAssessment(submissionId),
          submittedAt: `${block.startsOn}T1${Math.floor(rand() * 10)}:00:00.000Z`,
          competencyResults: COMPETENCIES.filter(() => rand() < 0.7).map((competencyId, i) => ({
            competencyId,
            itemKey: `item${i}`,
            scaleType: i === 2 ? ('ENTRUSTMENT' as const) : ('LIKERT' as const),
            entrustmentMode: null,
            value: 1 + Math.floor(rand() * 5),
            min: 1,
            max: 5,
          })),
        },
        v,
        uuidFor(`${prefix}assessment${n}.v${v}`),
      ),
    );
  if (n === 0)
    for (let v = 1; v <= 2; v++)
      out.push(
        envelope(
          PostProfilePublished,
          uuidFor(`${prefix}profile`),
          {
            postProfileId: uuidFor(`${prefix}profile`),
            title: 'Profile',
            scale: { name: 'Levels', min: 1, max: 5 },
            requirements: COMPETENCIES.slice(0, v + 1).map((competencyId) => ({ competencyId, level: 3 + v })),
          },
          v,
          uuidFor(`${prefix}profile.v${v}`),
        ),
      );
  return out;
}

describe('incremental rollups equal a rebuild', () => {
  const net = makeNetwork('p', { schools: 2, hospitals: 2, departmentsPer: 2, teachersPer: 2, blocks: 3 });

  it('on random histories with redelivery and out-of-order arrival', async () => {
    // Cells the histories must reach, or the property proves nothing about them: counted over all runs.
    const reached = {
      // Mentorship figures per block, or the block markers prove nothing.
      blockMeetings: 0,
      blockGoals: 0,
      seatsOffered: 0,
      swapsApproved: 0,
      // Superseded runs keep their own figures (RUN_* metrics, item: the run), so the property covers them too.
      supersededRuns: 0,
      // Runs per specialty and learner outcomes per module (ADR 0043).
      runSpecialties: 0,
      moduleOutcomes: 0,
      // Placements, cancellations and swaps per specialty (ADR 0047), named and unnamed specialties alike.
      namedSpecialtyPlacements: 0,
      unspecifiedSpecialtyPlacements: 0,
      specialtySwaps: 0,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (seed, placements, mentorships, redeliveries) => {
          await reset();
          const rand = prng(seed);
          // Allocation runs draw from their own source, so the other histories (and the examples below) stay as they were.
          const allocationRand = prng(seed + 1);
          const history = [
            ...Array.from({ length: placements }, (_, n) => [
              ...placementHistory(net, n, rand, `s${seed}`, { settlements: true }),
              ...learnerHistory(net, n, rand, `s${seed}`),
              ...allocationHistory(net, n, allocationRand, `s${seed}`),
            ]),
            ...Array.from({ length: mentorships }, (_, n) => mentorshipHistory(net.schools, n, rand, `s${seed}`)),
          ].flat();
          const shuffled = fc.sample(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), {
            seed,
            numRuns: 1,
          })[0]!;
          const duplicates = redeliveries.map((i) => history[i % history.length]!);
          await deliver([...shuffled, ...duplicates]);
          // The sweep's marker of the term a random day falls in, for the mentorships still active (and again: no change).
          const today = new Date(Date.UTC(2026, 8, 1) + (seed % 500) * 86_400_000);
          await markMentorshipTerms(ds, today, SETTINGS);
          await markMentorshipTerms(ds, today, SETTINGS);
          await markMentorshipBlocks(ds, today, SETTINGS);
          await markMentorshipBlocks(ds, today, SETTINGS);
          const incremental = await tables();
          const [counts] = (await ds.query(
            `SELECT count(*) FILTER (WHERE period_kind = 'BLOCK' AND metric = 'MEETINGS_PER_MENTEE')::int AS "blockMeetings",
                    count(*) FILTER (WHERE period_kind = 'BLOCK' AND metric = 'GOALS_SET')::int AS "blockGoals",
                    count(*) FILTER (WHERE metric = 'SEATS_OFFERED')::int AS "seatsOffered",
                    count(*) FILTER (WHERE metric = 'SWAPS_APPROVED')::int AS "swapsApproved",
                    count(*) FILTER (WHERE metric = 'RUN_SEATS_OFFERED' AND item IN (
                      SELECT aggregate_id FROM applied_event WHERE event_type = 'AllocationRunSuperseded'))::int AS "supersededRuns",
                    count(*) FILTER (WHERE scope_kind = 'SPECIALTY' AND metric = 'RUN_SPECIALTY_FIRST_CHOICE')::int AS "runSpecialties",
                    count(*) FILTER (WHERE scope_kind = 'MODULE' AND metric = 'COMPETENCY_SCORE')::int AS "moduleOutcomes",
                    count(*) FILTER (WHERE metric = 'SPECIALTY_PLACEMENTS_CANCELLED_SHARE' AND scope_kind = 'SPECIALTY'
                      AND scope_id <> 'UNSPECIFIED')::int AS "namedSpecialtyPlacements",
                    count(*) FILTER (WHERE metric = 'SPECIALTY_PLACEMENTS' AND scope_id = 'UNSPECIFIED')::int AS "unspecifiedSpecialtyPlacements",
                    count(*) FILTER (WHERE metric = 'SPECIALTY_SWAPS_APPROVED' AND scope_kind = 'SPECIALTY')::int AS "specialtySwaps"
               FROM rollup_cell`,
          )) as (typeof reached)[];
          for (const k of Object.keys(reached) as (keyof typeof reached)[]) reached[k] += counts![k];
          // Pages of a few events, so aggregates (and a student's assessments) straddle the rebuild's pages.
          const progress: [number, number][] = [];
          await rebuildRollups(ds, SETTINGS, async (done, total) => void progress.push([done, total]), { pageSize: 1 + (seed % 7) });
          expect(await tables()).toEqual(incremental);
          expect(progress.at(-1)![0]).toBe(progress[0]![1]);
          // And in one page (the default size).
          await rebuildRollups(ds, SETTINGS);
          expect(await tables()).toEqual(incremental);

          // And both equal the rollups of the same events applied once, in producer order.
          await reset();
          await deliver(history);
          await markMentorshipTerms(ds, today, SETTINGS);
          await markMentorshipBlocks(ds, today, SETTINGS);
          expect(await tables()).toEqual(incremental);
        },
      ),
      {
        // The examples run first and alone reach every cell counted in `reached` (checked below, whatever
        // the random runs draw): random histories reach a goal in a block only about one run in seven,
        // and an unnamed specialty only with five placements or more (placementHistory leaves it out of
        // the fifth), a third of them — six random runs missed it one time in eleven (session 11).
        // Six random runs follow; a failure prints fast-check's seed and path: replay with SEED=<seed>.
        examples: [
          [443162154, 3, 4, [2005848486]],
          [1405661874, 2, 2, [2027048815, 608368527]],
          [2079928143, 5, 4, [17, 305]],
        ],
        numRuns: 9,
        seed: PROPERTY_SEED,
        // Stop between runs well before Jest's timeout, so a slow machine still reports the seed.
        interruptAfterTimeLimit: 480_000,
        markInterruptAsFailure: true,
      },
    );
    const unreached = Object.entries(reached).filter(([, cells]) => cells === 0);
    if (unreached.length > 0)
      throw new Error(
        `no history reached ${unreached.map(([name]) => name).join(', ')} (seed ${PROPERTY_SEED}: replay with SEED=${PROPERTY_SEED})`,
      );
  }, 600_000);

  it('leaves the keys and indexes of the rollup tables as the migrations made them', async () => {
    // The rebuild drops them to load the rows and builds them again (ADR 0032).
    const keys = () =>
      ds.query(
        `SELECT tablename, indexname, indexdef FROM pg_indexes
          WHERE tablename IN ('rollup_cell', 'rollup_cell_evaluator', 'rollup_fact') ORDER BY 1, 2`,
      );
    const migrated = await keys();
    expect((migrated as unknown[]).length).toBeGreaterThanOrEqual(4);
    await reset();
    await deliver(placementHistory(net, 1, prng(11), 'keys'));
    await rebuildRollups(ds, SETTINGS);
    expect(await keys()).toEqual(migrated);
    // The primary keys refuse a duplicate again, and the upsert of the next event finds them.
    await expect(ds.query('INSERT INTO rollup_fact SELECT * FROM rollup_fact LIMIT 1')).rejects.toThrow(/duplicate key/);
    await deliver(placementHistory(net, 2, prng(12), 'keys'));
  });

  it('folds in shares, each in a worker thread, to the same rollups, and events that arrive meanwhile wait (ADR 0046)', async () => {
    await reset();
    const rand = prng(46);
    const history = [
      ...Array.from({ length: 8 }, (_, n) => [
        ...placementHistory(net, n, rand, 'shares', { settlements: true }),
        ...(n < 2 ? learnerHistory(net, n, rand, 'shares') : []),
      ]),
      ...Array.from({ length: 2 }, (_, n) => mentorshipHistory(net.schools, n, rand, 'shares')),
    ].flat();
    await deliver(history);
    const incremental = await tables();
    // Tasks are more than one and a half fair parts of four shares: they are cut into ranges whose cells are merged.
    const sizes = (await ds.query(
      `SELECT aggregate_type AS type, count(DISTINCT aggregate_id)::int AS aggregates FROM applied_event GROUP BY 1`,
    )) as TypeSize[];
    expect(typesToSplit(sizes, Object.keys(ROLLUP_AGGREGATES), 4).get('AssessmentTask')).toBeGreaterThan(1);
    // In this thread (the same protocol over a MessageChannel): a worker thread costs seconds to start from sources.
    await rebuildRollups(ds, SETTINGS, undefined, { shares: 4, threads: false, pageSize: 3 });
    expect(await tables()).toEqual(incremental);

    // In worker threads; placements delivered once the rebuild holds its lock wait for it, then apply to the rebuilt rollups.
    const later = Array.from({ length: 2 }, (_, n) => placementHistory(net, 100 + n, rand, 'shares')).flat();
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const rebuilt = rebuildRollups(ds, SETTINGS, async () => locked(), { shares: 2, threads: true });
    await holding;
    await Promise.all([rebuilt, deliver(later)]);
    const both = await tables();
    await reset();
    await deliver([...history, ...later]);
    expect(both).toEqual(await tables());
  }, 120_000);

  it('counts each event once: a redelivered event changes nothing', async () => {
    await reset();
    const history = placementHistory(net, 1, prng(7), 'once');
    await deliver(history);
    const before = await tables();
    await deliver(history);
    expect(await tables()).toEqual(before);
    const [{ n }] = await ds.query(
      `SELECT n::int FROM rollup_cell WHERE metric = 'PLACEMENTS' AND school = '*' AND scope_kind = 'NETWORK' AND period_kind = 'YEAR'`,
    );
    expect(n).toBe(1);
  });
});

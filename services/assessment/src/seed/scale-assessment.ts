import { LIBRARY, libraryCompetencyId, libraryIds } from '@medcollab/demo-world';
import {
  type BulkColumn,
  bulkInsert,
  loadKnownNetworkFacts,
  prng,
  withIndexesDeferred,
  type InstrumentKey,
  type PublishedEvaluation,
  type PublishedInstrument,
  type Queryable,
  type ScaleWorld,
  type WorldPublished,
  type WorldTask,
} from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';
import { evaluatorPseudonym } from '../data/evaluation-event';
import { observationsOf } from '../data/observations';
import { evaluationItemScores } from '../domain/evaluation-scores';
import { academicYear, isoWeek } from '../domain/calendar';
import { checkResponses, type ResponseInput } from '../domain/responses';
import { type InstrumentItemDef, isRated } from '../domain/scales';
import { assessmentSettings } from '../settings';
import { libraryInstrumentId } from './instrument-library';

/**
 * Writes assessment's part of a generated world in bulk, in one transaction, into a migrated
 * database (the instrument library is there): what it knows of the others (students, staff,
 * agreements, enrollments, placements, mentor grants, the competency library, the programs'
 * post profiles as PostProfilePublished carries them), the tasks,
 * their submissions and the competency evidence of each. Every submission's answers pass
 * assessment's own check (checkResponses, complete) and its evidence is what observationsOf
 * derives, as a submission through the API would; no assessor is given more tasks in a week
 * than the weekly cap.
 */
export async function loadScaleAssessment(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  const settings = assessmentSettings();
  assertWeeklyCap(world.tasks, settings.weeklyCap);
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    Object.assign(counts, await loadKnownNetworkFacts(em, world, ['known_student', 'known_staff', 'known_agreement']));
    counts.known_enrollment = await bulkInsert(
      em,
      'known_enrollment',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['program_id', 'uuid'],
        ['school_id', 'uuid'],
        ['status', 'text'],
        ['changed_at', 'timestamptz'],
      ],
      world.enrollments.map((e) => [e.id, e.studentId, e.programId, e.schoolId, 'ACTIVE', e.enrolledAt]),
    );
    counts.known_placement = await bulkInsert(
      em,
      'known_placement',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['department_id', 'uuid'],
        ['block_id', 'uuid'],
        ['supervisor_id', 'uuid'],
        ['starts_on', 'date'],
        ['ends_on', 'date'],
        ['status', 'text'],
        ['access_until', 'timestamptz'],
        ['changed_at', 'timestamptz'],
      ],
      world.placements.map((p) => [
        p.id,
        p.studentId,
        p.schoolId,
        p.hospitalId,
        p.departmentId,
        p.blockId,
        p.supervisorId,
        p.startsOn,
        p.endsOn,
        p.status,
        p.accessUntil,
        p.changedAt,
      ]),
    );
    counts.mentor_grant = await bulkInsert(
      em,
      'mentor_grant',
      [
        ['mentorship_id', 'uuid'],
        ['mentor_id', 'uuid'],
        ['student_id', 'uuid'],
      ],
      world.mentorships.filter((m) => m.status !== 'ENDED').map((m) => [m.id, m.mentorId, m.studentId]),
    );
    const competencies = LIBRARY.flatMap((framework) => {
      const ids = libraryIds(framework);
      return framework.competencies.map((c) => [
        ids.competencyIds[c.code],
        ids.id,
        c.code,
        c.domain,
        c.parentCode ? ids.competencyIds[c.parentCode] : null,
      ]);
    });
    counts.known_competency = await bulkInsert(
      em,
      'known_competency',
      [
        ['id', 'uuid'],
        ['framework_id', 'uuid'],
        ['code', 'text'],
        ['domain', 'text'],
        ['parent_id', 'uuid'],
      ],
      competencies,
    );
    // PostProfilePublished's payload for each program's post profile (readiness is measured against it).
    counts.known_post_profile = await bulkInsert(
      em,
      'known_post_profile',
      [
        ['id', 'uuid'],
        ['title', 'text'],
        ['scale_name', 'text'],
        ['scale_min', 'float8'],
        ['scale_max', 'float8'],
        ['requirements', 'jsonb'],
      ],
      world.postProfiles.map((p) => [
        p.id,
        p.title,
        p.scale.name,
        p.scale.min,
        p.scale.max,
        p.requirements.map((r) => ({ competencyId: libraryCompetencyId(r.framework, r.code), level: r.level })),
      ]),
    );

    const itemsOf = await instrumentItems(em);

    // Foreign keys are checked by the load's own logic (every task's instrument is the library's,
    // every submission's task and every observation's submission are written here), so their
    // triggers are skipped for this transaction; secondary indexes are built after the rows.
    // Tasks go in slices: each slice's rows are built, checked and copied before the next, so
    // memory holds one slice (the large world's 2.4 M observations at once made the collector
    // the load's main cost), and a refused answer still rolls the whole load back.
    await em.query('SET LOCAL session_replication_role = replica');
    await withIndexesDeferred(em, ['assessment_task', 'submission', 'competency_observation'], async () => {
      let [tasks, submissions, observations] = [0, 0, 0];
      for (let start = 0; start < world.tasks.length; start += TASK_SLICE) {
        const rows = rowsOfTasks(world.tasks.slice(start, start + TASK_SLICE), itemsOf, settings.academicYearStartMonth);
        tasks += await bulkInsert(em, 'assessment_task', TASK_COLUMNS, rows.tasks);
        submissions += await bulkInsert(em, 'submission', SUBMISSION_COLUMNS, rows.submissions);
        observations += await bulkInsert(em, 'competency_observation', OBSERVATION_COLUMNS, rows.observations);
      }
      Object.assign(counts, { assessment_task: tasks, submission: submissions, competency_observation: observations });
    });
    await em.query('SET LOCAL session_replication_role = origin');
    await em.query('ANALYZE');
    world.published.assessment = await scaleAssessmentPublished(em, world, itemsOf);
    return counts;
  });
}

/** The instruments' items, as assessment reads them, by instrument id. */
async function instrumentItems(db: Queryable): Promise<Map<string, InstrumentItemDef[]>> {
  const itemRows = (await db.query(
    `SELECT instrument_id, key, label, category, required, scale, competency_ids FROM instrument_item ORDER BY instrument_id, key`,
  )) as {
    instrument_id: string;
    key: string;
    label: string;
    category: string | null;
    required: boolean;
    scale: InstrumentItemDef['scale'];
    competency_ids: string[];
  }[];
  const itemsOf = new Map<string, InstrumentItemDef[]>();
  for (const r of itemRows) {
    const list = itemsOf.get(r.instrument_id) ?? [];
    list.push({ key: r.key, label: r.label, category: r.category, required: r.required, scale: r.scale, competencyIds: r.competency_ids });
    itemsOf.set(r.instrument_id, list);
  }
  return itemsOf;
}

const INSTRUMENT_KEYS: readonly InstrumentKey[] = ['mini-cex', 'dops', 'notss', 'case-analysis', 'site-evaluation', 'teacher-evaluation'];

/**
 * What assessment publishes about a generated world for its consumers (quality's history): the
 * library instruments the task events name, and each submitted site or teacher evaluation as
 * its EvaluationSubmitted event says it — the same answers the load writes (answersFor, checked),
 * their rated items (evaluationItemScores) and the evaluator's pseudonym, as publishEvaluation
 * builds them. Needs only the migrated library, so it can be asked of a loaded database again.
 */
export async function scaleAssessmentPublished(
  db: Queryable,
  world: ScaleWorld,
  itemsOf?: ReadonlyMap<string, InstrumentItemDef[]>,
): Promise<NonNullable<WorldPublished['assessment']>> {
  const settings = assessmentSettings();
  const items = itemsOf ?? (await instrumentItems(db));
  const ids = INSTRUMENT_KEYS.map((key) => libraryInstrumentId(key));
  const rows = (await db.query(`SELECT id, kind, title, purpose FROM instrument WHERE id = ANY($1::uuid[])`, [
    ids,
  ])) as PublishedInstrument[];
  const instruments = Object.fromEntries(
    INSTRUMENT_KEYS.map((key) => {
      const row = rows.find((r) => r.id === libraryInstrumentId(key));
      if (!row) throw new Error(`instrument ${key} is not in this database (migrate assessment first)`);
      return [key, row];
    }),
  ) as Record<InstrumentKey, PublishedInstrument>;
  const evaluations = new Map<string, PublishedEvaluation>();
  for (const t of world.tasks) {
    if (t.status !== 'SUBMITTED' || !t.submissionId || (t.role !== 'SITE_EVALUATION' && t.role !== 'TEACHER_EVALUATION')) continue;
    const defs = items.get(libraryInstrumentId(t.instrumentKey))!;
    const { responses } = checkResponses(defs, answersFor(defs, t.answerSeed), { complete: true });
    const p = t.placement;
    evaluations.set(t.id, {
      submissionId: t.submissionId,
      kind: t.role,
      evaluatorPseudonym: evaluatorPseudonym(t.assessorId),
      schoolId: p.schoolId,
      hospitalId: p.hospitalId,
      departmentId: p.departmentId,
      teacherId: t.role === 'TEACHER_EVALUATION' ? p.supervisorId : null,
      blockId: p.blockId,
      academicYear: academicYear(new Date(t.assignedAt), settings.academicYearStartMonth),
      submittedAt: new Date(t.closedAt!).toISOString(),
      itemScores: evaluationItemScores(defs, responses),
    });
  }
  return { instruments, evaluations };
}

/** Tasks written per slice (a few MB of rows; every slice is three COPY statements). */
const TASK_SLICE = 20_000;

const TASK_COLUMNS: BulkColumn[] = [
  ['id', 'uuid'],
  ['instrument_id', 'uuid'],
  ['role', 'text'],
  ['status', 'text'],
  ['assessor_id', 'uuid'],
  ['student_id', 'uuid'],
  ['school_id', 'uuid'],
  ['subject_staff_id', 'uuid'],
  ['subject_department_id', 'uuid'],
  ['placement_id', 'uuid'],
  ['hospital_id', 'uuid'],
  ['block_id', 'uuid'],
  ['due_at', 'timestamptz'],
  ['assigned_at', 'timestamptz'],
  ['assigned_by', 'uuid'],
  ['week', 'text'],
  ['academic_year', 'text'],
  ['decline_reason', 'text'],
  ['declined_at', 'timestamptz'],
  ['submitted_at', 'timestamptz'],
  ['expired_at', 'timestamptz'],
];
const SUBMISSION_COLUMNS: BulkColumn[] = [
  ['id', 'uuid'],
  ['task_id', 'uuid'],
  ['status', 'text'],
  ['responses', 'jsonb'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['submitted_at', 'timestamptz'],
];
const OBSERVATION_COLUMNS: BulkColumn[] = [
  ['submission_id', 'uuid'],
  ['item_key', 'text'],
  ['competency_id', 'uuid'],
  ['student_id', 'uuid'],
  ['scale_type', 'text'],
  ['entrustment_mode', 'text'],
  ['scale_min', 'float8'],
  ['scale_max', 'float8'],
  ['value', 'float8'],
  ['observed_at', 'timestamptz'],
];

/**
 * The rows of some tasks: each task; for a submitted one its submission, whose answers pass
 * checkResponses (complete) as through the API, and the evidence observationsOf derives from them.
 */
function rowsOfTasks(
  tasks: readonly WorldTask[],
  itemsOf: ReadonlyMap<string, InstrumentItemDef[]>,
  month: number,
): { tasks: unknown[][]; submissions: unknown[][]; observations: unknown[][] } {
  const taskRows: unknown[][] = [];
  const submissionRows: unknown[][] = [];
  const observationRows: unknown[][] = [];
  for (const t of tasks) {
    const p = t.placement;
    const instrumentId = libraryInstrumentId(t.instrumentKey);
    const assigned = new Date(t.assignedAt);
    taskRows.push([
      t.id,
      instrumentId,
      t.role,
      t.status,
      t.assessorId,
      p.studentId,
      p.schoolId,
      t.role === 'TEACHER_EVALUATION' ? p.supervisorId : null,
      t.role === 'SITE_EVALUATION' ? p.departmentId : null,
      p.id,
      p.hospitalId,
      p.blockId,
      t.dueAt,
      t.assignedAt,
      t.role === 'ASSIGNED' ? p.supervisorId : null,
      isoWeek(assigned),
      academicYear(assigned, month),
      t.status === 'DECLINED' ? 'On leave that week' : null,
      t.status === 'DECLINED' ? t.closedAt : null,
      t.status === 'SUBMITTED' ? t.closedAt : null,
      t.status === 'EXPIRED' ? t.closedAt : null,
    ]);
    if (t.status !== 'SUBMITTED' || !t.submissionId) continue;
    const items = itemsOf.get(instrumentId);
    if (!items) throw new Error(`instrument ${t.instrumentKey} has no items in this database`);
    const checked = checkResponses(items, answersFor(items, t.answerSeed), { complete: true });
    if (checked.issues.length)
      throw new Error(`generated answers for task ${t.id} refused: ${checked.issues.map((i) => i.message).join('; ')}`);
    submissionRows.push([t.submissionId, t.id, 'SUBMITTED', checked.responses, t.closedAt, t.closedAt, t.closedAt]);
    for (const o of observationsOf(items, checked.responses, {
      submissionId: t.submissionId,
      studentId: p.studentId,
      observedAt: new Date(t.closedAt!),
    })) {
      observationRows.push([
        o.submissionId,
        o.itemKey,
        o.competencyId,
        o.studentId,
        o.scaleType,
        o.entrustmentMode,
        o.min,
        o.max,
        o.value,
        t.closedAt,
      ]);
    }
  }
  return { tasks: taskRows, submissions: submissionRows, observations: observationRows };
}

/** Deterministic answers to every item: ratings on the scale, checklists mostly done, a line of text where required. */
function answersFor(items: readonly InstrumentItemDef[], seed: number): ResponseInput[] {
  const rand = prng(seed);
  return items.flatMap((item): ResponseInput[] => {
    const { scale } = item;
    if (isRated(scale.type)) {
      const min = scale.min as number;
      const max = scale.max as number;
      // Skewed towards the upper half, as real ratings are.
      return [{ itemKey: item.key, rating: Math.min(max, min + Math.floor(Math.sqrt(rand()) * (max - min + 1))) }];
    }
    if (scale.type === 'CHECKLIST') return [{ itemKey: item.key, done: rand() < 0.85 }];
    return item.required ? [{ itemKey: item.key, text: 'Observed on the ward; discussed afterwards.' }] : [];
  });
}

/** Throws when the world gives an assessor more tasks in one ISO week than assessment allows. */
export function assertWeeklyCap(tasks: readonly WorldTask[], cap: number): void {
  const load = new Map<string, number>();
  for (const t of tasks) {
    const key = `${t.assessorId}/${isoWeek(new Date(t.assignedAt))}`;
    const n = (load.get(key) ?? 0) + 1;
    if (n > cap) throw new Error(`assessor ${t.assessorId} would have ${n} tasks in ${key.split('/')[1]} (the cap is ${cap})`);
    load.set(key, n);
  }
}

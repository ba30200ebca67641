import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { type SubmissionOptions, submitAssessment } from '../data/submissions';
import { assignAssessment } from '../data/tasks';
import { type TaskStatus } from '../domain/model';
import { assignAssessmentSchema, submitAssessmentSchema } from '../domain/validation';
import { KnownPlacement, KnownStudent } from '../entities';
import { projectCompetencyFrameworkPublished, projectPostProfilePublished } from '../projections/curriculum-events';
import { projectAgreementActivated, projectAgreementEnded, projectStaff, projectStudent } from '@medcollab/projections';
import { placementCompleted, projectPlacement } from '../projections/placement-events';
import { assessmentSettings, type AssessmentSettings } from '../settings';
import { demoFacts, type DemoFacts } from './demo-facts';
import { libraryInstrumentId } from './instrument-library';

export interface DemoAssessmentSummary {
  /** True when this call loaded the demo's tasks and submissions; false when they were there already. */
  created: boolean;
  /** Instruments in the library (and any a school added). */
  instruments: number;
  tasks: Record<TaskStatus, number>;
  /** The demo student, assessed in their running placement; their readiness is shown against… */
  demoStudentId: string;
  /** …the curriculum demo's post profile (emergency medicine resident, year 1). */
  postProfileId: string;
}

const MINI_CEX = { history: 6, examination: 7, professionalism: 8, judgement: 5, communication: 7, organisation: 6, overall: 6 };
const SITE = { orientation: 4, supervision: 5, opportunities: 4, climate: 5, overall: 5 };
const TEACHER = { explains: 5, feedback: 4, observes: 4, 'role-model': 5, respect: 5, overall: 5 };
const NOTSS = {
  'SA.1': 3,
  'SA.2': 3,
  'SA.3': 2,
  'DM.1': 3,
  'DM.2': 2,
  'DM.3': null,
  'CT.1': 4,
  'CT.2': 3,
  'CT.3': 3,
  'L.1': null,
  'L.2': 3,
  'L.3': 2,
};
const EPA: Record<number, number> = { 1: 3, 2: 3, 4: 2, 6: 3, 8: 2, 9: 3, 10: 2 };

const ratings = (values: Record<string, number | null>) =>
  Object.entries(values).map(([itemKey, rating]) => (rating === null ? { itemKey, notApplicable: true } : { itemKey, rating }));

/**
 * Loads the assessment demo for the demo network, in one transaction. What assessment knows of
 * the other services (people, agreements, the competency library, the demo post profile, the
 * rotations demo placements) is written first through the very handlers its consumer uses —
 * completing a placement creates its three tasks exactly as the event would, and the real
 * events change nothing when they arrive. Then, through the API's commands at fixed instants:
 * the first completed placement assessed (a mini-CEX) and evaluated by its student, and the
 * demo student assessed with NOTSS and an EPA entrustment decision in their running placement,
 * with a DOPS still to do. The library itself comes with the migrations. Idempotent.
 */
export async function seedDemoAssessment(
  dataSource: DataSource,
  network: DemoNetworkSummary,
  settings: AssessmentSettings = assessmentSettings(),
): Promise<DemoAssessmentSummary> {
  const facts = demoFacts(network);
  const created = await dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('assessment.demo-seed'))`);
    await projectFacts(em, facts, settings);
    const [marker] = (await em.query(
      `SELECT 1 FROM assessment_task WHERE role = 'ASSIGNED' AND student_id = $1 AND assigned_by = $2 LIMIT 1`,
      [network.student.id, network.coordinator.id],
    )) as unknown[];
    if (marker) return false;
    await loadDemo(em, network, facts, settings);
    return true;
  });
  const tasks: Record<TaskStatus, number> = { PENDING: 0, SUBMITTED: 0, DECLINED: 0, EXPIRED: 0, CANCELLED: 0 };
  for (const row of (await dataSource.query(`SELECT status, count(*)::int AS n FROM assessment_task GROUP BY status`)) as {
    status: TaskStatus;
    n: number;
  }[])
    tasks[row.status] = row.n;
  const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM instrument`)) as [{ n: number }];
  return { created, instruments: n, tasks, demoStudentId: network.student.id, postProfileId: facts.postProfile.postProfileId };
}

async function projectFacts(em: EntityManager, facts: DemoFacts, settings: AssessmentSettings): Promise<void> {
  for (const s of facts.network.students) await projectStudent(em, s);
  for (const s of facts.network.staff) await projectStaff(em, s);
  for (const a of facts.network.activations) await projectAgreementActivated(em, a);
  for (const a of facts.network.endings) await projectAgreementEnded(em, a);
  for (const f of facts.frameworks) await projectCompetencyFrameworkPublished(em, f);
  await projectPostProfilePublished(em, facts.postProfile);
  for (const p of facts.placements) {
    for (const e of p.events) {
      if (e.type === 'PlacementConfirmed') await projectPlacement(em, e.payload, 'CONFIRMED');
      if (e.type === 'PlacementStarted') await projectPlacement(em, e.payload, 'IN_PROGRESS');
      if (e.type === 'PlacementCompleted') await placementCompleted(em, e.payload, settings);
    }
  }
}

async function loadDemo(em: EntityManager, network: DemoNetworkSummary, facts: DemoFacts, settings: AssessmentSettings): Promise<void> {
  const at = (iso: string) => new Date(iso);
  const as = (actorId: string, now: Date): SubmissionOptions => ({
    now,
    meta: { requestId: 'seed:demo-assessment', actorId },
    authorize: () => undefined,
  });
  const taskOf = async (placementId: string, role: string): Promise<string | null> => {
    const [row] = (await em.query(`SELECT id FROM assessment_task WHERE placement_id = $1 AND role = $2 AND status = 'PENDING'`, [
      placementId,
      role,
    ])) as { id: string }[];
    return row?.id ?? null;
  };
  const submit = async (taskId: string | null, responses: object[], actorId: string, now: Date, comment?: string) => {
    if (!taskId) return;
    await submitAssessment(em, parseInput(submitAssessmentSchema, { taskId, responses, comment }), as(actorId, now));
  };

  // The first completed placement: the clinical instructor's mini-CEX, the student's evaluations.
  const first = facts.placements[0]!.events.at(-1)!.payload;
  await submit(
    await taskOf(first.placementId, 'SUPERVISOR_ASSESSMENT'),
    [
      ...ratings(MINI_CEX),
      { itemKey: 'strengths', text: 'Clear, structured history; good rapport with an anxious patient.' },
      { itemKey: 'development', text: 'Commit to a working diagnosis before ordering tests.' },
    ],
    network.clinicalInstructor.id,
    at('2026-11-03T10:00:00Z'),
  );
  await submit(await taskOf(first.placementId, 'SITE_EVALUATION'), ratings(SITE), first.studentId, at('2026-11-02T18:00:00Z'));
  await submit(await taskOf(first.placementId, 'TEACHER_EVALUATION'), ratings(TEACHER), first.studentId, at('2026-11-02T18:05:00Z'));
  const second = facts.placements[1]!.events.at(-1)!.payload;
  await submit(await taskOf(second.placementId, 'SITE_EVALUATION'), ratings(SITE), second.studentId, at('2026-11-04T12:00:00Z'));

  // The demo student, on site with the demo clinical instructor: three tasks assigned by the school.
  const running = facts.placements[3]!.events.at(-1)!.payload;
  const student = (await em.getRepository(KnownStudent).findOneBy({ id: network.student.id })) as KnownStudent;
  const placement = (await em.getRepository(KnownPlacement).findOneBy({ id: running.placementId })) as KnownPlacement;
  const assignedAt = at('2026-11-20T09:00:00Z');
  const assign = async (instrument: string, dueAt: string) =>
    (
      await assignAssessment(
        em,
        parseInput(assignAssessmentSchema, {
          instrumentId: libraryInstrumentId(instrument),
          studentId: student.id,
          assessorId: network.clinicalInstructor.id,
          dueAt,
          placementId: placement.id,
        }),
        student,
        placement,
        { actorId: network.coordinator.id, now: assignedAt, settings },
      )
    ).id;
  const notss = await assign('notss', '2026-12-04T17:00:00Z');
  const epa = await assign('epa-entrustment', '2026-12-18T17:00:00Z');
  await assign('dops', '2027-01-15T17:00:00Z');
  await submit(
    notss,
    [...ratings(NOTSS), { itemKey: 'comments', text: 'Anticipated the deterioration late; shared the plan clearly with the nurse.' }],
    network.clinicalInstructor.id,
    at('2026-11-21T16:00:00Z'),
  );
  await submit(
    epa,
    [
      ...Array.from({ length: 13 }, (_, i) =>
        EPA[i + 1] ? { itemKey: `epa-${i + 1}`, rating: EPA[i + 1] } : { itemKey: `epa-${i + 1}`, notApplicable: true },
      ),
      { itemKey: 'rationale', text: 'Reliable history and presentation; needs supervision for orders and urgent care.' },
    ],
    network.clinicalInstructor.id,
    at('2026-11-24T16:00:00Z'),
  );
}

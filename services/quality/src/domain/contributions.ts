import { goalContributions, mentorshipContributions, REMINDER_SENT } from './mentorship-contributions';
import { allocationRunContributions, swapContributions } from './allocation-contributions';
import {
  ALL_SCHOOLS,
  cohortScopeId,
  type Metric,
  moduleScopeId,
  NETWORK_ID,
  type ScopeKind,
  SPECIALTY_PLACEMENT_METRICS,
  specialtyScopeId,
  teacherScopeId,
} from './metrics';
import { type PeriodKind, periodsOf } from './periods';
import { pseudonymKeyOf, studentPseudonym } from './pseudonyms';

/**
 * The rollup arithmetic's first half: what one aggregate (a task, a placement, an evaluation)
 * contributes to the rollup cells, as a pure function of the events quality holds about it.
 * The events are folded in their producer's sequence, whatever order they arrived in, so the
 * result depends only on the SET of events: a redelivery or a late predecessor changes nothing
 * once everything is in. Incremental apply retracts an aggregate's previous contribution and
 * adds the new one; a rebuild adds every aggregate's contribution to empty tables — the same
 * sums either way.
 */
export interface StoredEvent {
  id: string;
  type: string;
  sequence: number;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export interface CellKey {
  metric: Metric;
  /** The evaluating or assessed students' school, or ALL_SCHOOLS. */
  school: string;
  scopeKind: ScopeKind;
  scopeId: string;
  periodKind: PeriodKind;
  periodId: string;
  /** An evaluation item's key; '' for the whole (one value per evaluation, task or placement). */
  item: string;
  /** The scope one level up (department of a teacher, hospital of a department), for drill-down. */
  parent: string | null;
}

/** One thing counted once in a cell: an optional value (summed, and bucketed for the distribution) and its evaluator. */
export interface Contribution {
  key: CellKey;
  value: number | null;
  evaluator: string | null;
  /** How many things it counts (seats of a department in a block); 1 when absent. Only with a null value and evaluator. */
  weight?: number;
}

export interface RollupSettings {
  academicYearStartMonth: number;
  /** k, for the protection of revisions of frozen periods (default 5). */
  minEvaluators?: number;
  /** The key of students' pseudonyms (QUALITY_PSEUDONYM_SECRET); the development key when absent (domain/pseudonyms). */
  pseudonymKey?: string;
}

/**
 * Exactly the RollupSettings of a wider settings object (a worker's holds more than a thread can
 * be sent): every field a fold reads, the pseudonym key included, so a rebuild's threads derive
 * the same pseudonyms as incremental apply. A field added above is added here.
 */
export const rollupSettingsOf = (s: RollupSettings): RollupSettings => ({
  academicYearStartMonth: s.academicYearStartMonth,
  minEvaluators: s.minEvaluators,
  pseudonymKey: s.pseudonymKey,
});

/** The scopes a fact counts in, from the network down, with each one's parent. */
export interface Place {
  schoolId: string | null;
  hospitalId: string | null;
  departmentId: string | null;
  teacherId: string | null;
}

function scopesOf(p: Place): Scope[] {
  const scopes: Scope[] = [{ kind: 'NETWORK', id: NETWORK_ID, parent: null }];
  if (p.hospitalId) scopes.push({ kind: 'INSTITUTION', id: p.hospitalId, parent: NETWORK_ID });
  if (p.hospitalId && p.departmentId) scopes.push({ kind: 'DEPARTMENT', id: p.departmentId, parent: p.hospitalId });
  if (p.teacherId) {
    if (p.hospitalId && p.departmentId)
      scopes.push({ kind: 'TEACHER', id: teacherScopeId(p.departmentId, p.teacherId), parent: p.departmentId });
    scopes.push({ kind: 'STAFF', id: p.teacherId, parent: null });
  }
  return scopes;
}

export type Scope = { kind: ScopeKind; id: string; parent: string | null };
type CountedValue = { item: string; value: number | null; evaluator: string | null; weight?: number };

/** Fans one counted thing out to every (school cohort × scope × period) cell it belongs to. */
export function fanOut(
  metric: Metric,
  place: Place,
  date: string,
  blockId: string | null,
  settings: RollupSettings,
  values: CountedValue[],
): Contribution[] {
  return fanOutTo(metric, place.schoolId, scopesOf(place), date, blockId, settings, values);
}

/** The same fan-out along given scopes (e.g. the curriculum's network → program → module). */
export function fanOutTo(
  metric: Metric,
  schoolId: string | null,
  scopes: readonly Scope[],
  date: string,
  blockId: string | null,
  settings: RollupSettings,
  values: readonly CountedValue[],
): Contribution[] {
  const out: Contribution[] = [];
  for (const school of schoolId ? [ALL_SCHOOLS, schoolId] : [ALL_SCHOOLS])
    for (const scope of scopes)
      for (const period of periodsOf(date, blockId, settings.academicYearStartMonth))
        for (const v of values)
          out.push({
            key: {
              metric,
              school,
              scopeKind: scope.kind,
              scopeId: scope.id,
              periodKind: period.kind,
              periodId: period.id,
              item: v.item,
              parent: scope.parent,
            },
            value: v.value,
            evaluator: v.evaluator,
            ...(v.weight !== undefined ? { weight: v.weight } : {}),
          });
  return out;
}

export const bySequence = (events: readonly StoredEvent[]): StoredEvent[] =>
  [...events].sort((a, b) => a.sequence - b.sequence || a.id.localeCompare(b.id));
export const dateOf = (instant: string): string => new Date(instant).toISOString().slice(0, 10);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const DAY_MS = 86_400_000;

const TERMINAL = new Set([
  'AssessmentTaskSubmitted',
  'AssessmentTaskDeclined',
  'AssessmentTaskExpired',
  'AssessmentTaskWithdrawn',
  'AssessmentTaskCancelled',
]);

/**
 * A task: assigned once; then submitted on time or late, declined, expired, withdrawn (displaced
 * by the burden cap) or cancelled (no one could take it over) — or still open while none of
 * these has come; days to submit from assignment; and, once submitted, how many reminders and
 * escalations it needed (notifications' AssessmentReminderSent, held with the task: the mean is
 * per completed task).
 */
export function taskContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  // Notifications' reminders are held with the task (rollupUnitOf) but are not the task's own events.
  const nudges = events.filter((e) => e.type === REMINDER_SENT);
  const ordered = bySequence(events.filter((e) => e.type !== REMINDER_SENT));
  const latest = ordered.at(-1);
  if (!latest) return [];
  const facts = latest.payload;
  const assigned = ordered.find((e) => e.type === 'AssessmentTaskAssigned');
  const outcome = ordered.filter((e) => TERMINAL.has(e.type)).at(-1);
  const role = str(facts.role);
  const staffAssessor = role === 'SUPERVISOR_ASSESSMENT' || role === 'ASSIGNED';
  const place: Place = {
    schoolId: str(facts.schoolId),
    hospitalId: str(facts.hospitalId),
    departmentId: str(facts.departmentId),
    teacherId: staffAssessor ? str(facts.assessorId) : null,
  };
  const dueAt = str(facts.dueAt) as string;
  const fan = (metric: Metric, value: number | null = null) =>
    fanOut(metric, place, dateOf(dueAt), str(facts.blockId), settings, [{ item: '', value, evaluator: null }]);
  const out = fan('TASKS_ASSIGNED');
  if (outcome?.type === 'AssessmentTaskSubmitted') {
    const submittedAt = str(outcome.payload.submittedAt) as string;
    out.push(...fan(new Date(submittedAt) <= new Date(dueAt) ? 'TASKS_ON_TIME' : 'TASKS_LATE'));
    const assignedAt = assigned ? str(assigned.payload.assignedAt) : null;
    if (assignedAt)
      out.push(
        ...fan('DAYS_TO_SUBMIT', Math.max(0, Math.floor((new Date(submittedAt).getTime() - new Date(assignedAt).getTime()) / DAY_MS))),
      );
    // Reminders and escalations the completed task needed: each step once (a redelivery is the same step).
    const steps = new Map(nudges.map((e) => [str(e.payload.stepId) ?? e.id, str(e.payload.kind)]));
    const needed = (kind: string) => [...steps.values()].filter((k) => k === kind).length;
    out.push(...fan('REMINDERS_PER_TASK', needed('REMINDER')), ...fan('ESCALATIONS_PER_TASK', needed('ESCALATION')));
  } else if (outcome?.type === 'AssessmentTaskDeclined') out.push(...fan('TASKS_DECLINED'));
  else if (outcome?.type === 'AssessmentTaskExpired') out.push(...fan('TASKS_EXPIRED'));
  else if (outcome?.type === 'AssessmentTaskWithdrawn') out.push(...fan('TASKS_WITHDRAWN'));
  else if (outcome?.type === 'AssessmentTaskCancelled') out.push(...fan('TASKS_CANCELLED'));
  else out.push(...fan('TASKS_OPEN'));
  return out;
}

/** The network and a specialty (NO_SPECIALTY when the event names none): the second drill-down of placements and swaps. */
export const specialtyScopes = (specialty: string | null | undefined): Scope[] => [
  { kind: 'NETWORK', id: NETWORK_ID, parent: null },
  { kind: 'SPECIALTY', id: specialtyScopeId(specialty), parent: NETWORK_ID },
];

/**
 * A placement: counted once in its block and start date's periods; completed or cancelled by its
 * latest event; PLACEMENTS_CANCELLED_SHARE 1 when cancelled, else 0 (its mean: the share of
 * placements cancelled). The same again along network → the department's specialty as its latest
 * event names it (SPECIALTY_*, ADR 0047).
 */
export function placementContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const latest = bySequence(events).at(-1);
  if (!latest) return [];
  const p = latest.payload;
  const place: Place = { schoolId: str(p.schoolId), hospitalId: str(p.hospitalId), departmentId: str(p.departmentId), teacherId: null };
  const startsOn = str(p.startsOn) as string;
  const bySpecialty = specialtyScopes(str(p.specialty));
  const cancelled = latest.type === 'PlacementCancelled';
  const out: Contribution[] = [];
  const fan = (metric: keyof typeof SPECIALTY_PLACEMENT_METRICS | 'PLACEMENTS_COMPLETED', value: number | null = null) => {
    const values = [{ item: '', value, evaluator: null }];
    out.push(...fanOut(metric, place, startsOn, str(p.blockId), settings, values));
    if (metric !== 'PLACEMENTS_COMPLETED')
      out.push(...fanOutTo(SPECIALTY_PLACEMENT_METRICS[metric], place.schoolId, bySpecialty, startsOn, str(p.blockId), settings, values));
  };
  fan('PLACEMENTS');
  fan('PLACEMENTS_CANCELLED_SHARE', cancelled ? 1 : 0);
  if (latest.type === 'PlacementCompleted') fan('PLACEMENTS_COMPLETED');
  if (cancelled) fan('PLACEMENTS_CANCELLED');
  return out;
}

/**
 * An evaluation: each rated item once (item key), and the evaluation as a whole once (item '',
 * the mean of its rated items), all with the evaluator's pseudonym for the distinct count —
 * at the network, hospital, department and teacher, and, when the event names the student's
 * program, again as SITE_SCORE_BY_MODULE / TEACHER_SCORE_BY_MODULE at the network, the program and
 * the module the placement belongs to (ADR 0031). Both from the event alone, so incremental
 * still equals rebuild.
 */
export function evaluationContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const latest = bySequence(events).at(-1);
  if (!latest) return [];
  const p = latest.payload;
  const scores = (p.itemScores as { itemKey: string; value: number }[] | undefined) ?? [];
  if (!scores.length) return [];
  const evaluator = str(p.evaluatorPseudonym);
  const kind = str(p.kind);
  const metric: Metric = kind === 'TEACHER_EVALUATION' ? 'TEACHER_SCORE' : 'SITE_SCORE';
  const place: Place = {
    schoolId: str(p.schoolId),
    hospitalId: str(p.hospitalId),
    departmentId: str(p.departmentId),
    teacherId: metric === 'TEACHER_SCORE' ? str(p.teacherId) : null,
  };
  const mean = scores.reduce((s, x) => s + x.value, 0) / scores.length;
  const values = [{ item: '', value: mean, evaluator }, ...scores.map((s) => ({ item: s.itemKey, value: s.value, evaluator }))];
  const date = dateOf(str(p.submittedAt) as string);
  const out = fanOut(metric, place, date, str(p.blockId), settings, values);
  // Along the curriculum (ADR 0031): network → the student's program → the placement's module.
  const programId = str(p.programId);
  if (programId) {
    const byModule: Metric = metric === 'TEACHER_SCORE' ? 'TEACHER_SCORE_BY_MODULE' : 'SITE_SCORE_BY_MODULE';
    const scopes = [
      { kind: 'NETWORK' as const, id: NETWORK_ID, parent: null },
      { kind: 'PROGRAM' as const, id: programId, parent: NETWORK_ID },
      { kind: 'MODULE' as const, id: moduleScopeId(programId, str(p.moduleId)), parent: programId },
    ];
    out.push(...fanOutTo(byModule, place.schoolId, scopes, date, str(p.blockId), settings, values));
  }
  return out;
}

/**
 * The scopes of a learner outcome: the network, the student's program and its cohort (entry
 * year), as far as known — and, for an assessment that says which module its placement belongs
 * to (`moduleId` present, null for none), that module of the program (ADR 0043). Cohorts and
 * modules are two partitions of the program, protected together (domain/partitions.ts).
 */
export function learnerScopes(
  programId: string | null,
  cohortYear: number | null,
  moduleId?: string | null,
): { kind: ScopeKind; id: string; parent: string | null }[] {
  const scopes: { kind: ScopeKind; id: string; parent: string | null }[] = [{ kind: 'NETWORK', id: NETWORK_ID, parent: null }];
  if (programId) scopes.push({ kind: 'PROGRAM', id: programId, parent: NETWORK_ID });
  if (programId && cohortYear !== null) scopes.push({ kind: 'COHORT', id: cohortScopeId(programId, cohortYear), parent: programId });
  if (programId && moduleId !== undefined) scopes.push({ kind: 'MODULE', id: moduleScopeId(programId, moduleId), parent: programId });
  return scopes;
}

export { studentPseudonym } from './pseudonyms';

/** The share of its scale a result reaches (0–1, to thousandths); 0 on a degenerate scale. */
export const shareOfScale = (r: { value: number; min: number; max: number }): number =>
  r.max > r.min ? Math.round(((r.value - r.min) / (r.max - r.min)) * 1000) / 1000 : 0;

const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/**
 * A student's assessment (its latest version): each competency result once, as a learner
 * outcome of the network, the student's program and cohort (entry year) — entrustment levels as
 * they are (ENTRUSTMENT_LEVEL), other scales as the share of the scale reached, 0–1
 * (COMPETENCY_SCORE) — for all competencies together (item '') and per competency (item = the
 * competency). The student counts as a distinct contributor through a pseudonym (k distinct
 * students per released figure). Results count in the task's block when it had one, and in
 * the term and year of submission; and in the module of the program the task's placement
 * belongs to, when the event says (ADR 0043: one module at most, or the program's "no module").
 */
export function submissionContributions(events: readonly StoredEvent[], settings: RollupSettings): Contribution[] {
  const latest = bySequence(events).at(-1);
  if (!latest) return [];
  const p = latest.payload;
  const results =
    (p.competencyResults as { competencyId: string; scaleType: string; value: number; min: number; max: number }[] | undefined) ?? [];
  const schoolId = str(p.schoolId);
  const studentId = str(p.studentId);
  if (!results.length || !studentId) return [];
  const student = studentPseudonym(studentId, pseudonymKeyOf(settings));
  const out: Contribution[] = [];
  const date = dateOf(str(p.submittedAt) as string);
  for (const school of schoolId ? [ALL_SCHOOLS, schoolId] : [ALL_SCHOOLS])
    for (const scope of learnerScopes(str(p.programId), int(p.cohortYear), p.moduleId === undefined ? undefined : str(p.moduleId)))
      for (const period of periodsOf(date, str(p.blockId), settings.academicYearStartMonth))
        for (const r of results) {
          const entrustment = r.scaleType === 'ENTRUSTMENT';
          const value = entrustment ? r.value : shareOfScale(r);
          for (const item of ['', r.competencyId])
            out.push({
              key: {
                metric: entrustment ? 'ENTRUSTMENT_LEVEL' : 'COMPETENCY_SCORE',
                school,
                scopeKind: scope.kind,
                scopeId: scope.id,
                periodKind: period.kind,
                periodId: period.id,
                item,
                parent: scope.parent,
              },
              value,
              evaluator: student,
            });
        }
  return out;
}

/** The aggregates quality rolls up, by the producer's aggregate type. */
export const ROLLUP_AGGREGATES: Record<string, (events: readonly StoredEvent[], settings: RollupSettings) => Contribution[]> = {
  AssessmentTask: taskContributions,
  Placement: placementContributions,
  EvaluationSubmission: evaluationContributions,
  Submission: submissionContributions,
  Mentorship: mentorshipContributions,
  DevelopmentGoal: goalContributions,
  AllocationRun: allocationRunContributions,
  SwapRequest: swapContributions,
};

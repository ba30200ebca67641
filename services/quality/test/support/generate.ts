import { createHash } from 'node:crypto';
import {
  AssessmentTaskAssigned,
  AssessmentTaskCancelled,
  AssessmentReminderSent,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskSubmitted,
  AssessmentTaskWithdrawn,
  type EventEnvelope,
  EvaluationSubmitted,
  PlacementCancelled,
  PlacementCompleted,
  PlacementConfirmed,
} from '@medcollab/events';
import { envelope } from './events';

/**
 * A deterministic generator of producers' event histories (tests and bench): tasks with their
 * lifecycle, placements, and evaluations, over a small network. `rand` is any [0,1) source.
 */
export interface Network {
  schools: string[];
  hospitals: string[];
  departments: { id: string; hospitalId: string }[];
  teachers: { id: string; departmentId: string }[];
  blocks: { id: string; startsOn: string }[];
}

const id = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
export const uuidFor = id;

/** The module of a school's program a department's placements belong to: one of two, or none. */
const moduleOf = (prefix: string, school: string, departmentId: string): string | null => {
  const pick = parseInt(createHash('sha256').update(`${prefix}module.${departmentId}`).digest('hex').slice(0, 2), 16) % 3;
  return pick === 2 ? null : id(`${prefix}module.${school}.${pick}`);
};

export function makeNetwork(
  prefix: string,
  size: { schools: number; hospitals: number; departmentsPer: number; teachersPer: number; blocks: number },
): Network {
  const schools = Array.from({ length: size.schools }, (_, i) => id(`${prefix}school${i}`));
  const hospitals = Array.from({ length: size.hospitals }, (_, i) => id(`${prefix}hospital${i}`));
  const departments = hospitals.flatMap((h, i) =>
    Array.from({ length: size.departmentsPer }, (_, j) => ({ id: id(`${prefix}dept${i}.${j}`), hospitalId: h })),
  );
  const teachers = departments.flatMap((d, i) =>
    Array.from({ length: size.teachersPer }, (_, j) => ({ id: id(`${prefix}teacher${i}.${j}`), departmentId: d.id })),
  );
  const blocks = Array.from({ length: size.blocks }, (_, i) => {
    const start = new Date(Date.UTC(2026, 8, 7) + i * 28 * 86_400_000);
    return { id: id(`${prefix}block${i}`), startsOn: start.toISOString().slice(0, 10) };
  });
  return { schools, hospitals, departments, teachers, blocks };
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/** A department's specialty, from its id (not the random stream): two specialties across the hospitals (ADR 0043). */
export const specialtyOf = (departmentId: string): string =>
  departmentId.charCodeAt(departmentId.length - 1) % 2 ? 'CARDIOLOGY' : 'SURGERY';

/**
 * The events of one placement and its tasks and evaluations, in producer order (each aggregate's
 * sequence from 1). With `settlements`, some unanswered tasks are withdrawn, cancelled or left
 * open instead of expiring (an extra draw, so histories without it stay as they were).
 */
export function placementHistory(
  net: Network,
  n: number,
  rand: () => number,
  prefix = '',
  /** `students`: one pool of that many students, whatever the prefix (default: 1,000,000 per prefix, nearly one each). */
  opts: { settlements?: boolean; students?: number } = {},
): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const teacher = pick(rand, net.teachers);
  const dept = net.departments.find((d) => d.id === teacher.departmentId)!;
  const block = pick(rand, net.blocks);
  const school = pick(rand, net.schools);
  const student = id(`${opts.students ? '' : prefix}student${Math.floor(rand() * (opts.students ?? 1_000_000))}`);
  const placementId = id(`${prefix}placement${n}`);
  const endsOn = new Date(new Date(block.startsOn).getTime() + 27 * 86_400_000).toISOString().slice(0, 10);
  const placement = {
    placementId,
    studentId: student,
    schoolId: school,
    hospitalId: dept.hospitalId,
    departmentId: dept.id,
    blockId: block.id,
    supervisorId: teacher.id,
    // The department's specialty (ADR 0047), but not in one placement of five: older events name none.
    ...(n % 5 === 4 ? {} : { specialty: specialtyOf(dept.id) }),
    startsOn: block.startsOn,
    endsOn,
    at: `${block.startsOn}T08:00:00.000Z`,
    accessUntil: null,
  };
  const eid = (k: string) => id(`${prefix}event${n}.${k}`);
  out.push(envelope(PlacementConfirmed, placementId, placement, 1, eid('pc')));
  if (rand() < 0.1) {
    out.push(envelope(PlacementCancelled, placementId, { ...placement, reason: 'changed plans' }, 2, eid('px')));
    return out;
  }
  out.push(envelope(PlacementCompleted, placementId, placement, 2, eid('pd')));
  const assignedAt = `${endsOn}T12:00:00.000Z`;
  const dueAt = new Date(new Date(assignedAt).getTime() + 14 * 86_400_000).toISOString();
  for (const role of ['SUPERVISOR_ASSESSMENT', 'SITE_EVALUATION', 'TEACHER_EVALUATION'] as const) {
    const taskId = id(`${prefix}task${n}.${role}`);
    const facts = {
      taskId,
      assessorId: role === 'SUPERVISOR_ASSESSMENT' ? teacher.id : student,
      role,
      instrumentId: id(`instrument.${role}`),
      instrumentKind: role === 'SUPERVISOR_ASSESSMENT' ? ('MINI_CEX' as const) : role,
      instrumentTitle: role,
      purpose: 'FORMATIVE' as const,
      studentId: student,
      schoolId: school,
      subjectStaffId: role === 'TEACHER_EVALUATION' ? teacher.id : null,
      departmentId: dept.id,
      placementId,
      hospitalId: dept.hospitalId,
      blockId: block.id,
      dueAt,
    };
    out.push(envelope(AssessmentTaskAssigned, taskId, { ...facts, assignedAt }, 1, eid(`${role}.a`)));
    // Notifications' reminders and escalations of the task: 0–2 reminders, an escalation after the
    // second — from a hash, so the random stream (and every other figure) is unchanged.
    const nudges = parseInt(createHash('sha256').update(taskId).digest('hex').slice(0, 2), 16) % 3;
    for (let k = 0; k < nudges + (nudges === 2 ? 1 : 0); k++) {
      const stepId = id(`${prefix}step${n}.${role}.${k}`);
      const kind = k < 2 ? ('REMINDER' as const) : ('ESCALATION' as const);
      out.push(
        envelope(
          AssessmentReminderSent,
          stepId,
          { stepId, taskId, kind, stepKey: kind === 'REMINDER' ? 'AT_DUE' : 'ESCALATION', sentAt: dueAt },
          1,
          eid(`${role}.n${k}`),
        ),
      );
    }
    const r = rand();
    if (r < 0.75) {
      const at = new Date(new Date(assignedAt).getTime() + Math.floor(rand() * 20) * 86_400_000 + 3_600_000).toISOString();
      out.push(envelope(AssessmentTaskSubmitted, taskId, { ...facts, submittedAt: at }, 2, eid(`${role}.s`)));
      if (role !== 'SUPERVISOR_ASSESSMENT') {
        const submissionId = id(`${prefix}submission${n}.${role}`);
        const items = role === 'SITE_EVALUATION' ? ['orientation', 'supervision', 'climate'] : ['explains', 'feedback', 'respect'];
        out.push(
          envelope(
            EvaluationSubmitted,
            submissionId,
            {
              submissionId,
              kind: role,
              evaluatorPseudonym: createHash('sha256').update(`pseudonym:${student}`).digest('hex'),
              schoolId: school,
              hospitalId: dept.hospitalId,
              departmentId: dept.id,
              teacherId: role === 'TEACHER_EVALUATION' ? teacher.id : null,
              blockId: block.id,
              // The student's program (one per school) and the placement's module: one of two by
              // department, or none (ADR 0031) — from hashes, so the random stream is unchanged.
              programId: id(`${prefix}program.${school}`),
              moduleId: moduleOf(prefix, school, dept.id),
              academicYear: '2026-2027',
              submittedAt: at,
              itemScores: items.map((itemKey) => ({ itemKey, label: itemKey, value: 1 + Math.floor(rand() * 5), min: 1, max: 5 })),
            },
            1,
            eid(`${role}.e`),
          ),
        );
      }
    } else if (r < 0.85) {
      out.push(envelope(AssessmentTaskDeclined, taskId, { ...facts, declinedAt: assignedAt, reason: 'away' }, 2, eid(`${role}.d`)));
    } else {
      // Without settlements every unanswered task expires; with them, some are withdrawn, cancelled or left open.
      const settle = opts.settlements ? rand() : 0.5;
      if (settle >= 0.75)
        out.push(
          envelope(AssessmentTaskWithdrawn, taskId, { ...facts, withdrawnAt: assignedAt, reason: 'DISPLACED' }, 2, eid(`${role}.w`)),
        );
      else if (settle >= 0.55)
        out.push(envelope(AssessmentTaskCancelled, taskId, { ...facts, cancelledAt: assignedAt, reason: 'gone' }, 2, eid(`${role}.c`)));
      else if (settle >= 0.2) out.push(envelope(AssessmentTaskExpired, taskId, { ...facts, expiredAt: dueAt }, 2, eid(`${role}.x`)));
    }
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so generated histories are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

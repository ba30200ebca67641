import { randomUUID } from 'node:crypto';
import { type EntityManager, In } from 'typeorm';
import { compressForDemo } from '../domain/demo-ladder';
import { planTask, type Recipient, type Recipients } from '../domain/plan';
import { demoSecondsPerDay } from '../settings';
import { ReminderTask } from '../entities';
import { policiesOf } from './policies';

const FALLBACK_ZONE = 'UTC';

let demoSetting: { value: number | null } | undefined;
/** The demo switch from the environment, read once (src/domain/demo-ladder.ts). */
export const demoSettingFromEnv = (): number | null => (demoSetting ??= { value: demoSecondsPerDay() }).value;

/** What planning reads of a task (a ReminderTask, or the row an upsert returned). */
export type PlanningTask = Pick<ReminderTask, 'taskId' | 'status' | 'schoolId' | 'departmentId' | 'assessorId' | 'dueAt'>;

interface PersonRow {
  id: string;
  kind: string;
  roles: string[];
  institution_id: string | null;
  department_id: string | null;
  tz: string;
}

/**
 * Who the ladders of many tasks reach, in one statement however many tasks (two when an assessor is unknown): each task's
 * assessor; its school's coordinators and its hospital department's coordinators; its school's
 * quality office; each with their institution's time zone (the school's when the assessor's
 * registration has not arrived yet).
 */
export async function recipientsOfTasks(em: EntityManager, tasks: PlanningTask[]): Promise<Map<string, Recipients>> {
  const schools = [...new Set(tasks.map((t) => t.schoolId))];
  const departments = [...new Set(tasks.map((t) => t.departmentId).filter((d): d is string => d !== null))];
  const rows = (await em.query(
    `SELECT p.id, p.kind, p.roles, p.institution_id, p.department_id, COALESCE(i.timezone, $4) AS tz
       FROM known_person p LEFT JOIN known_institution i ON i.id = p.institution_id
      WHERE p.id = ANY($1::uuid[])
         OR (p.kind = 'STAFF' AND (p.institution_id = ANY($2::uuid[]) OR p.department_id = ANY($3::uuid[]))
             AND (p.roles && ARRAY['COORDINATOR', 'QUALITY_OFFICER']))
      ORDER BY p.id`,
    [[...new Set(tasks.map((t) => t.assessorId))], schools, departments, FALLBACK_ZONE],
  )) as PersonRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  // The school's zone stands in for an assessor whose registration has not arrived: asked only then.
  const schoolsOfStrangers = [...new Set(tasks.filter((t) => !byId.has(t.assessorId)).map((t) => t.schoolId))];
  const zones = new Map(
    schoolsOfStrangers.length
      ? (
          (await em.query(`SELECT id, timezone FROM known_institution WHERE id = ANY($1::uuid[])`, [schoolsOfStrangers])) as {
            id: string;
            timezone: string;
          }[]
        ).map((r) => [r.id, r.timezone])
      : [],
  );
  const as = (r: PersonRow): Recipient => ({ personId: r.id, timeZone: r.tz });
  const staffWith = (r: PersonRow, role: string) => r.kind === 'STAFF' && r.roles.includes(role);
  // Grouped once (a batch's rows hold every assessor too): a task's coordinators are its school's and its department's, in id order.
  const group = (role: string, key: (r: PersonRow) => string | null) => {
    const groups = new Map<string, PersonRow[]>();
    for (const r of rows) {
      const k = key(r);
      if (k !== null && staffWith(r, role)) groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return groups;
  };
  const coordinatorsOfSchool = group('COORDINATOR', (r) => r.institution_id);
  const coordinatorsOfDepartment = group('COORDINATOR', (r) => r.department_id);
  const qualityOfSchool = group('QUALITY_OFFICER', (r) => r.institution_id);
  const coordinatorsOf = (t: PlanningTask): PersonRow[] => {
    const school = coordinatorsOfSchool.get(t.schoolId) ?? [];
    const department = (t.departmentId !== null && coordinatorsOfDepartment.get(t.departmentId)) || [];
    if (!department.length) return school;
    return [...new Map([...school, ...department].map((r) => [r.id, r])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  };
  return new Map(
    tasks.map((t) => {
      const assessor = byId.get(t.assessorId);
      return [
        t.taskId,
        {
          assessor: assessor ? as(assessor) : { personId: t.assessorId, timeZone: zones.get(t.schoolId) ?? FALLBACK_ZONE },
          coordinators: coordinatorsOf(t).map(as),
          qualityOffice: (qualityOfSchool.get(t.schoolId) ?? []).map(as),
        },
      ];
    }),
  );
}

/** Who one task's ladder reaches (recipientsOfTasks for one task). */
export async function recipientsOf(em: EntityManager, task: ReminderTask): Promise<Recipients> {
  return (await recipientsOfTasks(em, [task])).get(task.taskId)!;
}

/**
 * Cancels what is still planned for a task (it is about to be re-planned), and with `settled`
 * also the steps waiting for a digest (the task was settled or withdrawn: nobody is told of it).
 */
export async function cancelPlanned(em: EntityManager, taskId: string, reason: string, settled = false): Promise<number> {
  const result = (await em.query(
    `UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE task_id = $1 AND status = ANY($3::text[])`,
    [taskId, reason, settled ? ['PLANNED', 'DIGEST'] : ['PLANNED']],
  )) as [unknown, number];
  return result[1];
}

/**
 * (Re-)plans an open task from `from` on: whatever was still planned is cancelled and the rungs
 * still ahead are written anew. Fired steps stay as they were (the history `reminders` shows).
 */
export async function replan(
  em: EntityManager,
  taskId: string,
  from: Date,
  reason: string,
  demoSecondsPerDay: number | null = demoSettingFromEnv(),
): Promise<void> {
  await replanMany(em, [{ taskId, from }], reason, demoSecondsPerDay);
}

/**
 * `replan` for many tasks at once, in a constant number of statements (tasks, cancel, fired
 * steps, policies, recipients, one multi-row insert): how a school's new policy and a batch of
 * assigned tasks are planned. Tasks that are not open are left alone; each is planned from its own `from`.
 */
export async function replanMany(
  em: EntityManager,
  items: { taskId: string; from: Date }[],
  reason: string,
  demoSecondsPerDay: number | null = demoSettingFromEnv(),
): Promise<void> {
  if (!items.length) return;
  const ids = [...new Set(items.map((i) => i.taskId))];
  const tasks = await em.getRepository(ReminderTask).findBy({ taskId: In(ids) });
  await planTasks(em, tasks, new Map(items.map((i) => [i.taskId, i.from])), reason, demoSecondsPerDay);
}

/**
 * The planning of replanMany for tasks already read: the open ones are planned, each from its own
 * `from`. `fresh` tasks were inserted in this transaction, so they have no steps to cancel or keep
 * (a batch of newly assigned tasks skips those two statements).
 */
export async function planTasks(
  em: EntityManager,
  allTasks: PlanningTask[],
  fromOf: Map<string, Date>,
  reason: string,
  demoSecondsPerDay: number | null = demoSettingFromEnv(),
  fresh: ReadonlySet<string> = new Set(),
): Promise<void> {
  const tasks = allTasks.filter((t) => t.status === 'OPEN');
  if (!tasks.length) return;
  const known = tasks.map((t) => t.taskId).filter((id) => !fresh.has(id));
  if (known.length)
    await em.query(
      `UPDATE reminder_step SET status = 'CANCELLED', cancel_reason = $2 WHERE task_id = ANY($1::uuid[]) AND status = 'PLANNED'`,
      [known, reason],
    );
  const fired = known.length
    ? ((await em.query(`SELECT task_id, step_key, recipient_id FROM reminder_step WHERE task_id = ANY($1::uuid[]) AND status = 'FIRED'`, [
        known,
      ])) as { task_id: string; step_key: string; recipient_id: string }[])
    : [];
  const done = new Set(fired.map((f) => `${f.task_id}|${f.step_key}|${f.recipient_id}`));
  const policies = await policiesOf(em, [...new Set(tasks.map((t) => t.schoolId))]);
  const recipients = await recipientsOfTasks(em, tasks);
  const rows = tasks.flatMap((task) => {
    const from = fromOf.get(task.taskId)!;
    const policy = policies.get(task.schoolId)!;
    const people = recipients.get(task.taskId)!;
    const planned = demoSecondsPerDay
      ? (() => {
          const demo = compressForDemo(task, policy, from, demoSecondsPerDay);
          return planTask(demo.task, demo.policy, people, from, { weeklySummary: false });
        })()
      : planTask(task, policy, people, from);
    return planned.filter((s) => !done.has(`${task.taskId}|${s.stepKey}|${s.recipientId}`)).map((s) => ({ taskId: task.taskId, ...s }));
  });
  if (!rows.length) return;
  await em.query(
    `INSERT INTO reminder_step (id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, status, created_at)
     SELECT id, task_id, step_key, audience, recipient_id, nominal_at, fire_at, 'PLANNED', $1
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[], $8::timestamptz[])
            AS s(id, task_id, step_key, audience, recipient_id, nominal_at, fire_at)`,
    [
      new Date(),
      rows.map(() => randomUUID()),
      rows.map((s) => s.taskId),
      rows.map((s) => s.stepKey),
      rows.map((s) => s.audience),
      rows.map((s) => s.recipientId),
      rows.map((s) => s.nominalAt),
      rows.map((s) => s.fireAt),
    ],
  );
}

/** A changed policy re-plans every open task of the school from now (rungs already fired stay fired). */
export async function replanSchool(em: EntityManager, schoolId: string, from: Date): Promise<number> {
  const tasks = (await em.query(`SELECT task_id FROM reminder_task WHERE school_id = $1 AND status = 'OPEN' ORDER BY task_id`, [
    schoolId,
  ])) as { task_id: string }[];
  await replanMany(
    em,
    tasks.map((t) => ({ taskId: t.task_id, from })),
    'POLICY_CHANGED',
  );
  return tasks.length;
}

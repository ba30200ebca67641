import { NotFoundError } from '@medcollab/kit';
import { PlacementSupervisorAssigned } from '@medcollab/events';
import { type EntityManager, In } from 'typeorm';
import { refusal, type RefusalReason } from '../domain/refusals';
import { maySupervise, type SupervisorProblem, supervisorProblem } from '../domain/supervisor-rules';
import { type AssignSupervisorsInput } from '../domain/validation';
import { KnownStaff, Placement, RotationBlock } from '../entities';
import { outbox } from '../outbox';
import { payloadOf } from './placement-audit';
import { type CommandOptions } from './placements';

/** Who, where and when a placement is, in words (refusals name people, never ids). */
export interface PlacementNames {
  student: string;
  department: string;
  block: string;
}

/** Names of the placements' students, departments and blocks, in one statement. */
export async function placementNames(em: EntityManager, ids: readonly string[]): Promise<Map<string, PlacementNames>> {
  const rows = (await em.query(
    `SELECT p.id, nullif(concat_ws(' ', s.given_name, s.family_name), '') AS student, d.name AS department, b.name AS block
       FROM placement p JOIN rotation_block b ON b.id = p.block_id
       LEFT JOIN known_student s ON s.id = p.student_id LEFT JOIN known_department d ON d.id = p.department_id
      WHERE p.id = ANY($1::uuid[])`,
    [ids],
  )) as { id: string; student: string | null; department: string | null; block: string }[];
  return new Map(
    rows.map((r) => [
      r.id,
      { student: r.student ?? 'a student whose name is not known yet', department: r.department ?? 'the department', block: r.block },
    ]),
  );
}

const WHY: Record<SupervisorProblem | 'STATUS', { reason: RefusalReason; why: (who: string, status: string) => string }> = {
  UNKNOWN: { reason: 'SUPERVISOR_NOT_IN_DEPARTMENT', why: () => 'the supervisor is not a staff member rotations knows' },
  NOT_AN_INSTRUCTOR_THERE: {
    reason: 'SUPERVISOR_NOT_IN_DEPARTMENT',
    why: (who) => `${who} is not a clinical instructor of the department`,
  },
  INACTIVE: { reason: 'SUPERVISOR_INACTIVE', why: (who) => `${who} is no longer active` },
  STATUS: {
    reason: 'INVALID_TRANSITION',
    why: (_, status) => `a supervisor is named while the placement is confirmed or running, and it is ${status}`,
  },
};

const stepDetails = (supervisorId: string | null, previousSupervisorId: string | null, requestId?: string): Record<string, unknown> => ({
  supervisorId,
  previousSupervisorId,
  ...(requestId ? { requestId } : {}),
});

const staffName = (s: KnownStaff | undefined): string => (s && [s.givenName, s.familyName].filter(Boolean).join(' ')) || 'the person named';

/**
 * Names the supervisors of many placements at once, all or nothing (issue 14). The placements
 * are locked (in id order, so two bulk assignments never deadlock); `authorize` sees each
 * before anything is judged, so a caller learns nothing of placements that are not theirs.
 * Every assignment is then judged; if any is refused, nothing changes and one error lists
 * every refusal, each naming the student, department and block. A placement that already has
 * that supervisor is left as it is. Each change is a step of the placement's audit trail and,
 * for a confirmed or running placement, a PlacementSupervisorAssigned event (the whole
 * placement), in the same transaction.
 */
export async function assignSupervisors(
  em: EntityManager,
  input: AssignSupervisorsInput,
  opts: CommandOptions & { authorize: (p: Placement) => Promise<void>; audit: (p: Placement) => void },
): Promise<Placement[]> {
  const ids = input.assignments.map((a) => a.placementId);
  const locked = await em
    .getRepository(Placement)
    .createQueryBuilder('p')
    .setLock('pessimistic_write')
    .where('p.id = ANY(:ids)', { ids })
    .orderBy('p.id')
    .getMany();
  const byId = new Map(locked.map((p) => [p.id, p]));
  const missing = ids.find((id) => !byId.has(id));
  if (missing) throw new NotFoundError('Placement', missing);
  for (const p of locked) await opts.authorize(p);

  const staff = new Map(
    (await em.getRepository(KnownStaff).findBy(input.assignments.map((a) => ({ id: a.supervisorId })))).map((s) => [s.id, s]),
  );
  const names = await placementNames(em, ids);
  const refusals = input.assignments.flatMap((a) => {
    const p = byId.get(a.placementId)!;
    const s = staff.get(a.supervisorId);
    const problem = maySupervise(p.status) ? supervisorProblem(s ?? null, p) : 'STATUS';
    if (!problem) return [];
    const n = names.get(p.id)!;
    const { reason, why } = WHY[problem];
    return [
      {
        placementId: p.id,
        supervisorId: a.supervisorId,
        reason,
        studentName: n.student,
        departmentName: n.department,
        blockName: n.block,
        message: `${n.student} at ${n.department} in ${n.block}: ${why(staffName(s), p.status)}`,
      },
    ];
  });
  if (refusals.length) {
    const [first] = refusals;
    throw refusal(first!.reason, `No supervisor was assigned. ${refusals.map((r) => r.message).join('; ')}`, {
      field: 'assignments',
      refusals,
    });
  }

  const changed = input.assignments.flatMap((a) => {
    const p = byId.get(a.placementId)!;
    if (p.supervisorId === a.supervisorId) return [];
    const previous = p.supervisorId;
    p.supervisorId = a.supervisorId;
    p.updatedAt = opts.now;
    return [{ p, previous }];
  });
  if (!changed.length) return ids.map((id) => byId.get(id)!);
  await em.query(
    `UPDATE placement p SET supervisor_id = v.supervisor_id, updated_at = $3
       FROM unnest($1::uuid[], $2::uuid[]) AS v(id, supervisor_id) WHERE p.id = v.id`,
    [changed.map((c) => c.p.id), changed.map((c) => c.p.supervisorId), opts.now],
  );
  // One audit line per change, in one statement (recordStep's row, for many placements).
  await em.query(
    `INSERT INTO placement_event (placement_id, kind, from_status, to_status, actor_id, details, at)
     SELECT x.placement_id, 'SUPERVISOR_ASSIGNED', x.status, x.status, $2, x.details, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(placement_id uuid, status text, details jsonb)`,
    [
      JSON.stringify(
        changed.map(({ p, previous }) => ({
          placement_id: p.id,
          status: p.status,
          details: stepDetails(p.supervisorId, previous, opts.meta.requestId),
        })),
      ),
      opts.meta.actorId,
      opts.now,
    ],
  );
  for (const { p } of changed) opts.audit(p);
  const blockNames = new Map(
    (await em.getRepository(RotationBlock).findBy({ id: In([...new Set(changed.map(({ p }) => p.blockId))]) })).map((b) => [b.id, b.name]),
  );
  await outbox.appendMany(
    em,
    PlacementSupervisorAssigned,
    changed.map(({ p, previous }) => ({
      aggregateId: p.id,
      payload: {
        ...payloadOf(p, opts.now, blockNames.get(p.blockId)),
        supervisorId: p.supervisorId!,
        status: p.status as 'CONFIRMED' | 'IN_PROGRESS',
        previousSupervisorId: previous,
      },
    })),
    opts.meta,
  );
  return ids.map((id) => byId.get(id)!);
}

import { bulkInsert, loadKnownNetworkFacts, type ScaleWorld } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';
import { accessUntilAfter } from '../domain/placement-lifecycle';
import { rotationsSettings } from '../settings';

/**
 * Writes rotations' part of a generated world in bulk, in one transaction, into an empty
 * database: what it knows of the network and curriculum (students, staff, departments,
 * agreements with their departments, enrollments), blocks, site capacities, placements and
 * their audit trail. The world's rules are checked against rotations' own before writing:
 * hospital access after completion (accessUntilAfter with this service's grace period), one
 * live placement per student and block, no department over its seats, a placement only under
 * an active agreement covering its dates and department, its supervisor in its department.
 */
export async function loadScaleRotations(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  assertRotationsRules(world);
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    Object.assign(counts, await loadKnownNetworkFacts(em, world, ['known_student', 'known_staff', 'known_agreement']));
    const hospitalName = new Map(world.institutions.map((i) => [i.id, i.name]));
    counts.known_department = await bulkInsert(
      em,
      'known_department',
      [
        ['id', 'uuid'],
        ['institution_id', 'uuid'],
        ['specialty', 'text'],
        ['name', 'text'],
        ['hospital_name', 'text'],
      ],
      world.departments.map((d) => [d.id, d.institutionId, d.specialty, d.name, hospitalName.get(d.institutionId)]),
    );
    counts.known_enrollment = await bulkInsert(
      em,
      'known_enrollment',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['program_id', 'uuid'],
        ['school_id', 'uuid'],
        ['status', 'text'],
      ],
      world.enrollments.map((e) => [e.id, e.studentId, e.programId, e.schoolId, 'ACTIVE']),
    );
    counts.rotation_block = await bulkInsert(
      em,
      'rotation_block',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['academic_year', 'text'],
        ['name', 'text'],
        ['starts_on', 'date'],
        ['ends_on', 'date'],
        ['created_at', 'timestamptz'],
      ],
      world.blocks.map((b) => [b.id, b.schoolId, b.academicYear, b.name, b.startsOn, b.endsOn, '2025-06-01T09:00:00.000Z']),
    );
    counts.site_capacity = await bulkInsert(
      em,
      'site_capacity',
      [
        ['id', 'uuid'],
        ['department_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['block_id', 'uuid'],
        ['school_id', 'uuid'],
        ['seats', 'int'],
        ['updated_by', 'uuid'],
        ['updated_at', 'timestamptz'],
      ],
      world.capacities.map((c) => [
        c.id,
        c.departmentId,
        c.hospitalId,
        c.blockId,
        c.schoolId,
        c.seats,
        c.updatedBy,
        '2025-06-01T09:00:00.000Z',
      ]),
    );
    counts.placement = await bulkInsert(
      em,
      'placement',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['department_id', 'uuid'],
        ['block_id', 'uuid'],
        ['supervisor_id', 'uuid'],
        ['status', 'text'],
        ['starts_on', 'date'],
        ['ends_on', 'date'],
        ['access_until', 'timestamptz'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      world.placements.map((p) => [
        p.id,
        p.studentId,
        p.schoolId,
        p.hospitalId,
        p.departmentId,
        p.blockId,
        p.supervisorId,
        p.status,
        p.startsOn,
        p.endsOn,
        p.accessUntil,
        p.confirmedAt,
        p.changedAt,
      ]),
    );
    // The audit trail: confirmed, then started and completed where the placement got there.
    const coordinatorOf = new Map(world.capacities.map((c) => [c.schoolId, c.updatedBy]));
    const steps: unknown[][] = [];
    for (const p of world.placements) {
      const actor = coordinatorOf.get(p.schoolId) ?? 'system';
      steps.push([p.id, 'CONFIRMED', null, 'CONFIRMED', actor, p.confirmedAt]);
      if (p.status === 'CONFIRMED') continue;
      steps.push([p.id, 'STARTED', 'CONFIRMED', 'IN_PROGRESS', 'system', `${p.startsOn}T07:00:00.000Z`]);
      if (p.status === 'COMPLETED') steps.push([p.id, 'COMPLETED', 'IN_PROGRESS', 'COMPLETED', 'system', p.changedAt]);
    }
    counts.placement_event = await bulkInsert(
      em,
      'placement_event',
      [
        ['placement_id', 'uuid'],
        ['kind', 'text'],
        ['from_status', 'text'],
        ['to_status', 'text'],
        ['actor_id', 'text'],
        ['at', 'timestamptz'],
      ],
      steps,
    );
    await em.query('ANALYZE');
    return counts;
  });
}

/** Throws on the first placement of the world that rotations' rules would refuse. */
export function assertRotationsRules(world: ScaleWorld): void {
  const grace = rotationsSettings().grantDaysAfterCompletion;
  const agreements = new Map<string, ScaleWorld['agreements']>();
  for (const a of world.agreements)
    agreements.set(`${a.schoolId}/${a.hospitalId}`, [...(agreements.get(`${a.schoolId}/${a.hospitalId}`) ?? []), a]);
  const seats = new Map(world.capacities.map((c) => [`${c.departmentId}/${c.blockId}/${c.schoolId}`, c.seats]));
  const taken = new Map<string, number>();
  const studentBlocks = new Set<string>();
  const staffDepartment = new Map(world.staff.map((s) => [s.id, s.departmentId]));
  for (const p of world.placements) {
    const expected = accessUntilAfter(p.status, new Date(p.changedAt), grace);
    if ((expected ? expected.toISOString() : null) !== p.accessUntil)
      throw new Error(`placement ${p.id}: access until ${p.accessUntil}, rotations says ${expected?.toISOString()}`);
    const key = `${p.studentId}/${p.blockId}`;
    if (studentBlocks.has(key)) throw new Error(`placement ${p.id}: the student already has a placement in block ${p.blockId}`);
    studentBlocks.add(key);
    const seat = `${p.departmentId}/${p.blockId}/${p.schoolId}`;
    taken.set(seat, (taken.get(seat) ?? 0) + 1);
    if (taken.get(seat)! > (seats.get(seat) ?? 0))
      throw new Error(`placement ${p.id}: department ${p.departmentId} is over its seats in block ${p.blockId}`);
    const covering = (agreements.get(`${p.schoolId}/${p.hospitalId}`) ?? []).some(
      (a) => a.startsOn <= p.startsOn && a.endsOn >= p.endsOn && a.departmentIds.includes(p.departmentId),
    );
    if (!covering) throw new Error(`placement ${p.id}: no agreement covers its dates and department`);
    if (staffDepartment.get(p.supervisorId) !== p.departmentId)
      throw new Error(`placement ${p.id}: the supervisor is not in the department`);
  }
}

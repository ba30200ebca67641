import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { coveringAgreement } from '../domain/agreement-rules';
import { assertSeatsKeepCommitted, type SeatUse } from '../domain/capacity-rules';
import { refusal } from '../domain/refusals';
import { type SetSiteCapacityInput } from '../domain/validation';
import { RotationBlock, SiteCapacity } from '../entities';
import { agreementsForDepartment, findKnownDepartment } from './projections';

/**
 * The seat row of (department, block, school) with its current use, locked FOR UPDATE until
 * the transaction ends: every change that takes, frees or resizes seats there goes through
 * this lock, so two of them can never both see the last free seat.
 */
export async function lockSeats(
  em: EntityManager,
  key: { departmentId: string; blockId: string; schoolId: string },
): Promise<(SeatUse & { id: string }) | null> {
  const [row] = (await em.query(
    `SELECT id, seats FROM site_capacity WHERE department_id = $1 AND block_id = $2 AND school_id = $3 FOR UPDATE`,
    [key.departmentId, key.blockId, key.schoolId],
  )) as { id: string; seats: number }[];
  if (!row) return null;
  const [use] = (await em.query(
    `SELECT count(*) FILTER (WHERE status <> 'CANCELLED')::int AS held,
            count(*) FILTER (WHERE status IN ('CONFIRMED', 'IN_PROGRESS', 'COMPLETED'))::int AS committed
       FROM placement WHERE department_id = $1 AND block_id = $2 AND school_id = $3`,
    [key.departmentId, key.blockId, key.schoolId],
  )) as { held: number; committed: number }[];
  return { id: row.id, seats: row.seats, held: use?.held ?? 0, committed: use?.committed ?? 0 };
}

/** The hospital a department belongs to, from the projections; a department no agreement names cannot host. */
export async function hospitalOfDepartment(em: EntityManager, departmentId: string): Promise<string> {
  const department = await findKnownDepartment(em, departmentId);
  if (!department) throw refusal('NO_AGREEMENT', 'No agreement names this department', { departmentId });
  return department.institutionId;
}

/**
 * Sets the seats a hospital department offers a school in a block. Valid only under an
 * ACTIVE agreement of that school covering the department on every day of the block; never
 * below the placements already committed there.
 */
export async function setSiteCapacity(
  em: EntityManager,
  input: SetSiteCapacityInput,
  actorId: string,
  opts: { id?: string } = {},
): Promise<SiteCapacity> {
  const block = await em.getRepository(RotationBlock).findOneBy({ id: input.blockId });
  if (!block) throw new NotFoundError('Rotation block', input.blockId);
  if (block.schoolId !== input.schoolId) {
    throw refusal('BLOCK_NOT_IN_CALENDAR', "The block is not in this school's calendar", { blockId: block.id, schoolId: input.schoolId });
  }
  const hospitalId = await hospitalOfDepartment(em, input.departmentId);
  coveringAgreement(await agreementsForDepartment(em, input.schoolId, input.departmentId), {
    ...input,
    startsOn: block.startsOn,
    endsOn: block.endsOn,
  });

  // A first offer has no placements behind it; a concurrent first offer falls through to the locked update.
  const [inserted] = (await em.query(
    `INSERT INTO site_capacity (id, department_id, hospital_id, block_id, school_id, seats, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (department_id, block_id, school_id) DO NOTHING RETURNING id`,
    [opts.id ?? randomUUID(), input.departmentId, hospitalId, input.blockId, input.schoolId, input.seats, actorId],
  )) as { id: string }[];
  if (!inserted) {
    const use = (await lockSeats(em, input)) as SeatUse & { id: string };
    assertSeatsKeepCommitted(input.seats, use.committed);
    await em.query(`UPDATE site_capacity SET seats = $2, updated_by = $3, updated_at = now() WHERE id = $1`, [
      use.id,
      input.seats,
      actorId,
    ]);
  }
  return em
    .getRepository(SiteCapacity)
    .findOneByOrFail({ departmentId: input.departmentId, blockId: input.blockId, schoolId: input.schoolId });
}

import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { assertNoBlockOverlap } from '../domain/block-rules';
import { type CreateRotationBlockInput } from '../domain/validation';
import { RotationBlock } from '../entities';

/** Options the seed uses to give records fixed ids. */
export interface CreateOptions {
  id?: string;
}

/**
 * Adds a block to a school's calendar unless it shares a day with another block of that
 * school. The check runs under a lock on the school's calendar, so two blocks created at the
 * same moment cannot both pass it.
 */
export async function createRotationBlock(
  em: EntityManager,
  input: CreateRotationBlockInput,
  opts: CreateOptions = {},
): Promise<RotationBlock> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('rotations.school-calendar'), hashtext($1))`, [input.schoolId]);
  const existing = await em.getRepository(RotationBlock).findBy({ schoolId: input.schoolId });
  assertNoBlockOverlap(input, existing);
  const block = em.getRepository(RotationBlock).create({ id: opts.id ?? randomUUID(), ...input });
  return em.getRepository(RotationBlock).save(block);
}

/** A school's blocks of one academic year, in calendar order. */
export function listRotationBlocks(ds: DataSource, schoolId: string, academicYear: string): Promise<RotationBlock[]> {
  return ds.getRepository(RotationBlock).find({ where: { schoolId, academicYear }, order: { startsOn: 'ASC', id: 'ASC' } });
}

import { type AllocationInput, checkAssignments } from '@medcollab/allocation';
import { ConflictError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type VariationRow } from './runs';

/**
 * Re-checks a stored variation against the run's own frozen snapshot with the engine's
 * independent validator (seats, one place per block, requirements, pins, bars, prerequisites,
 * pairs) before anything is published: a variation that breaks a rule of its own inputs (an
 * engine bug, or a row changed by hand) never becomes placements. Refuses with
 * CONFLICT/INVALID_ALLOCATION listing what is wrong, in the snapshot's names.
 */
export async function assertVariationValid(em: EntityManager, runId: string, variation: VariationRow): Promise<AllocationInput> {
  const [row] = (await em.query(`SELECT input FROM allocation_run WHERE id = $1`, [runId])) as { input: AllocationInput }[];
  const unplaced = variation.reasons
    .filter((r) => r.kind === 'UNPLACED')
    .flatMap((r) => ((r as { studentIds?: string[] }).studentIds ?? []).map((studentId) => ({ studentId, reason: r.message })));
  const problems = checkAssignments(row!.input, variation.assignments, unplaced);
  if (problems.length) {
    throw new ConflictError(
      `The ${variation.mechanism} allocation breaks its own rules and cannot be published: ${problems.slice(0, 3).join('; ')}${
        problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''
      }`,
      { reason: 'INVALID_ALLOCATION', problems },
    );
  }
  return row!.input;
}

/** How refusals name students, blocks and departments: the snapshot's names, ids only when it has none. */
export function snapshotNames(input: AllocationInput) {
  const students = new Map(input.students.map((s) => [s.id, s.name ?? s.id]));
  const blocks = new Map(input.blocks.map((b) => [b.id, b.label ?? b.id]));
  const departments = new Map(
    [...input.sites, ...(input.departments ?? [])].map((d) => [d.departmentId, d.departmentName ?? d.departmentId] as const),
  );
  return {
    student: (id: string) => students.get(id) ?? id,
    block: (id: string) => blocks.get(id) ?? id,
    department: (id: string) => departments.get(id) ?? id,
  };
}

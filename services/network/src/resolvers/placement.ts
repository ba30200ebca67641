import { type NetworkContext } from '../context';
import { readStudent } from './student';

/**
 * What the gateway sends for a rotations Placement: its id and, by `@requires`, the ids of its
 * student, hospital and department as rotations holds them (ADR 0024).
 */
interface PlacementParties {
  id: string;
  studentId: string;
  hospitalId: string;
  departmentId: string;
}

/**
 * The network's side of a rotations Placement. Rotations decides who may see the placement; the
 * people and places in it are read here exactly as `_entities` reads them (the student under the
 * student policy, departments and institutions as the directory), so answering three types in
 * one call changes no rule. Nothing is read for the placement itself: the representation is it.
 */
export const placementResolvers = {
  Placement: {
    __resolveReference: (ref: PlacementParties) => ref,
    student: (p: PlacementParties, _: unknown, ctx: NetworkContext) => readStudent(ctx, p.studentId),
    hospital: (p: PlacementParties, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(p.hospitalId),
    department: (p: PlacementParties, _: unknown, ctx: NetworkContext) => ctx.loaders.department.load(p.departmentId),
  },
};

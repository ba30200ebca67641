import { NotFoundError } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import {
  type ProposalInstructor,
  type ProposalPlacement,
  proposeSupervisors,
  type SupervisorProposal,
} from '../domain/supervisor-proposal';
import { type ProposeSupervisorsArgs } from '../domain/validation';

/** A department as a proposal needs it: its hospital (for the access check) and its name (for explanations). */
export async function departmentForProposal(ds: DataSource, departmentId: string): Promise<{ hospitalId: string; name: string }> {
  const [d] = (await ds.query(`SELECT institution_id, name FROM known_department WHERE id = $1`, [departmentId])) as {
    institution_id: string;
    name: string | null;
  }[];
  if (!d) throw new NotFoundError('Department', departmentId);
  return { hospitalId: d.institution_id, name: d.name ?? 'the department' };
}

/** What proposeSupervisors answers: the pure proposal, and how many of the scope's placements still wait for the school. */
export interface SupervisorProposalResult extends SupervisorProposal {
  departmentId: string;
  maxStudentsPerInstructor: number;
  awaitingConfirmation: number;
}

/**
 * The department's confirmed and running placements in the block (or published by the run),
 * its active clinical instructors, and the pure proposal over them (domain/supervisor-proposal.ts).
 * Three statements whatever the number of placements. Proposals of the scope are only counted:
 * they are the school's until it confirms them (docs/architecture.md §4).
 */
export async function supervisorProposal(
  ds: DataSource,
  args: ProposeSupervisorsArgs,
  department: { hospitalId: string; name: string },
): Promise<SupervisorProposalResult> {
  const scope = `p.department_id = $1 AND (p.block_id = $2 OR p.allocation_run_id = $3)`;
  const [placements, instructors, [waiting]] = await Promise.all([
    ds.query(
      `SELECT p.id, p.block_id AS "blockId", b.name AS "blockName", b.starts_on::text AS "blockStartsOn", p.supervisor_id AS "supervisorId",
              coalesce(nullif(concat_ws(' ', s.given_name, s.family_name), ''), 'a student whose name is not known yet') AS "studentName"
         FROM placement p JOIN rotation_block b ON b.id = p.block_id LEFT JOIN known_student s ON s.id = p.student_id
        WHERE ${scope} AND p.status IN ('CONFIRMED', 'IN_PROGRESS')`,
      [args.departmentId, args.blockId, args.runId],
    ) as Promise<ProposalPlacement[]>,
    ds.query(
      `SELECT id, coalesce(nullif(concat_ws(' ', given_name, family_name), ''), id::text) AS name FROM known_staff
        WHERE department_id = $1 AND institution_id = $2 AND active AND 'CLINICAL_INSTRUCTOR' = ANY(roles)`,
      [args.departmentId, department.hospitalId],
    ) as Promise<ProposalInstructor[]>,
    ds.query(`SELECT count(*)::int AS n FROM placement p WHERE ${scope} AND p.status = 'PROPOSED'`, [
      args.departmentId,
      args.blockId,
      args.runId,
    ]) as Promise<{ n: number }[]>,
  ]);
  const proposal = proposeSupervisors(placements, instructors, {
    departmentName: department.name,
    maxStudentsPerInstructor: args.maxStudentsPerInstructor,
  });
  return {
    ...proposal,
    departmentId: args.departmentId,
    maxStudentsPerInstructor: args.maxStudentsPerInstructor,
    awaitingConfirmation: waiting!.n,
  };
}

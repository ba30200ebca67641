import { type ConnectionArgs, ensure, pageRequest, parseInput, requireRole, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { listStudents, registerStudent } from '../data/students';
import { canReadStudent, departmentDecides, mayHoldPlacementGrant, studentListScope } from '../domain/access-policy';
import { canManagePeople } from '../domain/lifecycle';
import { registerStudentSchema, studentFilterSchema } from '../domain/validation';
import { type Student } from '../entities';

/**
 * Root field and `_entities` alike. The placement and mentor grants are loaded (one batched
 * statement) only for staff callers the other rules turn away; an instructor's own staff record
 * (their department) only when a grant at their hospital could match it.
 */
export async function readStudent(ctx: NetworkContext, id: string): Promise<Student | null> {
  const student = await ctx.loaders.student.load(id);
  if (!student || canReadStudent(ctx.actor, student)) return student;
  ensure(mayHoldPlacementGrant(ctx.actor), 'You may not see this student');
  const granted = await ctx.loaders.accessGrantsByStudent.load(student.id);
  if (canReadStudent(ctx.actor, student, granted.hospitals, granted.mentorIds)) return student;
  // An instructor's department decides only when a grant at their hospital is there to match.
  const gate = departmentDecides(ctx.actor) && granted.hospitals.some((g) => g.hospitalId === ctx.actor.institutionId);
  const self = gate ? await ctx.loaders.staffMember.load(ctx.actor.personId) : null;
  ensure(
    canReadStudent(ctx.actor, student, granted.hospitals, granted.mentorIds, self?.departmentId ?? null),
    'You may not see this student',
  );
  return student;
}

export const studentResolvers = {
  Query: {
    student: (_: unknown, { id }: IdArgs, ctx: NetworkContext) => readStudent(ctx, id),
    students: (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: NetworkContext) => {
      const filter = parseInput(studentFilterSchema, args.filter);
      const page = pageRequest(args);
      return listStudents(ctx.dataSource, studentListScope(ctx.actor, filter.institutionId), filter, page);
    },
  },
  Mutation: {
    registerStudent: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      requireRole(ctx.actor, ['INSTITUTION_ADMIN', 'INTEGRATION'], 'register students');
      const data = parseInput(registerStudentSchema(ctx.now.getUTCFullYear()), input);
      ensure(canManagePeople(ctx.actor, data.schoolId), "Only the school's own admins and integration accounts may register its students");
      return ctx.command(async (em) => {
        const student = await registerStudent(em, data, ctx.eventMeta);
        ctx.audit.change('Student', student.id, { studentId: student.id, schoolId: student.schoolId, change: 'registerStudent' });
        return student;
      });
    },
  },
  Student: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readStudent(ctx, ref.id),
    school: (s: Student, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(s.schoolId),
  },
};

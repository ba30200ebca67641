import { type ConnectionArgs, ensure, pageRequest, parseInput, requireRole, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { listStudents, registerStudent } from '../data/students';
import { canReadStudent, mayHoldPlacementGrant, studentListScope } from '../domain/access-policy';
import { canManagePeople } from '../domain/lifecycle';
import { registerStudentSchema, studentFilterSchema } from '../domain/validation';
import { type Student } from '../entities';

/**
 * Root field and `_entities` alike. The placement and mentor grants are loaded (one batched
 * statement) only for staff callers the other rules turn away.
 */
async function readStudent(ctx: NetworkContext, id: string): Promise<Student | null> {
  const student = await ctx.loaders.student.load(id);
  if (!student || canReadStudent(ctx.actor, student)) return student;
  const granted = mayHoldPlacementGrant(ctx.actor)
    ? await ctx.loaders.accessGrantsByStudent.load(student.id)
    : { hospitalIds: [], mentorIds: [] };
  ensure(canReadStudent(ctx.actor, student, granted.hospitalIds, granted.mentorIds), 'You may not see this student');
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
      const data = parseInput(registerStudentSchema(new Date().getUTCFullYear()), input);
      ensure(canManagePeople(ctx.actor, data.schoolId), "Only the school's own admins and integration accounts may register its students");
      return ctx.command((em) => registerStudent(em, data, ctx.eventMeta));
    },
  },
  Student: {
    __resolveReference: (ref: IdArgs, ctx: NetworkContext) => readStudent(ctx, ref.id),
    school: (s: Student, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(s.schoolId),
  },
};

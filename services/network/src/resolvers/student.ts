import { type GraphQLResolveInfo } from 'graphql';
import { type ConnectionArgs, ensure, selectedFields, pageRequest, parseInput, requireRole, type IdArgs, type InputArgs } from '@medcollab/kit';
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
async function readStudent(ctx: NetworkContext, id: string, info?: GraphQLResolveInfo): Promise<Student | null> {
  const student = await allowedStudent(ctx, id);
  if (student) auditStudentRead(ctx, student, selectedFields(info));
  return student;
}

/** Records that the caller was shown the student (ADR 0008); the fields are those selected. */
export function auditStudentRead(ctx: NetworkContext, student: Student, fields: string[]): void {
  ctx.audit.read('Student', student.id, { studentId: student.id, schoolId: student.schoolId, fields });
}

async function allowedStudent(ctx: NetworkContext, id: string): Promise<Student | null> {
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
    student: (_: unknown, { id }: IdArgs, ctx: NetworkContext, info: GraphQLResolveInfo) => readStudent(ctx, id, info),
    students: async (_: unknown, args: ConnectionArgs & { filter?: unknown }, ctx: NetworkContext, info: GraphQLResolveInfo) => {
      const filter = parseInput(studentFilterSchema, args.filter);
      const page = pageRequest(args);
      const connection = await listStudents(ctx.dataSource, studentListScope(ctx.actor, filter.institutionId), filter, page);
      const fields = selectedFields(info, ['edges', 'node']);
      for (const { node } of connection.edges) auditStudentRead(ctx, node, fields);
      return connection;
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
    __resolveReference: (ref: IdArgs, ctx: NetworkContext, info: GraphQLResolveInfo) => readStudent(ctx, ref.id, info),
    school: (s: Student, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(s.schoolId),
  },
};

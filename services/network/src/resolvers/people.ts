import { BadUserInputError, ensure, ForbiddenError, parseInput, type InputArgs, guarded } from '@medcollab/kit';
import { type NetworkContext } from '../context';
import { lockStaffMember, lockStudent, setStaffStatus, setStudentStatus, updateStaffMember, updateStudent } from '../data/people';
import { canReadStudent, canReadStaffMember } from '../domain/access-policy';
import { canManagePeople, canManageStaffMember, roleChangeRefusal } from '../domain/lifecycle';
import { type PersonStatus } from '../domain/model';
import {
  changeStaffRolesSchema,
  isUuid,
  sourcedIdSchema,
  statusChangeSchema,
  updateStaffMemberSchema,
  updateStudentSchema,
} from '../domain/validation';
import { Department, StaffMember, Student } from '../entities';

/**
 * People's lifecycle through the API: update, change roles, deactivate, reactivate; and the
 * reads by the institution's own ids (sourcedId). The institution's admins and its integration
 * accounts may do these for its own people (integration accounts not for its admins).
 */

interface BySourcedIdArgs {
  institutionId: string;
  sourcedId: string;
}

function parseSourcedId(value: string): string {
  const parsed = sourcedIdSchema.safeParse(value);
  if (!parsed.success) throw new BadUserInputError(`sourcedId: ${parsed.error.issues[0]?.message}`, { field: 'sourcedId' });
  return parsed.data;
}

const refuseStudent = (ctx: NetworkContext, student: Student) =>
  ensure(canManagePeople(ctx.actor, student.schoolId), "Only the school's admins and its integration accounts may change its students");
const refuseStaff = (ctx: NetworkContext, staff: StaffMember) =>
  ensure(
    canManageStaffMember(ctx.actor, staff),
    "Only the institution's admins may change this staff member (integration accounts: not its admins, nor staff of other institutions)",
  );

function studentStatus(status: PersonStatus) {
  return (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
    const data = parseInput(statusChangeSchema, input);
    return ctx.command(async (em) => {
      const student = await lockStudent(em, data.id);
      refuseStudent(ctx, student);
      ctx.audit.change('Student', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        change: status === 'INACTIVE' ? 'deactivateStudent' : 'reactivateStudent',
        fields: ['status'],
        reason: data.reason,
      });
      return setStudentStatus(em, student, status, data.reason, ctx.eventMeta);
    });
  };
}

function staffStatus(status: PersonStatus) {
  return (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
    const data = parseInput(statusChangeSchema, input);
    return ctx.command(async (em) => {
      const staff = await lockStaffMember(em, data.id);
      refuseStaff(ctx, staff);
      return setStaffStatus(em, staff, status, data.reason, ctx.eventMeta);
    });
  };
}

export const peopleResolvers = {
  Query: {
    /** Null when no student of the school has this sourcedId; FORBIDDEN when the caller may not read them. */
    studentBySourcedId: async (_: unknown, args: BySourcedIdArgs, ctx: NetworkContext) => {
      const sourcedId = parseSourcedId(args.sourcedId);
      if (!isUuid(args.institutionId)) return null;
      const student = await ctx.dataSource.getRepository(Student).findOneBy({ schoolId: args.institutionId, sourcedId });
      if (!student) return null;
      ensure(canReadStudent(ctx.actor, student), 'You may not see this student');
      return student;
    },
    staffMemberBySourcedId: async (_: unknown, args: BySourcedIdArgs, ctx: NetworkContext) => {
      const sourcedId = parseSourcedId(args.sourcedId);
      if (!isUuid(args.institutionId)) return null;
      const staff = await ctx.dataSource.getRepository(StaffMember).findOneBy({ institutionId: args.institutionId, sourcedId });
      if (!staff) return null;
      ensure(canReadStaffMember(ctx.actor, staff), 'You may not see this staff member');
      return staff;
    },
    /** Departments are a directory, like `department`. */
    departmentBySourcedId: (_: unknown, args: BySourcedIdArgs, ctx: NetworkContext) => {
      const sourcedId = parseSourcedId(args.sourcedId);
      return isUuid(args.institutionId)
        ? ctx.dataSource.getRepository(Department).findOneBy({ institutionId: args.institutionId, sourcedId })
        : null;
    },
  },
  Mutation: {
    updateStudent: (_: unknown, { input }: InputArgs, ctx: NetworkContext) => {
      const { id, ...patch } = parseInput(updateStudentSchema(ctx.now.getUTCFullYear()), input);
      return ctx.command(async (em) => {
        const student = await lockStudent(em, id);
        refuseStudent(ctx, student);
        ctx.audit.change('Student', student.id, {
          studentId: student.id,
          schoolId: student.schoolId,
          change: 'updateStudent',
          fields: Object.keys(patch),
        });
        return updateStudent(em, student, patch, ctx.eventMeta);
      });
    },
    updateStaffMember: guarded({ input: updateStaffMemberSchema }, ({ id, ...patch }, ctx: NetworkContext) => {
      return ctx.command(async (em) => {
        const staff = await lockStaffMember(em, id);
        refuseStaff(ctx, staff);
        return updateStaffMember(em, staff, patch, ctx.eventMeta);
      });
    }),
    changeStaffRoles: guarded({ input: changeStaffRolesSchema }, (data, ctx: NetworkContext) => {
      return ctx.command(async (em) => {
        const staff = await lockStaffMember(em, data.id);
        ensure(canManagePeople(ctx.actor, staff.institutionId), "Only the institution's admins may change its staff's roles");
        const refusal = roleChangeRefusal(ctx.actor, staff.roles, data.roles);
        if (refusal) throw new ForbiddenError(refusal);
        return updateStaffMember(em, staff, { roles: data.roles }, ctx.eventMeta);
      });
    }),
    deactivateStudent: studentStatus('INACTIVE'),
    reactivateStudent: studentStatus('ACTIVE'),
    deactivateStaffMember: staffStatus('INACTIVE'),
    reactivateStaffMember: staffStatus('ACTIVE'),
  },
};

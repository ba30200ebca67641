import { ensure, NotFoundError, parseInput, type InputArgs } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { rotateCalendarToken, type FeedOwner } from '../calendar/tokens';
import { canActForStudent, canManageDepartmentFeed } from '../domain/access-policy';
import { rotateCalendarTokenSchema } from '../domain/validation';

/** Who may (re)issue a feed: a student's, the student or their school's planners; a department's, its hospital's planners and instructors. */
async function authorizeOwner(ctx: RotationsContext, input: { studentId: string | null; departmentId: string | null }): Promise<FeedOwner> {
  if (input.studentId) {
    const student = await ctx.loaders.knownStudent.load(input.studentId);
    if (!student) throw new NotFoundError('Student', input.studentId);
    ensure(canActForStudent(ctx.actor, student), "Only the student, or their school's coordinators, may manage their calendar feed");
    return { kind: 'STUDENT', ownerId: student.id };
  }
  const departmentId = input.departmentId as string;
  const [department, actorStaff] = await Promise.all([
    ctx.loaders.knownDepartment.load(departmentId),
    ctx.loaders.knownStaff.load(ctx.actor.personId),
  ]);
  if (!department) throw new NotFoundError('Department', departmentId);
  ensure(
    canManageDepartmentFeed(ctx.actor, { id: department.id, hospitalId: department.institutionId }, actorStaff),
    "Only the hospital's coordinators and the department's clinical instructors may manage its calendar feed",
  );
  return { kind: 'DEPARTMENT', ownerId: department.id };
}

export const calendarResolvers = {
  Mutation: {
    rotateCalendarToken: async (_: unknown, { input }: InputArgs, ctx: RotationsContext) => {
      const owner = await authorizeOwner(ctx, parseInput(rotateCalendarTokenSchema, input));
      const token = await ctx.command((em) => rotateCalendarToken(em, owner));
      return { kind: owner.kind, ownerId: owner.ownerId, url: `${ctx.settings.calendarPublicUrl}/calendar/${token}.ics` };
    },
  },
};

import { type Actor, ensure, ForbiddenError, hasRole, NotFoundError, optionalRef, ref, type IdArgs, guarded } from '@medcollab/kit';
import { recordGoalChange } from '../audited';
import { type MentorshipContext } from '../context';
import { type Authorship, createGoalFromGap, setDevelopmentGoal, updateDevelopmentGoal } from '../data/goals';
import { canUpdateGoal, goalAuthorship } from '../domain/access-policy';
import { createGoalFromGapSchema, setDevelopmentGoalSchema, updateDevelopmentGoalSchema } from '../domain/validation';
import { type DevelopmentGoal } from '../entities';
import { requireStudentRecords, studentAccessFacts } from './common';

async function readGoal(ctx: MentorshipContext, id: string): Promise<DevelopmentGoal | null> {
  const goal = await ctx.loaders.goal.load(id);
  if (!goal) return null;
  await requireStudentRecords(ctx, goal.studentId);
  return goal;
}

/** The student sets their own goals; their mentors propose them; nobody else writes them. */
async function authorship(ctx: MentorshipContext, studentId: string): Promise<Authorship> {
  const { mentorIds } = await studentAccessFacts(ctx, studentId);
  const kind = goalAuthorship(ctx.actor, studentId, mentorIds);
  if (!kind) throw new ForbiddenError("Only the student, or a mentor of theirs as a proposal, may set the student's goals");
  return kind === 'own' ? { kind } : { kind, mentorId: ctx.actor.personId };
}

const isTheStudent = (actor: Actor, goal: DevelopmentGoal) => actor.personId === goal.studentId && hasRole(actor, 'STUDENT');

export const goalResolvers = {
  Query: {
    developmentGoal: (_: unknown, { id }: IdArgs, ctx: MentorshipContext) => readGoal(ctx, id),
  },
  Mutation: {
    setDevelopmentGoal: guarded({ input: setDevelopmentGoalSchema }, async (data, ctx: MentorshipContext) => {
      const by = await authorship(ctx, data.studentId);
      return ctx.command(async (em) => {
        const goal = await setDevelopmentGoal(em, data, by, ctx.eventMeta);
        await recordGoalChange(ctx, goal, 'setDevelopmentGoal');
        return goal;
      });
    }),
    createGoalFromGap: guarded({ input: createGoalFromGapSchema }, async (data, ctx: MentorshipContext) => {
      const by = await authorship(ctx, data.studentId);
      return ctx.command(async (em) => {
        const goal = await createGoalFromGap(em, data, by, ctx.eventMeta);
        await recordGoalChange(ctx, goal, 'createGoalFromGap');
        return goal;
      });
    }),
    updateDevelopmentGoal: guarded({ input: updateDevelopmentGoalSchema }, async (data, ctx: MentorshipContext) => {
      const goal = await ctx.loaders.goal.load(data.id);
      if (!goal) throw new NotFoundError('Development goal', data.id);
      const byStudent = isTheStudent(ctx.actor, goal);
      ensure(
        canUpdateGoal(ctx.actor, {
          studentId: goal.studentId,
          proposedById: goal.proposedById,
          pendingAcceptance: goal.acceptedAt === null,
        }),
        'Only the student (or the proposing mentor, while the proposal is pending) may change this goal',
      );
      if (data.accept && !byStudent) throw new ForbiddenError('Only the student accepts a proposed goal');
      return ctx.command(async (em) => {
        const changed = await updateDevelopmentGoal(em, data, byStudent, ctx.eventMeta);
        await recordGoalChange(ctx, changed, 'updateDevelopmentGoal');
        return changed;
      });
    }),
  },
  DevelopmentGoal: {
    __resolveReference: (r: IdArgs, ctx: MentorshipContext) => readGoal(ctx, r.id),
    student: (g: DevelopmentGoal) => ref(g.studentId),
    competency: (g: DevelopmentGoal) => optionalRef(g.competencyId),
    proposedBy: (g: DevelopmentGoal) => optionalRef(g.proposedById),
    pendingAcceptance: (g: DevelopmentGoal) => g.acceptedAt === null,
    gap: (g: DevelopmentGoal) =>
      g.requiredLevel !== null && g.currentLevel !== null ? { requiredLevel: g.requiredLevel, currentLevel: g.currentLevel } : null,
  },
};

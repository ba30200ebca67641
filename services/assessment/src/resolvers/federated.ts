import { type IdArgs } from '@medcollab/kit';
import { type AssessmentContext } from '../context';
import { type TaskStatus } from '../domain/model';

import { visibleTasks } from './read';

/**
 * References to the network's and rotations' entities resolve to their id for anyone signed in:
 * every field assessment adds applies the policy itself (lists are filtered task by task,
 * records as a whole are FORBIDDEN), batched per request.
 */
type StatusArgs = { status?: TaskStatus | null };

export const federatedResolvers = {
  Student: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    assessmentTasks: async (s: IdArgs, { status }: StatusArgs, ctx: AssessmentContext) =>
      visibleTasks(ctx, await ctx.loaders.tasksByStudent(status ?? null).load(s.id)),
  },
  StaffMember: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    assessmentTasks: async (m: IdArgs, { status }: StatusArgs, ctx: AssessmentContext) =>
      visibleTasks(ctx, await ctx.loaders.tasksByAssessor(status ?? null).load(m.id)),
  },
  Placement: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    assessmentTasks: async (p: IdArgs, _: unknown, ctx: AssessmentContext) =>
      visibleTasks(ctx, await ctx.loaders.tasksByPlacement.load(p.id)),
  },
  Department: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
  },
};

import { ensure, parseInput, requireRole } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { createRotationBlock, listRotationBlocks } from '../data/blocks';
import { runCommand } from '../data/transaction';
import { canPlanSchoolRotations } from '../domain/access-policy';
import { academicYearArgs, createRotationBlockSchema } from '../domain/validation';
import { type RotationBlock } from '../entities';
import { type IdArgs, type InputArgs, mayReadCalendar, readBlock, ref } from './read';

export const blockResolvers = {
  Query: {
    rotationBlocks: async (_: unknown, args: { schoolId: string; academicYear: string }, ctx: RotationsContext) => {
      const { schoolId, academicYear } = parseInput(academicYearArgs, args);
      ensure(await mayReadCalendar(ctx, schoolId), "You may not see this school's rotation calendar");
      return listRotationBlocks(ctx.dataSource, schoolId, academicYear);
    },
    rotationBlock: (_: unknown, { id }: IdArgs, ctx: RotationsContext) => readBlock(ctx, id),
  },
  Mutation: {
    createRotationBlock: (_: unknown, { input }: InputArgs, ctx: RotationsContext) => {
      requireRole(ctx.actor, ['COORDINATOR', 'INSTITUTION_ADMIN'], 'create rotation blocks');
      const data = parseInput(createRotationBlockSchema, input);
      ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), "Only the school's coordinators and admins may change its calendar");
      return runCommand(ctx.dataSource, (em) => createRotationBlock(em, data));
    },
  },
  RotationBlock: {
    __resolveReference: (r: IdArgs, ctx: RotationsContext) => readBlock(ctx, r.id),
    school: (b: RotationBlock) => ref(b.schoolId),
  },
};

import { ensure, parseInput, ref, type IdArgs, guarded } from '@medcollab/kit';
import { type RotationsContext } from '../context';
import { createRotationBlock, listRotationBlocks } from '../data/blocks';
import { canPlanSchoolRotations } from '../domain/access-policy';
import { academicYearArgs, createRotationBlockSchema } from '../domain/validation';
import { type RotationBlock } from '../entities';
import { mayReadCalendar, readBlock } from './read';

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
    createRotationBlock: guarded(
      { roles: ['COORDINATOR', 'INSTITUTION_ADMIN'], action: 'create rotation blocks', input: createRotationBlockSchema },
      (data, ctx: RotationsContext) => {
        ensure(canPlanSchoolRotations(ctx.actor, data.schoolId), "Only the school's coordinators and admins may change its calendar");
        return ctx.command((em) => createRotationBlock(em, data));
      },
    ),
  },
  RotationBlock: {
    __resolveReference: (r: IdArgs, ctx: RotationsContext) => readBlock(ctx, r.id),
    school: (b: RotationBlock) => ref(b.schoolId),
  },
};

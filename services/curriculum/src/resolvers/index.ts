import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type CurriculumContext } from '../context';
import { competencyModuleResolvers } from './competency-modules';
import { curriculumMapResolvers } from './curriculum-map';
import { enrollmentResolvers } from './enrollment';
import { exportResolvers } from './exports';
import { frameworkResolvers } from './framework';
import { moduleResolvers } from './module';
import { postProfileResolvers } from './post-profile';
import { programResolvers } from './program';
import { recommendationResolvers } from './recommendation';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  frameworkResolvers,
  postProfileResolvers,
  programResolvers,
  moduleResolvers,
  enrollmentResolvers,
  recommendationResolvers,
  curriculumMapResolvers,
  competencyModuleResolvers,
  exportResolvers,
  eventAdminResolvers('curriculum', (ctx: CurriculumContext) => ctx.dataSource),
);

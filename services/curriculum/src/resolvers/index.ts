import { curriculumMapResolvers } from './curriculum-map';
import { enrollmentResolvers } from './enrollment';
import { exportResolvers } from './exports';
import { frameworkResolvers } from './framework';
import { moduleResolvers } from './module';
import { postProfileResolvers } from './post-profile';
import { programResolvers } from './program';
import { recommendationResolvers } from './recommendation';
import { scalarResolvers } from './scalars';

type ResolverPart = Record<string, object>;
const parts: ResolverPart[] = [
  frameworkResolvers,
  postProfileResolvers,
  programResolvers,
  moduleResolvers,
  enrollmentResolvers,
  recommendationResolvers,
  curriculumMapResolvers,
  exportResolvers,
];

/** Each file contributes its own Query/Mutation fields and type resolvers; merged here. */
export const resolvers: ResolverPart = { ...scalarResolvers };
for (const part of parts) {
  for (const [typeName, fields] of Object.entries(part)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...fields };
  }
}

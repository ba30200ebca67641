import { eventAdminResolvers } from '@medcollab/events';
import { type MentorshipContext } from '../context';
import { federatedResolvers } from './federated';
import { goalResolvers } from './goal';
import { matchingResolvers } from './matching';
import { meetingResolvers } from './meeting';
import { mentorshipResolvers } from './mentorship';
import { noticeResolvers } from './notices';
import { profileResolvers } from './profile';
import { scalarResolvers } from './scalars';
import { suggestionResolvers } from './suggestions';

type ResolverPart = Record<string, object>;
const parts: ResolverPart[] = [
  profileResolvers,
  suggestionResolvers,
  matchingResolvers,
  mentorshipResolvers,
  meetingResolvers,
  goalResolvers,
  federatedResolvers,
  noticeResolvers,
  eventAdminResolvers('mentorship', (ctx: MentorshipContext) => ctx.dataSource),
];

/** Each file contributes its own Query/Mutation fields and type resolvers; merged here. */
export const resolvers: ResolverPart = { ...scalarResolvers };
for (const part of parts) {
  for (const [typeName, fields] of Object.entries(part)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...fields };
  }
}

import { mergeResolvers } from '@medcollab/kit';
import { eventAdminResolvers } from '@medcollab/events';
import { type MentorshipContext } from '../context';
import { federatedResolvers } from './federated';
import { goalResolvers } from './goal';
import { matchingResolvers } from './matching';
import { meetingResolvers } from './meeting';
import { mentorshipResolvers } from './mentorship';
import { profileResolvers } from './profile';
import { suggestionResolvers } from './suggestions';

/** Each file contributes its own Query/Mutation fields and type resolvers. */
export const resolvers = mergeResolvers(
  profileResolvers,
  suggestionResolvers,
  matchingResolvers,
  mentorshipResolvers,
  meetingResolvers,
  goalResolvers,
  federatedResolvers,
  eventAdminResolvers('mentorship', (ctx: MentorshipContext) => ctx.dataSource),
);

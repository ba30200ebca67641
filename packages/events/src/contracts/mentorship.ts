import { z } from 'zod';
import { defineEvent } from '../contract';

/**
 * A mentorship's mentees or status changed (created, mentee added, matching run accepted,
 * paused, resumed, ended). The payload is the mentorship's whole current state, so consumers
 * simply replace what they hold for `mentorshipId` with it: a redelivery changes nothing.
 * The network derives mentors' read access to their mentees from it (docs/architecture.md §4).
 */
export const MentorshipChanged = defineEvent(
  'MentorshipChanged',
  1,
  'Mentorship',
  z.object({
    mentorshipId: z.uuid(),
    mentorId: z.uuid(),
    /** The current mentees, in the order they joined. */
    menteeIds: z.array(z.uuid()),
    status: z.enum(['ACTIVE', 'PAUSED', 'ENDED']),
  }),
);

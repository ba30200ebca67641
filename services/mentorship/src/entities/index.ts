import { DevelopmentGoal } from './development-goal.entity';
import { KnownAgreement, KnownStaff, KnownStudent } from '@medcollab/projections';
import { KnownEnrollment } from './known.entity';
import { MatchingProposal, MatchingRun } from './matching-run.entity';
import { MenteePreferences } from './mentee-preferences.entity';
import { MentorMeeting } from './mentor-meeting.entity';
import { MentorProfile } from './mentor-profile.entity';
import { Mentorship, MentorshipMentee } from './mentorship.entity';

export {
  DevelopmentGoal,
  KnownAgreement,
  KnownEnrollment,
  KnownStaff,
  KnownStudent,
  MatchingProposal,
  MatchingRun,
  MenteePreferences,
  MentorMeeting,
  MentorProfile,
  Mentorship,
  MentorshipMentee,
};

/** Every entity of the mentorship database, for the DataSource. */
export const entities = [
  KnownStudent,
  KnownStaff,
  KnownAgreement,
  KnownEnrollment,
  MentorProfile,
  MenteePreferences,
  MatchingRun,
  MatchingProposal,
  Mentorship,
  MentorshipMentee,
  MentorMeeting,
  DevelopmentGoal,
];

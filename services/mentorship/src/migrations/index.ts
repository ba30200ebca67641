import { CreateMentorshipTables1764500000000 } from './1764500000000-CreateMentorshipTables';
import { CreateMentorshipEventTables1764500000001 } from './1764500000001-CreateMentorshipEventTables';
import { AddAssessmentNotices1764500000002 } from './1764500000002-AddAssessmentNotices';
import { SharedNetworkProjections1765700000001 } from './1765700000001-SharedNetworkProjections';
import { MoveMentorNoticesToNotifications1766100000000 } from './1766100000000-MoveMentorNoticesToNotifications';

/** In the order they run. */
export const migrations = [
  CreateMentorshipTables1764500000000,
  CreateMentorshipEventTables1764500000001,
  AddAssessmentNotices1764500000002,
  SharedNetworkProjections1765700000001,
  MoveMentorNoticesToNotifications1766100000000,
];

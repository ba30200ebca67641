import { CreateNotificationTables1765000000000 } from './1765000000000-CreateNotificationTables';
import { CreateNotificationEventTables1765000000001 } from './1765000000001-CreateNotificationEventTables';
import { AddEmailDelivery1765000000002 } from './1765000000002-AddEmailDelivery';
import { AddWebhooks1765000000003 } from './1765000000003-AddWebhooks';
import { AddDigestsAndPlacementReminders1765100000000 } from './1765100000000-AddDigestsAndPlacementReminders';
import { AddMenteeMeetingReminders1766100000000 } from './1766100000000-AddMenteeMeetingReminders';
import { AddPlacementBlockName1766200000000 } from './1766200000000-AddPlacementBlockName';
import { AddMenteeLastMetAt1767740000000 } from './1767740000000-AddMenteeLastMetAt';

/** In the order they run. */
export const migrations = [
  CreateNotificationTables1765000000000,
  CreateNotificationEventTables1765000000001,
  AddEmailDelivery1765000000002,
  AddWebhooks1765000000003,
  AddDigestsAndPlacementReminders1765100000000,
  AddMenteeMeetingReminders1766100000000,
  AddPlacementBlockName1766200000000,
  AddMenteeLastMetAt1767740000000,
];

import { CreateMentorshipTables1764500000000 } from './1764500000000-CreateMentorshipTables';
import { CreateMentorshipEventTables1764500000001 } from './1764500000001-CreateMentorshipEventTables';

/** In the order they run. */
export const migrations = [CreateMentorshipTables1764500000000, CreateMentorshipEventTables1764500000001];

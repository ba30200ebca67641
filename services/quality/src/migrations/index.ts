import { CreateQualityTables1764700000000 } from './1764700000000-CreateQualityTables';
import { CreateQualityEventTables1764700000001 } from './1764700000001-CreateQualityEventTables';
import { CreateQualityAlerts1764700000002 } from './1764700000002-CreateQualityAlerts';

/** In the order they run. */
export const migrations = [CreateQualityTables1764700000000, CreateQualityEventTables1764700000001, CreateQualityAlerts1764700000002];

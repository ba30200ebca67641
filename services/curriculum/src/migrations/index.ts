import { CreateCurriculumTables1764200000000 } from './1764200000000-CreateCurriculumTables';
import { CreateCurriculumEventTables1764200000001 } from './1764200000001-CreateCurriculumEventTables';
import { SharedNetworkProjections1765700000002 } from './1765700000002-SharedNetworkProjections';

/** In the order they run. */
export const migrations = [
  CreateCurriculumTables1764200000000,
  CreateCurriculumEventTables1764200000001,
  SharedNetworkProjections1765700000002,
];

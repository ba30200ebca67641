import { CreateAssessmentProjectionTables1764400000000 } from './1764400000000-CreateAssessmentProjectionTables';
import { CreateAssessmentTables1764400000001 } from './1764400000001-CreateAssessmentTables';
import { CreateAssessmentEventTables1764400000002 } from './1764400000002-CreateAssessmentEventTables';
import { SeedInstrumentLibrary1764400000003 } from './1764400000003-SeedInstrumentLibrary';
import { CreateMentorGrant1764400000004 } from './1764400000004-CreateMentorGrant';
import { DepartmentLookupIndexes1765600000001 } from './1765600000001-DepartmentLookupIndexes';
import { SharedNetworkProjections1765700000000 } from './1765700000000-SharedNetworkProjections';
import { TaskCancellationAndReassignment1765700000004 } from './1765700000004-TaskCancellationAndReassignment';
import { TaskRotation1767725000001 } from './1767725000001-TaskRotation';
import { KnownProgramModules1767800000000 } from './1767800000000-KnownProgramModules';

/** Assessment's migrations, in order. */
export const migrations = [
  CreateAssessmentProjectionTables1764400000000,
  CreateAssessmentTables1764400000001,
  CreateAssessmentEventTables1764400000002,
  SeedInstrumentLibrary1764400000003,
  CreateMentorGrant1764400000004,
  DepartmentLookupIndexes1765600000001,
  SharedNetworkProjections1765700000000,
  TaskCancellationAndReassignment1765700000004,
  TaskRotation1767725000001,
  KnownProgramModules1767800000000,
];

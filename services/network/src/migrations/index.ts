import { CreateNetworkTables1764100000000 } from './1764100000000-CreateNetworkTables';
import { CreateEventTables1764100000001 } from './1764100000001-CreateEventTables';
import { CreateHospitalAccessGrant1764100000002 } from './1764100000002-CreateHospitalAccessGrant';
import { CreateMentorAccessGrant1764100000003 } from './1764100000003-CreateMentorAccessGrant';
import { AddSourcedIdsAndPersonStatus1764100000004 } from './1764100000004-AddSourcedIdsAndPersonStatus';
import { CreateRosterImport1764100000005 } from './1764100000005-CreateRosterImport';
import { HospitalGrantDepartment1764100000006 } from './1764100000006-HospitalGrantDepartment';
import { RosterImportRequesterRoles1767500000000 } from './1767500000000-RosterImportRequesterRoles';
import { QueueUnfinishedRosterImports1767715000000 } from './1767715000000-QueueUnfinishedRosterImports';

/** In the order they run. */
export const migrations = [
  CreateNetworkTables1764100000000,
  CreateEventTables1764100000001,
  CreateHospitalAccessGrant1764100000002,
  CreateMentorAccessGrant1764100000003,
  AddSourcedIdsAndPersonStatus1764100000004,
  CreateRosterImport1764100000005,
  HospitalGrantDepartment1764100000006,
  RosterImportRequesterRoles1767500000000,
  QueueUnfinishedRosterImports1767715000000,
];

import { CreateAuditTables1765400000000 } from './1765400000000-CreateAuditTables';
import { CreateAuditEventTables1765400000001 } from './1765400000001-CreateAuditEventTables';
import { AddAuditCheckpoints1766900000000 } from './1766900000000-AddAuditCheckpoints';
import { AuditWriterRole1767500000000 } from './1767500000000-AuditWriterRole';
import { PartitionAuditEntries1767500000001 } from './1767500000001-PartitionAuditEntries';
import { AuditPartitionRetirement1767730000000 } from './1767730000000-AuditPartitionRetirement';

/** In the order they run. */
export const migrations = [
  CreateAuditTables1765400000000,
  CreateAuditEventTables1765400000001,
  AddAuditCheckpoints1766900000000,
  AuditWriterRole1767500000000,
  PartitionAuditEntries1767500000001,
  AuditPartitionRetirement1767730000000,
];

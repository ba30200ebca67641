import { CreateProjectionTables1764300000000 } from './1764300000000-CreateProjectionTables';
import { CreateRotationTables1764300000001 } from './1764300000001-CreateRotationTables';
import { CreateRotationsEventTables1764300000002 } from './1764300000002-CreateEventTables';
import { CreateCurriculumProjections1764300000003 } from './1764300000003-CreateCurriculumProjections';
import { CreateAllocationRuns1764300000004 } from './1764300000004-CreateAllocationRuns';
import { TrackPublishedAllocations1764900000014 } from './1764900000014-TrackPublishedAllocations';
import { KnowNames1764900000015 } from './1764900000015-KnowNames';
import { RequirementGroupsAndPrecedences1765300000000 } from './1765300000000-RequirementGroupsAndPrecedences';
import { AllocationProgressDetail1765300000001 } from './1765300000001-AllocationProgressDetail';
import { PlacementBlockIndex1765600000000 } from './1765600000000-PlacementBlockIndex';
import { SharedNetworkProjections1765700000003 } from './1765700000003-SharedNetworkProjections';
import { RequirementDurationBlocks1767720000000 } from './1767720000000-RequirementDurationBlocks';
import { PlacementRotation1767725000000 } from './1767725000000-PlacementRotation';
import { RotationOfOnePart1767820000000 } from './1767820000000-RotationOfOnePart';
import { PlacementBlockScopeIndexes1767881000000 } from './1767881000000-PlacementBlockScopeIndexes';
import { PlacementDepartmentIndex1767884200000 } from './1767884200000-PlacementDepartmentIndex';

/** In the order they run. */
export const migrations = [
  CreateProjectionTables1764300000000,
  CreateRotationTables1764300000001,
  CreateRotationsEventTables1764300000002,
  CreateCurriculumProjections1764300000003,
  CreateAllocationRuns1764300000004,
  TrackPublishedAllocations1764900000014,
  KnowNames1764900000015,
  RequirementGroupsAndPrecedences1765300000000,
  AllocationProgressDetail1765300000001,
  PlacementBlockIndex1765600000000,
  SharedNetworkProjections1765700000003,
  RequirementDurationBlocks1767720000000,
  PlacementRotation1767725000000,
  RotationOfOnePart1767820000000,
  PlacementBlockScopeIndexes1767881000000,
  PlacementDepartmentIndex1767884200000,
];

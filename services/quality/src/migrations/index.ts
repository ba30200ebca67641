import { CreateQualityTables1764700000000 } from './1764700000000-CreateQualityTables';
import { CreateQualityEventTables1764700000001 } from './1764700000001-CreateQualityEventTables';
import { CreateQualityAlerts1764700000002 } from './1764700000002-CreateQualityAlerts';
import { CreateQualitySnapshots1765200000000 } from './1765200000000-CreateQualitySnapshots';
import { CreateQualityCurriculum1766300000000 } from './1766300000000-CreateQualityCurriculum';
import { LearnerOutcomesTermsZones1766400000000 } from './1766400000000-LearnerOutcomesTermsZones';
import { CreateQualityGeneration1767200000000 } from './1767200000000-CreateQualityGeneration';
import { CurriculumPublications1767300000000 } from './1767300000000-CurriculumPublications';
import { CurriculumFrameworks1767750000000 } from './1767750000000-CurriculumFrameworks';
import { SchoolBlocks1767750000001 } from './1767750000001-SchoolBlocks';
import { FactsAsEventIds1767810000000 } from './1767810000000-FactsAsEventIds';
import { EvaluatorBuckets1767870000000 } from './1767870000000-EvaluatorBuckets';
import { PseudonymKey1767877000000 } from './1767877000000-PseudonymKey';
import { EvaluatorLinksDropped1767877000001 } from './1767877000001-EvaluatorLinksDropped';
import { ProgramOwnerIndex1767882000000 } from './1767882000000-ProgramOwnerIndex';

/** In the order they run. */
export const migrations = [
  CreateQualityTables1764700000000,
  CreateQualityEventTables1764700000001,
  CreateQualityAlerts1764700000002,
  CreateQualitySnapshots1765200000000,
  CreateQualityCurriculum1766300000000,
  LearnerOutcomesTermsZones1766400000000,
  CreateQualityGeneration1767200000000,
  CurriculumPublications1767300000000,
  CurriculumFrameworks1767750000000,
  SchoolBlocks1767750000001,
  FactsAsEventIds1767810000000,
  EvaluatorBuckets1767870000000,
  PseudonymKey1767877000000,
  EvaluatorLinksDropped1767877000001,
  ProgramOwnerIndex1767882000000,
];

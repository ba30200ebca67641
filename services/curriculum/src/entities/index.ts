import { KnownAgreement, KnownStudent } from '@medcollab/projections';
import { Enrollment, ModuleResult, TrackChange } from './enrollment.entity';
import { Competency, CompetencyFramework } from './framework.entity';
import { CurriculumModule, ModuleDiscipline, ModulePrerequisite } from './module.entity';
import { PostProfile, PostProfileRequirement } from './post-profile.entity';
import { Program, Track } from './program.entity';
import { LearningObjective, ObjectiveCompetency, SessionObjective, TeachingSession } from './teaching.entity';

export {
  Competency,
  CompetencyFramework,
  CurriculumModule,
  Enrollment,
  KnownAgreement,
  KnownStudent,
  LearningObjective,
  ModuleDiscipline,
  ModulePrerequisite,
  ModuleResult,
  ObjectiveCompetency,
  PostProfile,
  PostProfileRequirement,
  Program,
  SessionObjective,
  TeachingSession,
  Track,
  TrackChange,
};

/** Every entity of the curriculum database, for the DataSource. */
export const entities = [
  CompetencyFramework,
  Competency,
  PostProfile,
  PostProfileRequirement,
  Program,
  Track,
  CurriculumModule,
  ModuleDiscipline,
  ModulePrerequisite,
  LearningObjective,
  ObjectiveCompetency,
  TeachingSession,
  SessionObjective,
  Enrollment,
  TrackChange,
  ModuleResult,
  KnownStudent,
  KnownAgreement,
];

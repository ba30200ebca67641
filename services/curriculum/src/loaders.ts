import DataLoader from 'dataloader';
import { loaderById, loaderByParent } from '@medcollab/kit';
import { type DataSource, In, type ObjectLiteral } from 'typeorm';
import { modulesAddressing } from './data/competency-modules';
import { activePartnersOf } from './data/projections';
import { isUuid } from './domain/validation/common';
import {
  Competency,
  CompetencyFramework,
  CurriculumModule,
  Enrollment,
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
} from './entities';

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, so
 * nested fields and `_entities` cost a constant number of queries, not one per row.
 */
export type CurriculumLoaders = ReturnType<typeof createLoaders>;

/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
const wellFormed = (ids: readonly string[]): string[] => ids.filter(isUuid);

type Order<T> = { [K in keyof T]?: 'ASC' | 'DESC' };

function byId<T extends { id: string } & ObjectLiteral>(ds: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return loaderById<T>(async (ids) => {
    const valid = wellFormed(ids);
    return valid.length ? ds.getRepository(entity).findBy({ id: In(valid) } as never) : [];
  });
}

function byParent<T extends ObjectLiteral>(
  ds: DataSource,
  entity: new () => T,
  column: keyof T & string,
  order: Order<T>,
): DataLoader<string, T[]> {
  return loaderByParent<T>(
    async (keys) => {
      const valid = wellFormed(keys);
      return valid.length ? ds.getRepository(entity).find({ where: { [column]: In(valid) } as never, order: order as never }) : [];
    },
    (row) => row[column] as string,
  );
}

export function createLoaders(ds: DataSource) {
  const addressing = new Map<string, DataLoader<string, string[]>>();
  return {
    framework: byId(ds, CompetencyFramework),
    competency: byId(ds, Competency),
    competenciesByFramework: byParent(ds, Competency, 'frameworkId', { position: 'ASC', id: 'ASC' }),
    childrenOfCompetency: byParent(ds, Competency, 'parentId', { position: 'ASC', id: 'ASC' }),
    postProfile: byId(ds, PostProfile),
    requirementsByProfile: byParent(ds, PostProfileRequirement, 'postProfileId', { position: 'ASC' }),
    program: byId(ds, Program),
    programsBySchool: byParent(ds, Program, 'schoolId', { title: 'ASC', id: 'ASC' }),
    tracksByProgram: byParent(ds, Track, 'programId', { title: 'ASC', id: 'ASC' }),
    modulesByProgram: byParent(ds, CurriculumModule, 'programId', { year: 'ASC', position: 'ASC', id: 'ASC' }),
    module: byId(ds, CurriculumModule),
    disciplinesByModule: byParent(ds, ModuleDiscipline, 'moduleId', { position: 'ASC' }),
    prerequisitesByModule: byParent(ds, ModulePrerequisite, 'moduleId', { prerequisiteId: 'ASC' }),
    objectivesByModule: byParent(ds, LearningObjective, 'moduleId', { position: 'ASC', id: 'ASC' }),
    sessionsByModule: byParent(ds, TeachingSession, 'moduleId', { position: 'ASC', id: 'ASC' }),
    objective: byId(ds, LearningObjective),
    competencyLinksByObjective: byParent(ds, ObjectiveCompetency, 'objectiveId', { competencyId: 'ASC' }),
    session: byId(ds, TeachingSession),
    objectiveLinksBySession: byParent(ds, SessionObjective, 'sessionId', { objectiveId: 'ASC' }),
    track: byId(ds, Track),
    enrollment: byId(ds, Enrollment),
    enrollmentsByStudent: byParent(ds, Enrollment, 'studentId', { enrolledAt: 'DESC', id: 'ASC' }),
    trackChangesByEnrollment: byParent(ds, TrackChange, 'enrollmentId', { seq: 'ASC' }),
    resultsByStudent: byParent(ds, ModuleResult, 'studentId', { completedOn: 'ASC', moduleId: 'ASC' }),
    knownStudent: byId(ds, KnownStudent),
    /** Modules of one program addressing each competency (or one beneath it), by program. */
    modulesAddressing: (programId: string): DataLoader<string, string[]> => {
      let loader = addressing.get(programId);
      if (!loader) {
        loader = new DataLoader<string, string[]>(async (ids) => {
          const found = isUuid(programId) ? await modulesAddressing(ds, programId, wellFormed(ids)) : new Map<string, string[]>();
          return ids.map((id) => found.get(id) ?? []);
        });
        addressing.set(programId, loader);
      }
      return loader;
    },
    /** Hospitals holding an ACTIVE agreement with each school. */
    activePartners: new DataLoader<string, Set<string>>(async (schoolIds) => {
      const partners = await activePartnersOf(ds, wellFormed(schoolIds));
      return schoolIds.map((id) => partners.get(id) ?? new Set<string>());
    }),
  };
}

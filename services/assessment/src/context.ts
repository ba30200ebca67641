import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type AssessmentLoaders } from './loaders';
import { type AssessmentSettings } from './settings';

/** What every assessment resolver receives: the kit's context (actor, database, clock, command), fresh loaders and settings. */
export interface AssessmentContext extends ServiceContext {
  loaders: AssessmentLoaders;
  settings: AssessmentSettings;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createAssessmentContext(base: ServiceContext, settings: AssessmentSettings): AssessmentContext {
  return { ...base, loaders: createLoaders(base.dataSource), settings };
}

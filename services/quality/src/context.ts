import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type QualityLoaders } from './loaders';
import { type QualitySettings } from './settings';

/** What every quality resolver receives: the kit's context (actor, database, command), fresh loaders and settings. */
export interface QualityContext extends ServiceContext {
  loaders: QualityLoaders;
  settings: QualitySettings;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createQualityContext(base: ServiceContext, settings: QualitySettings): QualityContext {
  return { ...base, loaders: createLoaders(base.dataSource), settings };
}

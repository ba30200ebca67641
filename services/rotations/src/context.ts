import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type RotationsLoaders } from './loaders';
import { rotationsSettings, type RotationsSettings } from './settings';

/** What every rotations resolver receives: the kit's context (actor, database, clock, command), fresh loaders, settings. */
export interface RotationsContext extends ServiceContext {
  loaders: RotationsLoaders;
  settings: RotationsSettings;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createRotationsContext(base: ServiceContext, settings = rotationsSettings()): RotationsContext {
  return { ...base, loaders: createLoaders(base.dataSource), settings };
}

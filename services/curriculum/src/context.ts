import { type ServiceContext } from '@medcollab/kit';
import { createAccessGate, type AccessGate } from './access';
import { createLoaders, type CurriculumLoaders } from './loaders';

/** What every curriculum resolver receives: the kit's context, fresh loaders and the access gate. */
export interface CurriculumContext extends ServiceContext {
  loaders: CurriculumLoaders;
  access: AccessGate;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createCurriculumContext(base: ServiceContext): CurriculumContext {
  const loaders = createLoaders(base.dataSource);
  return { ...base, loaders, access: createAccessGate(base.actor, loaders) };
}

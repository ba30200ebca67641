import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type NetworkLoaders } from './loaders';

/** What every network resolver receives: the kit's context (actor, database, command) and fresh loaders. */
export interface NetworkContext extends ServiceContext {
  loaders: NetworkLoaders;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createNetworkContext(base: ServiceContext): NetworkContext {
  return { ...base, loaders: createLoaders(base.dataSource) };
}

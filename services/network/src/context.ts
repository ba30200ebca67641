import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createLoaders, type NetworkLoaders } from './loaders';
import { type EventMeta } from './outbox';

/** What every network resolver receives: the verified actor, the database and fresh loaders. */
export interface NetworkContext extends RequestContext {
  dataSource: DataSource;
  loaders: NetworkLoaders;
  /** Recorded with every event this request writes. */
  eventMeta: EventMeta;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createNetworkContext(base: RequestContext, deps: { dataSource: DataSource }): NetworkContext {
  return {
    ...base,
    dataSource: deps.dataSource,
    loaders: createLoaders(deps.dataSource),
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
  };
}

import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createAccessGate, type AccessGate } from './access';
import { createLoaders, type CurriculumLoaders } from './loaders';
import { type EventMeta } from './outbox';

/** What every curriculum resolver receives: the verified actor, the database, fresh loaders and the access gate. */
export interface CurriculumContext extends RequestContext {
  dataSource: DataSource;
  loaders: CurriculumLoaders;
  access: AccessGate;
  /** Recorded with every event this request writes. */
  eventMeta: EventMeta;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createCurriculumContext(base: RequestContext, deps: { dataSource: DataSource }): CurriculumContext {
  const loaders = createLoaders(deps.dataSource);
  return {
    ...base,
    dataSource: deps.dataSource,
    loaders,
    access: createAccessGate(base.actor, loaders),
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
  };
}

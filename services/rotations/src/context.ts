import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createLoaders, type RotationsLoaders } from './loaders';
import { type EventMeta } from './outbox';
import { rotationsSettings, type RotationsSettings } from './settings';

/** What every rotations resolver receives: the actor, the database, fresh loaders, one clock reading. */
export interface RotationsContext extends RequestContext {
  dataSource: DataSource;
  loaders: RotationsLoaders;
  /** Recorded with every event this request writes (and in the placement audit trail). */
  eventMeta: EventMeta & { actorId: string };
  settings: RotationsSettings;
  /** The request's "now": every grant and window check of one request agrees on it. */
  now: Date;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createRotationsContext(
  base: RequestContext,
  deps: { dataSource: DataSource },
  settings = rotationsSettings(),
): RotationsContext {
  const now = new Date();
  return {
    ...base,
    dataSource: deps.dataSource,
    loaders: createLoaders(deps.dataSource),
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
    settings,
    now,
  };
}

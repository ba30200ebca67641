import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createLoaders, type AssessmentLoaders } from './loaders';
import { type EventMeta } from './outbox';
import { type AssessmentSettings } from './settings';

/** What every assessment resolver receives: the actor, the database, fresh loaders, settings and one clock reading. */
export interface AssessmentContext extends RequestContext {
  dataSource: DataSource;
  loaders: AssessmentLoaders;
  settings: AssessmentSettings;
  /** Recorded with every event this request writes. */
  eventMeta: EventMeta & { actorId: string };
  /** The request's "now": every grant and due-date check of one request agrees on it. */
  now: Date;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createAssessmentContext(
  base: RequestContext,
  deps: { dataSource: DataSource },
  settings: AssessmentSettings,
): AssessmentContext {
  return {
    ...base,
    dataSource: deps.dataSource,
    loaders: createLoaders(deps.dataSource),
    settings,
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
    now: new Date(),
  };
}

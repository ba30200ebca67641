import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createLoaders, type MentorshipLoaders } from './loaders';
import { type EventMeta } from './outbox';

/** What every mentorship resolver receives: the verified actor, the database and fresh loaders. */
export interface MentorshipContext extends RequestContext {
  dataSource: DataSource;
  loaders: MentorshipLoaders;
  /** Recorded with every event this request writes. */
  eventMeta: EventMeta;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createMentorshipContext(base: RequestContext, deps: { dataSource: DataSource }): MentorshipContext {
  return {
    ...base,
    dataSource: deps.dataSource,
    loaders: createLoaders(deps.dataSource),
    eventMeta: { requestId: base.requestId, actorId: base.actor.personId },
  };
}

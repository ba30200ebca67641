import { type RequestContext } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { createLoaders, type MentorshipLoaders } from './loaders';

/** What every mentorship resolver receives: the verified actor, the database and fresh loaders. */
export interface MentorshipContext extends RequestContext {
  dataSource: DataSource;
  loaders: MentorshipLoaders;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createMentorshipContext(base: RequestContext, deps: { dataSource: DataSource }): MentorshipContext {
  return { ...base, dataSource: deps.dataSource, loaders: createLoaders(deps.dataSource) };
}

import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type MentorshipLoaders } from './loaders';

/** What every mentorship resolver receives: the kit's context (actor, database, command) and fresh loaders. */
export interface MentorshipContext extends ServiceContext {
  loaders: MentorshipLoaders;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createMentorshipContext(base: ServiceContext): MentorshipContext {
  return { ...base, loaders: createLoaders(base.dataSource) };
}

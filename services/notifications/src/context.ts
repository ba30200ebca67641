import { type ServiceContext } from '@medcollab/kit';
import { createLoaders, type NotificationLoaders } from './loaders';

/** What every notifications resolver receives: the kit's context (actor, database, command) and fresh loaders. */
export interface NotificationsContext extends ServiceContext {
  loaders: NotificationLoaders;
}

/** Built once per request, so loaders cache nothing across callers. */
export function createNotificationsContext(base: ServiceContext): NotificationsContext {
  return { ...base, loaders: createLoaders(base.dataSource) };
}

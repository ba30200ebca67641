import { type ServiceContext } from '@medcollab/kit';
import { type AuditSettings } from './settings';

/** What every audit resolver receives: the kit's context and the service's settings. */
export interface AuditContext extends ServiceContext {
  settings: AuditSettings;
}

export function createAuditContext(base: ServiceContext, settings: AuditSettings): AuditContext {
  return { ...base, settings };
}

import { seedId } from './seed-ids';

/**
 * Demo network records get name-based ids, so a fresh demo database always has the same ids
 * and demo tokens minted once keep working after a reset.
 */
export const demoId = (key: string): string => seedId('medcollab-demo-network', key);
export const demoInstitutionId = (key: string): string => demoId(`institution:${key}`);
export const demoDepartmentId = (institutionKey: string, key: string): string => demoId(`department:${institutionKey}/${key}`);

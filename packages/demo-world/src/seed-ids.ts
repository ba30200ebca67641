import { createHash } from 'node:crypto';

/**
 * Name-based ids (UUID version 5 layout over SHA-1) for seeded records: the library and the
 * demo get the same ids on every install, so other services and saved queries can name them.
 */
export function seedId(namespace: string, key: string): string {
  const bytes = createHash('sha1').update(`${namespace}:${key}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const libraryId = (key: string): string => seedId('medcollab-curriculum-library', key);
export const demoCurriculumId = (key: string): string => seedId('medcollab-demo-curriculum', key);

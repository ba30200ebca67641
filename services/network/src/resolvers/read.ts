import { ensure } from '@medcollab/kit';
import type DataLoader from 'dataloader';

/**
 * The one read path shared by root fields and `__resolveReference`: batched load, then the
 * policy. Missing records are null; records the caller may not see are FORBIDDEN.
 */
export async function readWithPolicy<T>(
  loader: DataLoader<string, T | null>,
  id: string,
  allowed: (record: T) => boolean,
  deniedMessage: string,
): Promise<T | null> {
  const record = await loader.load(id);
  if (!record) return null;
  ensure(allowed(record), deniedMessage);
  return record;
}

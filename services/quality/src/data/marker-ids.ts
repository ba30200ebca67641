import { createHash } from 'node:crypto';

/** A deterministic uuid for one of the sweep's markers (a repeated sweep writes the same id, so adds nothing). */
export const uuidOf = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

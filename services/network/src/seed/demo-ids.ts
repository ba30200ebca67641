import { createHash } from 'node:crypto';

/**
 * Demo records get name-based ids (UUID version 5 layout over SHA-1), so a fresh demo
 * database always has the same ids and demo tokens minted once keep working after a reset.
 */
export function demoId(key: string): string {
  const bytes = createHash('sha1').update(`medcollab-demo-network:${key}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

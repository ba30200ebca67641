import { BlockList, isIP } from 'node:net';

/**
 * SSRF guard for webhook URLs: an institution's subscription may not make our servers call
 * into our own network. Loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, unspecified and IPv6 unique-local addresses are refused (outside
 * development, where a local receiver is the point).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  return family === 4 ? blocked.check(address, 'ipv4') : family === 6 ? blocked.check(address, 'ipv6') : true;
}

/** Why a URL may not be a webhook target, or null when it may (addresses: what its host resolves to). */
export function refuseTarget(url: string, addresses: string[], allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (!allowPrivate && parsed.protocol !== 'https:') return 'must be an https URL';
  if (!addresses.length) return 'names a host that does not resolve';
  if (!allowPrivate && addresses.some(isPrivateAddress)) return 'points at a private, loopback or link-local address';
  return null;
}

import { isPrivateAddress, refuseTarget } from '../../src/domain/webhook-target';
import { nextRetryDelay, RETRY_SCHEDULE_MS } from '../../src/domain/webhook-schedule';

describe('webhook targets (SSRF)', () => {
  it('refuses loopback, private, link-local and unique-local addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(a)).toBe(true);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1::1', '8.8.8.8']) expect(isPrivateAddress(a)).toBe(false);
  });
  it('refuses plain http, credentials and private targets outside development', () => {
    expect(refuseTarget('https://hooks.example.org/x', ['93.184.216.34'], false)).toBeNull();
    expect(refuseTarget('http://hooks.example.org/x', ['93.184.216.34'], false)).toBe('must be an https URL');
    expect(refuseTarget('https://u:p@hooks.example.org/x', ['93.184.216.34'], false)).toBe('must not carry credentials');
    expect(refuseTarget('https://metadata.internal/x', ['93.184.216.34', '169.254.169.254'], false)).toMatch(/private/);
    expect(refuseTarget('ftp://x.org/', ['93.184.216.34'], false)).toBe('must be an http(s) URL');
    expect(refuseTarget('http://127.0.0.1:9999/x', ['127.0.0.1'], true)).toBeNull();
  });
});

describe('retry schedule', () => {
  it('spans more than 24 hours and then stops', () => {
    expect(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3_600_000);
    expect(nextRetryDelay(1)).toBe(5_000);
    expect(nextRetryDelay(RETRY_SCHEDULE_MS.length + 1)).toBeNull();
    expect(nextRetryDelay(2, 0.001)).toBe(300);
  });
});

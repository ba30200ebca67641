import fc from 'fast-check';
import { intlLocalParts, localParts } from '../../src/domain/local-time';

const ZONES = ['Europe/Paris', 'Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];

describe('localParts', () => {
  it('agrees with Intl at every instant, DST changes included (cached offsets per quarter hour)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...ZONES), (ms, zone) => {
        expect(localParts(new Date(ms), zone)).toEqual(intlLocalParts(new Date(ms), zone));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with Intl on both sides of a DST change to the minute', () => {
    // Paris springs forward at 01:00Z on 29 Mar 2026; Lord Howe moves by 30 minutes at 15:00Z on 4 Oct 2026.
    for (const [zone, change] of [
      ['Europe/Paris', Date.UTC(2026, 2, 29, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30)],
    ] as const) {
      for (let m = -20; m <= 20; m++) {
        const at = new Date(change + m * 60_000 + 59_999);
        expect(localParts(at, zone)).toEqual(intlLocalParts(at, zone));
      }
    }
  });
});

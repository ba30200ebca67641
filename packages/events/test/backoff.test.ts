import fc from 'fast-check';
import { backoffDelay, deferDelay } from '../src/backoff';

const policy = { baseMs: 100, maxMs: 10_000 };

describe('backoffDelay', () => {
  it('doubles per failure until the cap, with equal jitter (half fixed, half random)', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(4, policy, () => 1)).toBe(800);
    expect(backoffDelay(30, policy, () => 1)).toBe(10_000);
    expect(backoffDelay(5_000, policy, () => 1)).toBe(10_000); // factor ** n overflows; still capped
  });

  it('treats zero or negative failures as the first one', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(-3, policy, () => 1)).toBe(100);
  });

  it('honours jitter 0 (deterministic) and jitter 1 (full jitter)', () => {
    expect(backoffDelay(3, { ...policy, jitter: 0 }, () => 0.7)).toBe(400);
    expect(backoffDelay(3, { ...policy, jitter: 1 }, () => 0)).toBe(0);
    expect(backoffDelay(3, { ...policy, jitter: 1 }, () => 0.25)).toBe(100);
  });

  it('always stays within [ceiling * (1 - jitter), ceiling] and never exceeds maxMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (failures, baseMs, maxMs, jitter, r) => {
          const ceiling = Math.min(maxMs, baseMs * 2 ** (failures - 1));
          const delay = backoffDelay(failures, { baseMs, maxMs, jitter }, () => r);
          return delay >= Math.floor(ceiling * (1 - jitter)) && delay <= Math.ceil(ceiling) && delay <= maxMs;
        },
      ),
    );
  });

  it('is monotonic in the number of failures for a fixed random draw', () => {
    let previous = 0;
    for (let n = 1; n < 20; n++) {
      const delay = backoffDelay(n, policy, () => 0.5);
      expect(delay).toBeGreaterThanOrEqual(previous);
      previous = delay;
    }
  });

  it('spreads concurrent retriers apart (jitter actually varies)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, policy)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('deferDelay', () => {
  const defer = { minMs: 50, maxMs: 1_000 };

  it('starts at the minimum and doubles per deferral, up to the maximum', () => {
    expect(deferDelay(0, defer, () => 1)).toBe(50);
    expect(deferDelay(1, defer, () => 1)).toBe(100);
    expect(deferDelay(3, defer, () => 1)).toBe(400);
    expect(deferDelay(5, defer, () => 1)).toBe(1_000);
    expect(deferDelay(10_000, defer, () => 1)).toBe(1_000);
    expect(deferDelay(-1, defer, () => 1)).toBe(50);
  });

  it('jitters between half and all of the target', () => {
    expect(deferDelay(2, defer, () => 0)).toBe(100);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const d = deferDelay(n, defer, () => r);
        return d >= defer.minMs / 2 && d <= defer.maxMs;
      }),
    );
  });
});

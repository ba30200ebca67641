import {
  accessUntilAfter,
  commitsSeat,
  holdsSeat,
  hospitalGrantActive,
  isSwappable,
  nextPlacementStatus,
  type PlacementAction,
} from '../../src/domain/placement-lifecycle';
import { PLACEMENT_STATUSES, type PlacementStatus } from '../../src/domain/model';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return `${(error as { code?: string }).code}/${(error as { details?: { reason?: string } }).details?.reason}`;
  }
  return undefined;
};

describe('the placement state machine', () => {
  const allowed: Record<PlacementAction, Partial<Record<PlacementStatus, PlacementStatus>>> = {
    confirm: { PROPOSED: 'CONFIRMED' },
    start: { CONFIRMED: 'IN_PROGRESS' },
    complete: { IN_PROGRESS: 'COMPLETED' },
    cancel: { PROPOSED: 'CANCELLED', CONFIRMED: 'CANCELLED', IN_PROGRESS: 'CANCELLED' },
  };

  it.each(Object.keys(allowed) as PlacementAction[])('%s moves only from its source states, INVALID_TRANSITION otherwise', (action) => {
    for (const status of PLACEMENT_STATUSES) {
      const expected = allowed[action][status];
      if (expected) expect(nextPlacementStatus(status, action)).toBe(expected);
      else expect(reasonOf(() => nextPlacementStatus(status, action))).toBe('CONFLICT/INVALID_TRANSITION');
    }
  });

  it('counts seats: held by all but cancelled, committed from confirmation on', () => {
    expect(PLACEMENT_STATUSES.filter(holdsSeat)).toEqual(['PROPOSED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED']);
    expect(PLACEMENT_STATUSES.filter(commitsSeat)).toEqual(['CONFIRMED', 'IN_PROGRESS', 'COMPLETED']);
  });
});

describe('hospital access through a placement', () => {
  const at = new Date('2026-10-30T16:00:00Z');

  it('is open-ended while confirmed or running, lasts the grace period after completion, ends at cancellation', () => {
    expect(accessUntilAfter('CONFIRMED', at, 30)).toBeNull();
    expect(accessUntilAfter('IN_PROGRESS', at, 30)).toBeNull();
    expect(accessUntilAfter('COMPLETED', at, 30)).toEqual(new Date('2026-11-29T16:00:00Z'));
    expect(accessUntilAfter('CANCELLED', at, 30)).toEqual(at);
    expect(accessUntilAfter('PROPOSED', at, 30)).toBeUndefined();
  });

  it('is active for confirmed and running placements, and for completed ones until their access ends', () => {
    const until = new Date('2026-11-29T16:00:00Z');
    expect(hospitalGrantActive({ status: 'CONFIRMED', accessUntil: null }, at)).toBe(true);
    expect(hospitalGrantActive({ status: 'IN_PROGRESS', accessUntil: null }, at)).toBe(true);
    expect(hospitalGrantActive({ status: 'COMPLETED', accessUntil: until }, new Date('2026-11-29T15:59:59Z'))).toBe(true);
    expect(hospitalGrantActive({ status: 'COMPLETED', accessUntil: until }, until)).toBe(false);
    expect(hospitalGrantActive({ status: 'PROPOSED', accessUntil: null }, at)).toBe(false);
    expect(hospitalGrantActive({ status: 'CANCELLED', accessUntil: at }, new Date('2026-10-01T00:00:00Z'))).toBe(false);
  });
});

describe('refused transitions, exactly', () => {
  const refusalOf = (fn: () => unknown): { code?: string; message?: string; details?: unknown } | undefined => {
    try {
      fn();
    } catch (error) {
      const e = error as { code?: string; message?: string; details?: unknown };
      return { code: e.code, message: e.message, details: e.details };
    }
    return undefined;
  };

  it.each([
    ['confirm', 'CANCELLED', 'Only a PROPOSED placement can be confirmed; this one is CANCELLED'],
    ['start', 'PROPOSED', 'Only a CONFIRMED placement can be started; this one is PROPOSED'],
    ['complete', 'CONFIRMED', 'Only a IN_PROGRESS placement can be completed; this one is CONFIRMED'],
    ['cancel', 'COMPLETED', 'Only a PROPOSED or CONFIRMED or IN_PROGRESS placement can be cancelled; this one is COMPLETED'],
  ] as const)('%s from %s names the state it is in and the states it needs', (action, status, message) => {
    expect(refusalOf(() => nextPlacementStatus(status, action))).toEqual({
      code: 'CONFLICT',
      message,
      details: { reason: 'INVALID_TRANSITION', status, action },
    });
  });

  it('lets only a placement not yet started be swapped', () => {
    expect(PLACEMENT_STATUSES.filter(isSwappable)).toEqual(['PROPOSED', 'CONFIRMED']);
  });

  it('keeps a completed grant with no end closed, and a cancelled one closed whatever its end', () => {
    const now = new Date('2026-10-30T16:00:00Z');
    const later = new Date('2026-12-01T00:00:00Z');
    expect(hospitalGrantActive({ status: 'COMPLETED', accessUntil: null }, now)).toBe(false);
    expect(hospitalGrantActive({ status: 'CANCELLED', accessUntil: later }, now)).toBe(false);
    expect(hospitalGrantActive({ status: 'PROPOSED', accessUntil: later }, now)).toBe(false);
    expect(hospitalGrantActive({ status: 'COMPLETED', accessUntil: later }, now)).toBe(true);
  });

  it('counts the grace period in whole days from the completion instant', () => {
    const at = new Date('2026-10-30T16:00:00Z');
    expect(accessUntilAfter('COMPLETED', at, 0)).toEqual(at);
    expect(accessUntilAfter('COMPLETED', at, 1)).toEqual(new Date('2026-10-31T16:00:00Z'));
  });
});

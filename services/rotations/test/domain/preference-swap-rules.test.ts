import { assertValidRanking, assertWindowOpen, type RankingEntry, windowOpen } from '../../src/domain/preference-rules';
import {
  assertExchangePair,
  assertPlacementSwappable,
  exchangedTerms,
  initialSwapStatus,
  movedTerms,
  nextSwapStatus,
  type PlacementTerms,
} from '../../src/domain/swap-rules';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return `${(error as { code?: string }).code}/${(error as { details?: { reason?: string } }).details?.reason}`;
  }
  return undefined;
};

describe('rankings', () => {
  const entry = (rank: number, over: Partial<RankingEntry> = {}): RankingEntry => ({
    rank,
    departmentId: null,
    specialty: 'SURGERY',
    blockId: null,
    ...over,
  });
  it('accepts ranks 1..n in any order, each naming one target', () => {
    expect(() => assertValidRanking([entry(2, { specialty: 'ICU' }), entry(1)])).not.toThrow();
    expect(() =>
      assertValidRanking([
        entry(1, { specialty: null, departmentId: 'd1', blockId: 'b1' }),
        entry(2, { specialty: null, departmentId: 'd1', blockId: 'b2' }),
      ]),
    ).not.toThrow();
  });
  it('refuses gaps, duplicates, targetless or double-targeted entries, and repeated choices', () => {
    expect(reasonOf(() => assertValidRanking([entry(1), entry(3, { specialty: 'ICU' })]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(reasonOf(() => assertValidRanking([entry(2)]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(reasonOf(() => assertValidRanking([entry(1), entry(1, { specialty: 'ICU' })]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(reasonOf(() => assertValidRanking([entry(1, { specialty: null })]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(reasonOf(() => assertValidRanking([entry(1, { departmentId: 'd1' })]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(reasonOf(() => assertValidRanking([entry(1), entry(2)]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
  });
  it('takes submissions from opensAt (included) until closesAt (excluded)', () => {
    const w = { opensAt: new Date('2027-01-01T00:00:00Z'), closesAt: new Date('2027-02-01T00:00:00Z') };
    expect(windowOpen(w, new Date('2027-01-01T00:00:00Z'))).toBe(true);
    expect(windowOpen(w, new Date('2027-02-01T00:00:00Z'))).toBe(false);
    expect(reasonOf(() => assertWindowOpen(w, new Date('2026-12-31T23:59:59Z')))).toBe('CONFLICT/PREFERENCE_WINDOW_CLOSED');
    expect(reasonOf(() => assertWindowOpen(null, new Date()))).toBe('CONFLICT/PREFERENCE_WINDOW_CLOSED');
  });
});

describe('swaps', () => {
  const p = (over: Partial<PlacementTerms>): PlacementTerms => ({
    id: 'p1',
    studentId: 's1',
    schoolId: 'S',
    hospitalId: 'H',
    departmentId: 'd1',
    blockId: 'b1',
    startsOn: '2026-09-07',
    endsOn: '2026-10-30',
    supervisorId: 'ci1',
    status: 'CONFIRMED',
    ...over,
  });
  it('waits for the peer on an exchange, for the coordinator on a move; then ends', () => {
    expect(initialSwapStatus(true)).toBe('AWAITING_PEER');
    expect(initialSwapStatus(false)).toBe('AWAITING_COORDINATOR');
    expect(nextSwapStatus('AWAITING_PEER', 'accept')).toBe('AWAITING_COORDINATOR');
    expect(nextSwapStatus('AWAITING_PEER', 'decline')).toBe('DECLINED');
    expect(nextSwapStatus('AWAITING_COORDINATOR', 'approve')).toBe('APPROVED');
    expect(nextSwapStatus('AWAITING_COORDINATOR', 'reject')).toBe('REJECTED');
    expect(reasonOf(() => nextSwapStatus('AWAITING_PEER', 'approve'))).toBe('CONFLICT/INVALID_TRANSITION');
    expect(reasonOf(() => nextSwapStatus('APPROVED', 'reject'))).toBe('CONFLICT/INVALID_TRANSITION');
  });
  it('exchanges sites (with their supervisors) and keeps students, ids and statuses', () => {
    const a = p({});
    const b = p({
      id: 'p2',
      studentId: 's2',
      hospitalId: 'K',
      departmentId: 'k1',
      blockId: 'b2',
      startsOn: '2027-01-04',
      endsOn: '2027-02-26',
      supervisorId: null,
      status: 'PROPOSED',
    });
    const [a2, b2] = exchangedTerms(a, b);
    expect(a2).toEqual({
      ...a,
      hospitalId: 'K',
      departmentId: 'k1',
      blockId: 'b2',
      startsOn: '2027-01-04',
      endsOn: '2027-02-26',
      supervisorId: null,
    });
    expect(b2).toEqual({
      ...b,
      hospitalId: 'H',
      departmentId: 'd1',
      blockId: 'b1',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
      supervisorId: 'ci1',
    });
  });
  it('moves to another department of the same block without the old supervisor', () => {
    expect(movedTerms(p({}), { departmentId: 'd2', hospitalId: 'H' })).toMatchObject({
      departmentId: 'd2',
      blockId: 'b1',
      supervisorId: null,
    });
    expect(reasonOf(() => movedTerms(p({}), { departmentId: 'd1', hospitalId: 'H' }))).toBe('BAD_USER_INPUT/SWAP_NOT_ALLOWED');
  });
  it('swaps only unstarted placements of one school and two students', () => {
    expect(reasonOf(() => assertPlacementSwappable(p({ status: 'IN_PROGRESS' })))).toBe('CONFLICT/INVALID_TRANSITION');
    expect(() => assertPlacementSwappable(p({ status: 'PROPOSED' }))).not.toThrow();
    expect(reasonOf(() => assertExchangePair(p({}), p({ id: 'p2' })))).toBe('BAD_USER_INPUT/SWAP_NOT_ALLOWED');
    expect(reasonOf(() => assertExchangePair(p({}), p({ id: 'p2', studentId: 's2', schoolId: 'T' })))).toBe(
      'BAD_USER_INPUT/SWAP_NOT_ALLOWED',
    );
    expect(() => assertExchangePair(p({}), p({ id: 'p2', studentId: 's2' }))).not.toThrow();
  });
});

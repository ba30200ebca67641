import { randomUUID } from 'node:crypto';
import { type EventEnvelope, InstitutionCreated, PlacementConfirmed } from '@medcollab/events';
import { freezeDuePeriods } from '../src/data/snapshots';
import { envelope } from './support/events';
import { type QualityHarness, startQuality } from './support/harness';

/**
 * A period closes at local midnight after its last day (plus grace days, 0 here) in the time
 * zone of every institution with figures in it: block BA has placements at hospital A
 * (Pacific/Auckland, UTC+13 in November) only, block BL at A and at hospital L
 * (America/Los_Angeles, UTC−8); the students' school S is in Auckland. Both end on 2026-11-01.
 */
const ids = { A: randomUUID(), L: randomUUID(), S: randomUUID(), BA: randomUUID(), BL: randomUUID() };

function placement(blockId: string, hospitalId: string): EventEnvelope {
  const placementId = randomUUID();
  return envelope(PlacementConfirmed, placementId, {
    placementId,
    studentId: randomUUID(),
    schoolId: ids.S,
    hospitalId,
    departmentId: randomUUID(),
    blockId,
    supervisorId: null,
    startsOn: '2026-10-05',
    endsOn: '2026-11-01',
    at: '2026-09-01T00:00:00.000Z',
    accessUntil: null,
  });
}
const institution = (institutionId: string, timezone: string) =>
  envelope(InstitutionCreated, institutionId, { institutionId, name: 'Hospital', kind: 'HOSPITAL', timezone });

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    institution(ids.A, 'Pacific/Auckland'),
    // The students' school counts too (its cohort's figures are in the block); an unknown zone would be UTC.
    institution(ids.S, 'Pacific/Auckland'),
    institution(ids.L, 'America/Los_Angeles'),
    placement(ids.BA, ids.A),
    placement(ids.BL, ids.A),
    placement(ids.BL, ids.L),
  ]);
});
afterAll(() => h.stop());

const frozenBlocks = async (at: string): Promise<string[]> =>
  (await freezeDuePeriods(h.dataSource, new Date(at), 5, 0)).filter((p) => p.kind === 'BLOCK').map((p) => p.id);

describe('freezing at local midnight of each institution', () => {
  it('freezes a block when its last day is over in every time zone with figures in it, not at UTC midnight', async () => {
    // 10:00 UTC on 1 November: still the block's last day in UTC and in Los Angeles, already 2 November in Auckland.
    expect(await frozenBlocks('2026-11-01T10:59:00.000Z')).toEqual([]);
    expect(await frozenBlocks('2026-11-01T11:00:00.000Z')).toEqual([ids.BA]);
    // UTC midnight is not enough for the block with figures in Los Angeles (midnight there is 08:00 UTC).
    expect(await frozenBlocks('2026-11-02T00:00:00.000Z')).toEqual([]);
    expect(await frozenBlocks('2026-11-02T07:59:00.000Z')).toEqual([]);
    expect(await frozenBlocks('2026-11-02T08:00:00.000Z')).toEqual([ids.BL]);
  });
});

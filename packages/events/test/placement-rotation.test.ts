import { randomUUID } from 'node:crypto';
import { PlacementCancelled, PlacementCompleted } from '../src';

/** ADR 0027 §9: the placement events' `rotation` is additive, so events written before it still parse. */
const placement = {
  placementId: randomUUID(),
  studentId: randomUUID(),
  schoolId: randomUUID(),
  hospitalId: randomUUID(),
  departmentId: randomUUID(),
  blockId: randomUUID(),
  supervisorId: null,
  startsOn: '2026-11-30',
  endsOn: '2026-12-27',
  at: '2026-12-28T09:00:00.000Z',
  accessUntil: null,
};
const rotation = {
  rotationId: randomUUID(),
  part: 2,
  parts: 2,
  name: "Surgery at St Mary's (Central), Block 3 – Block 4",
  startsOn: '2026-11-02',
  endsOn: '2026-12-27',
};

describe('placement events with a rotation', () => {
  it('parses an older event without one, and one that names its rotation', () => {
    expect(PlacementCompleted.schema.parse(placement)).toEqual(placement);
    expect(PlacementCompleted.schema.parse({ ...placement, rotation }).rotation).toEqual(rotation);
    expect(PlacementCancelled.schema.parse({ ...placement, reason: 'moved', rotation }).rotation).toEqual(rotation);
    // A rotation whose other parts were cancelled has one part left (ADR 0035).
    const shorter = { ...rotation, part: 1, parts: 1 };
    expect(PlacementCompleted.schema.parse({ ...placement, rotation: shorter }).rotation).toEqual(shorter);
  });

  it('refuses a part beyond the number of parts, part 0 and a missing name', () => {
    expect(PlacementCompleted.schema.safeParse({ ...placement, rotation: { ...rotation, part: 3 } }).success).toBe(false);
    expect(PlacementCompleted.schema.safeParse({ ...placement, rotation: { ...rotation, part: 0 } }).success).toBe(false);
    expect(PlacementCompleted.schema.safeParse({ ...placement, rotation: { ...rotation, part: 2, parts: 1 } }).success).toBe(false);
    expect(PlacementCompleted.schema.safeParse({ ...placement, rotation: { ...rotation, name: '' } }).success).toBe(false);
  });
});

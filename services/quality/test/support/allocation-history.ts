import { AllocationRunPublished, AllocationRunSuperseded, type EventEnvelope, SwapRequestChanged } from '@medcollab/events';
import { envelope } from './events';
import { type Network, specialtyOf, uuidFor } from './generate';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

/**
 * The events of one school's published allocation run (random seats, placements and ranks, some
 * unranked), sometimes superseded by a second run (its publication, then the first run's
 * AllocationRunSuperseded), and a swap request that may end approved: for the incremental =
 * rebuild property (issue 13's allocation figures).
 */
export function allocationHistory(net: Network, n: number, rand: () => number, prefix: string): EventEnvelope[] {
  const schoolId = pick(rand, net.schools);
  const runOf = (runId: string, supersededRunIds: string[]) => {
    const block = pick(rand, net.blocks);
    const depts = net.departments.filter(() => rand() < 0.6);
    const sites = depts.map((d) => ({ d, offered: 1 + Math.floor(rand() * 4) }));
    const placements = sites.flatMap(({ d, offered }) =>
      Array.from({ length: Math.floor(rand() * (offered + 1)) }, (_, i) => ({
        studentId: uuidFor(`${prefix}alloc-student${n}.${i}.${Math.floor(rand() * 6)}`),
        hospitalId: d.hospitalId,
        departmentId: d.id,
        specialty: specialtyOf(d.id),
        blockId: block.id,
        startsOn: block.startsOn,
        rank: rand() < 0.2 ? null : 1 + Math.floor(rand() * 3),
      })),
    );
    return envelope(AllocationRunPublished, runId, {
      runId,
      schoolId,
      academicYear: '2026-2027',
      variation: 'OPTIMAL',
      supersededRunIds,
      sites: sites.map(({ d, offered }) => ({
        hospitalId: d.hospitalId,
        departmentId: d.id,
        specialty: specialtyOf(d.id),
        blockId: block.id,
        startsOn: block.startsOn,
        seatsOffered: offered,
        seatsFilled: placements.filter((p) => p.departmentId === d.id).length,
      })),
      placements,
      at: '2026-06-01T10:00:00.000Z',
    });
  };
  const first = uuidFor(`${prefix}run${n}`);
  const out = [runOf(first, [])];
  if (rand() < 0.5) {
    const second = uuidFor(`${prefix}run${n}b`);
    out.push(
      runOf(second, [first]),
      envelope(AllocationRunSuperseded, first, { runId: first, schoolId, supersededBy: second, at: '2026-06-02T10:00:00.000Z' }, 2),
    );
  }
  const swapId = uuidFor(`${prefix}swap${n}`);
  const dept = pick(rand, net.departments);
  const block = pick(rand, net.blocks);
  const swap = (status: 'AWAITING_PEER' | 'APPROVED' | 'DECLINED', sequence: number) =>
    envelope(
      SwapRequestChanged,
      swapId,
      {
        swapId,
        schoolId,
        status,
        studentId: uuidFor(`${prefix}swap-student${n}`),
        placementId: uuidFor(`${prefix}swap-placement${n}`),
        departmentId: dept.id,
        hospitalId: dept.hospitalId,
        blockId: block.id,
        specialty: specialtyOf(dept.id),
        startsOn: block.startsOn,
        withStudentId: null,
        withPlacementId: null,
        withDepartmentId: null,
        toDepartmentId: pick(rand, net.departments).id,
        at: '2026-07-01T10:00:00.000Z',
      },
      sequence,
    );
  out.push(swap('AWAITING_PEER', 1), swap(rand() < 0.6 ? 'APPROVED' : 'DECLINED', 2));
  return out;
}

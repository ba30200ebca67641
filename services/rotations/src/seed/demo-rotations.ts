import {
  DEMO_ACADEMIC_YEAR,
  DEMO_BLOCKS,
  DEMO_PLACEMENTS,
  type DemoBlockKey,
  type DemoNetworkSummary,
  demoBlockId,
  demoDepartmentId,
  demoId,
  demoNetworkFacts,
  demoPlacementId,
} from '@medcollab/demo-world';
import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { createRotationBlock } from '../data/blocks';
import { type CommandOptions, createPlacement, transitionPlacement } from '../data/placements';
import { openPreferenceWindow } from '../data/preferences';
import { setSiteCapacity } from '../data/seats';
import { type PlacementStatus } from '../domain/model';
import { createPlacementSchema, createRotationBlockSchema, openPreferenceWindowSchema, setSiteCapacitySchema } from '../domain/validation';
import { RotationBlock } from '../entities';
import {
  projectAgreementActivated,
  projectAgreementEnded,
  projectStaffRegistered,
  projectStudentRegistered,
} from '../projections/network-events';
import { rotationsSettings } from '../settings';

/** Departments (hospital key / department key) the first school may use, with seats per block. */
const SITES: { hospital: string; department: string; seats: number }[] = [
  ...['im', 'surgery', 'ed', 'cardio', 'neuro', 'icu', 'radiology'].map((department) => ({
    hospital: 'northbridge-general',
    department,
    seats: department === 'icu' ? 2 : 3,
  })),
  ...['peds', 'peded', 'nicu'].map((department) => ({ hospital: 'mercy-riverside', department, seats: 2 })),
];

const STEPS: Record<PlacementStatus, ('confirm' | 'start' | 'complete' | 'cancel')[]> = {
  PROPOSED: [],
  CONFIRMED: ['confirm'],
  IN_PROGRESS: ['confirm', 'start'],
  COMPLETED: ['confirm', 'start', 'complete'],
  CANCELLED: ['cancel'],
};

export interface DemoRotationsSummary {
  /** True when this call loaded the demo; false when the first school already had blocks. */
  created: boolean;
  schoolId: string;
  academicYear: string;
  blocks: { id: string; name: string }[];
  placements: Record<PlacementStatus, number>;
}

/**
 * Loads the rotations demo for the demo network, in one transaction and through the same
 * commands as the API (so placement events reach the outbox and the network's access grants
 * follow once the workers run). The network facts rotations needs are written first through
 * the very handlers its consumer uses (idempotent: the real events change nothing when they
 * arrive). Blocks for the first school's academic year, seats at its partner hospitals under
 * the demo agreements, placements in every state, and next year's preference window.
 */
export async function seedDemoRotations(dataSource: DataSource, network: DemoNetworkSummary): Promise<DemoRotationsSummary> {
  const facts = demoNetworkFacts(network);
  const schoolId = network.coordinator.institutionId;
  const created = await dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('rotations.demo-seed'))`);
    for (const s of facts.students) await projectStudentRegistered(em, s);
    for (const s of facts.staff) await projectStaffRegistered(em, s);
    for (const a of facts.activations) await projectAgreementActivated(em, a);
    for (const a of facts.endings) await projectAgreementEnded(em, a);
    if (await em.getRepository(RotationBlock).countBy({ schoolId })) return false;
    await loadDemo(
      em,
      network,
      facts.students.filter((s) => s.schoolId === schoolId).map((s) => s.studentId),
    );
    return true;
  });
  const blocks = await dataSource
    .getRepository(RotationBlock)
    .find({ where: { schoolId, academicYear: DEMO_ACADEMIC_YEAR }, order: { startsOn: 'ASC' } });
  const counts = (await dataSource.query(`SELECT status, count(*)::int AS n FROM placement WHERE school_id = $1 GROUP BY status`, [
    schoolId,
  ])) as { status: PlacementStatus; n: number }[];
  const placements = { PROPOSED: 0, CONFIRMED: 0, IN_PROGRESS: 0, COMPLETED: 0, CANCELLED: 0 };
  for (const c of counts) placements[c.status] = c.n;
  return { created, schoolId, academicYear: DEMO_ACADEMIC_YEAR, blocks: blocks.map((b) => ({ id: b.id, name: b.name })), placements };
}

async function loadDemo(em: EntityManager, network: DemoNetworkSummary, schoolStudents: string[]): Promise<void> {
  const schoolId = network.coordinator.institutionId;
  const meta = { requestId: 'seed:demo-rotations', actorId: network.coordinator.id };
  const opts: CommandOptions = { meta, now: new Date(), graceDays: rotationsSettings().grantDaysAfterCompletion };
  const blockIds = new Map<DemoBlockKey, string>();
  for (const [key, b] of Object.entries(DEMO_BLOCKS) as [DemoBlockKey, (typeof DEMO_BLOCKS)[DemoBlockKey]][]) {
    const input = parseInput(createRotationBlockSchema, {
      schoolId,
      academicYear: DEMO_ACADEMIC_YEAR,
      name: b.name,
      startsOn: b.startsOn,
      endsOn: b.endsOn,
    });
    blockIds.set(key, (await createRotationBlock(em, input, { id: demoBlockId(key) })).id);
  }
  for (const site of SITES) {
    for (const blockId of blockIds.values()) {
      const input = parseInput(setSiteCapacitySchema, {
        departmentId: demoDepartmentId(site.hospital, site.department),
        blockId,
        schoolId,
        seats: site.seats,
      });
      await setSiteCapacity(em, input, network.hospitalCoordinator.id);
    }
  }
  // The summary's demo student first, so "student 0" is the one the demo tokens name.
  const students = [network.student.id, ...schoolStudents.filter((id) => id !== network.student.id)];
  for (const p of DEMO_PLACEMENTS) {
    const [hospital, department] = p.site.split('/') as [string, string];
    const input = parseInput(createPlacementSchema, {
      studentId: students[p.student],
      departmentId: demoDepartmentId(hospital, department),
      blockId: blockIds.get(p.block),
      supervisorId: p.supervised ? network.clinicalInstructor.id : null,
    });
    const placement = await createPlacement(em, input, { ...opts, id: demoPlacementId(p.index) });
    for (const action of STEPS[p.status])
      await transitionPlacement(em, placement.id, action, {
        ...opts,
        reason: action === 'cancel' ? 'Student requested a different rotation' : undefined,
      });
  }
  const window = parseInput(openPreferenceWindowSchema, {
    schoolId,
    academicYear: '2027-2028',
    opensAt: '2026-11-01T00:00:00Z',
    closesAt: '2027-01-31T23:59:59Z',
  });
  await openPreferenceWindow(em, window, { id: demoId('rotations/preference-window:2027-2028'), now: opts.now, meta });
}

import {
  DEMO_POST_PROFILE,
  demoCurriculumId,
  LIBRARY,
  demoId,
  type DemoNetworkSummary,
  demoDepartmentId,
  demoInstitutionId,
  demoNetworkFacts,
  type DemoNetworkFacts,
} from '@medcollab/demo-world';
import {
  type CompetencyFrameworkPublished,
  parsePayload,
  type PayloadOf,
  PlacementCompleted,
  PostProfilePublished,
} from '@medcollab/events';
import { libraryIds } from '@medcollab/demo-world';

/**
 * The other services' demo facts assessment needs, rebuilt from their deterministic catalogues
 * (the same keys and name-based ids), so the demo can project them through assessment's own
 * handlers before the real events arrive: the network's people and agreements (rotations'
 * reconstruction, checked against the network summary), the curriculum's library and demo post
 * profile, and the rotations demo placements that reached confirmation (checked against a
 * seeded rotations database by test/seed.test.ts).
 */
export const DEMO_BLOCKS = {
  b1: { name: 'Block 1', startsOn: '2026-09-07', endsOn: '2026-10-30' },
  b2: { name: 'Block 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
  b3: { name: 'Block 3', startsOn: '2027-01-11', endsOn: '2027-03-05' },
} as const;

/** Rotations' demo placements 0–8 (by index; student 0 is the summary's demo student), as far as they went. */
export const DEMO_PLACEMENTS: {
  index: number;
  student: number;
  block: keyof typeof DEMO_BLOCKS;
  site: string;
  status: 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED';
  supervised?: boolean;
}[] = [
  { index: 0, student: 1, block: 'b1', site: 'northbridge-general/im', status: 'COMPLETED', supervised: true },
  { index: 1, student: 2, block: 'b1', site: 'northbridge-general/surgery', status: 'COMPLETED' },
  { index: 2, student: 3, block: 'b1', site: 'mercy-riverside/peds', status: 'COMPLETED' },
  { index: 3, student: 0, block: 'b2', site: 'northbridge-general/im', status: 'IN_PROGRESS', supervised: true },
  { index: 4, student: 4, block: 'b2', site: 'northbridge-general/ed', status: 'IN_PROGRESS' },
  { index: 5, student: 5, block: 'b2', site: 'mercy-riverside/peded', status: 'IN_PROGRESS' },
  { index: 6, student: 1, block: 'b3', site: 'northbridge-general/cardio', status: 'CONFIRMED' },
  { index: 7, student: 2, block: 'b3', site: 'northbridge-general/im', status: 'CONFIRMED', supervised: true },
  { index: 8, student: 0, block: 'b3', site: 'mercy-riverside/nicu', status: 'CONFIRMED' },
];

export type PlacementPayload = PayloadOf<typeof PlacementCompleted>;

export interface DemoPlacement {
  status: 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED';
  /** The payload of each event the placement went through, in order. */
  events: { type: 'PlacementConfirmed' | 'PlacementStarted' | 'PlacementCompleted'; payload: PlacementPayload }[];
}

export interface DemoFacts {
  network: DemoNetworkFacts;
  frameworks: PayloadOf<typeof CompetencyFrameworkPublished>[];
  postProfile: PayloadOf<typeof PostProfilePublished>;
  placements: DemoPlacement[];
  /** "<framework key>/<code>" → competency id. */
  competencyId: (ref: string) => string;
}

const DAY = 86_400_000;
const instant = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

export function demoFacts(summary: DemoNetworkSummary): DemoFacts {
  const network = demoNetworkFacts(summary);
  const ids = Object.fromEntries(LIBRARY.map((f) => [f.key, libraryIds(f)]));
  const competencyId = (ref: string): string => {
    const [framework, code] = [ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1)];
    const id = ids[framework]?.competencyIds[code];
    if (!id) throw new Error(`The curriculum library holds no ${ref}`);
    return id;
  };
  const frameworks = LIBRARY.map((f) => ({
    frameworkId: ids[f.key]!.id,
    name: f.name,
    version: f.version,
    competencies: f.competencies.map((c) => ({
      id: competencyId(`${f.key}/${c.code}`),
      code: c.code,
      domain: c.domain,
      parentId: c.parentCode ? competencyId(`${f.key}/${c.parentCode}`) : null,
    })),
  }));
  const postProfile = parsePayload(PostProfilePublished, {
    postProfileId: demoCurriculumId(`post-profile:${DEMO_POST_PROFILE.key}`),
    title: DEMO_POST_PROFILE.title,
    scale: DEMO_POST_PROFILE.scale,
    requirements: DEMO_POST_PROFILE.requirements.map(([ref, level]) => ({ competencyId: competencyId(ref), level })),
  });

  const schoolId = summary.coordinator.institutionId;
  const students = [
    summary.student.id,
    ...network.students.filter((s) => s.schoolId === schoolId && s.studentId !== summary.student.id).map((s) => s.studentId),
  ];
  const placements = DEMO_PLACEMENTS.map((p): DemoPlacement => {
    const [hospital, department] = p.site.split('/') as [string, string];
    const block = DEMO_BLOCKS[p.block];
    const base = {
      placementId: demoId(`rotations/placement:${p.index}`),
      studentId: students[p.student] as string,
      schoolId,
      hospitalId: demoInstitutionId(hospital),
      departmentId: demoDepartmentId(hospital, department),
      blockId: demoId(`rotations/block:${p.block}`),
      blockName: block.name,
      supervisorId: p.supervised ? summary.clinicalInstructor.id : null,
      startsOn: block.startsOn,
      endsOn: block.endsOn,
    };
    const completedAt = instant(block.endsOn, 17);
    const events: DemoPlacement['events'] = [
      {
        type: 'PlacementConfirmed',
        payload: parsePayload(PlacementCompleted, {
          ...base,
          at: new Date(instant(block.startsOn, 9).getTime() - 30 * DAY).toISOString(),
          accessUntil: null,
        }),
      },
    ];
    if (p.status !== 'CONFIRMED')
      events.push({
        type: 'PlacementStarted',
        payload: parsePayload(PlacementCompleted, { ...base, at: instant(block.startsOn, 8).toISOString(), accessUntil: null }),
      });
    if (p.status === 'COMPLETED') {
      events.push({
        type: 'PlacementCompleted',
        payload: parsePayload(PlacementCompleted, {
          ...base,
          at: completedAt.toISOString(),
          accessUntil: new Date(completedAt.getTime() + 30 * DAY).toISOString(),
        }),
      });
    }
    return { status: p.status, events };
  });
  return { network, frameworks, postProfile, placements, competencyId };
}

import {
  DEMO_BLOCKS,
  DEMO_HOSPITALS,
  DEMO_PLACEMENTS,
  DEMO_POST_PROFILE,
  demoBlockId,
  demoPlacementId,
  demoCurriculumId,
  LIBRARY,
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
 * seeded rotations database by test/seed.test.ts). The rotations demo itself (blocks and
 * placements) is declared once, in @medcollab/demo-world: these are its placements that reached
 * confirmation.
 */
const CONFIRMED_DEMO_PLACEMENTS = DEMO_PLACEMENTS.filter(
  (p): p is (typeof DEMO_PLACEMENTS)[number] & { status: DemoPlacement['status'] } =>
    p.status === 'CONFIRMED' || p.status === 'IN_PROGRESS' || p.status === 'COMPLETED',
);

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
  const placements = CONFIRMED_DEMO_PLACEMENTS.map((p): DemoPlacement => {
    const [hospital, department] = p.site.split('/') as [string, string];
    const block = DEMO_BLOCKS[p.block];
    // As rotations' events carry it (ADR 0047): the department's specialty, absent while unknown.
    const specialty = DEMO_HOSPITALS.find((h) => h.key === hospital)?.departments.find((d) => d.key === department)?.specialty;
    const base = {
      ...(specialty ? { specialty } : {}),
      placementId: demoPlacementId(p.index),
      studentId: students[p.student] as string,
      schoolId,
      hospitalId: demoInstitutionId(hospital),
      departmentId: demoDepartmentId(hospital, department),
      blockId: demoBlockId(p.block),
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

import {
  type DemoNetworkSummary,
  DEMO_MODULES,
  DEMO_POST_PROFILE,
  DEMO_PROGRAM,
  DEMO_TRACKS,
  demoCurriculumId,
} from '@medcollab/demo-world';
import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { changeTrack, enrollStudent, recordModuleCompletion } from '../data/enrollments';
import { createPostProfile } from '../data/post-profiles';
import { addModule, createProgram, createTrack } from '../data/programs';
import { addLearningObjective, addTeachingSession } from '../data/teaching';
import { recommendTrack } from '../domain/track-recommendation';
import {
  addModuleSchema,
  addObjectiveSchema,
  addSessionSchema,
  createPostProfileSchema,
  createProgramSchema,
  createTrackSchema,
  enrollStudentSchema,
} from '../domain/validation';
import { Program } from '../entities';
import { type EventMeta } from '../outbox';
import { checkAgainstSummary, feedDemoNetworkEvents, firstSchoolStudents } from './demo-network-feed';
import { type SeededFramework } from '@medcollab/demo-world';
import { seedCompetencyLibrary } from './library';

/** What the demo seed produced (or found): the ids a demo needs. */
export interface DemoCurriculumSummary {
  /** True when this call loaded the demo program; false when it was there already. */
  created: boolean;
  schoolId: string;
  programId: string;
  postProfileId: string;
  frameworks: Record<string, SeededFramework>;
  trackIds: Record<'clinical' | 'research' | 'em', string>;
  moduleIds: Record<string, string>;
  enrolledStudentIds: string[];
}

const DAY_MS = 86_400_000;
/** Sessions are scheduled from this fixed Monday on, so the demo is the same on every run. */
const TERM_START = Date.parse('2025-09-01T08:30:00Z');

const moduleId = (code: string) => demoCurriculumId(`module:${code}`);
const trackId = (key: string) => demoCurriculumId(`track:${key}`);

/** "<framework key>/<code>" → the seeded competency's id. */
function competencyResolver(frameworks: Record<string, SeededFramework>) {
  return (ref: string): string => {
    const slash = ref.indexOf('/');
    const id = frameworks[ref.slice(0, slash)]?.competencyIds[ref.slice(slash + 1)];
    if (!id) throw new Error(`The demo catalogue names ${ref}, which the competency library does not hold`);
    return id;
  };
}

/**
 * Loads the demo curriculum of the first demo school: the competency library, an integrated
 * program of eight organ-system modules with deliberate gaps, three tracks, the "Emergency
 * medicine resident, year 1" post profile, and the school's students enrolled (with a track
 * change and a few completions). One transaction, through the same validation and commands as
 * the API (enrolments put EnrollmentChanged in the outbox). The network projections it needs
 * are written through the event handlers first (see demo-network-feed.ts). Idempotent.
 */
export async function seedDemoCurriculum(dataSource: DataSource, network: DemoNetworkSummary): Promise<DemoCurriculumSummary> {
  checkAgainstSummary(network);
  const frameworks = await seedCompetencyLibrary(dataSource);
  const schoolId = network.institutionAdmin.institutionId;
  const programId = demoCurriculumId(`program:${DEMO_PROGRAM.key}`);
  const created = await dataSource.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('curriculum.demo-seed'))`);
    await feedDemoNetworkEvents(em);
    if (await em.getRepository(Program).existsBy({ id: programId })) return false;
    const meta: EventMeta = { requestId: 'seed:demo-curriculum', actorId: network.institutionAdmin.id };
    await loadDemoProgram(em, schoolId, programId, frameworks);
    await loadEnrolments(em, programId, network, meta);
    return true;
  });
  return {
    created,
    schoolId,
    programId,
    postProfileId: demoCurriculumId(`post-profile:${DEMO_POST_PROFILE.key}`),
    frameworks,
    trackIds: { clinical: trackId('clinical'), research: trackId('research'), em: trackId('em') },
    moduleIds: Object.fromEntries(DEMO_MODULES.map((m) => [m.code, moduleId(m.code)])),
    enrolledStudentIds: firstSchoolStudents().map((s) => s.studentId),
  };
}

async function loadDemoProgram(
  em: EntityManager,
  schoolId: string,
  programId: string,
  frameworks: Record<string, SeededFramework>,
): Promise<void> {
  const competency = competencyResolver(frameworks);
  await createProgram(em, parseInput(createProgramSchema, { schoolId, title: DEMO_PROGRAM.title, description: DEMO_PROGRAM.description }), {
    id: programId,
  });
  for (const t of DEMO_TRACKS) {
    await createTrack(
      em,
      parseInput(createTrackSchema, { programId, kind: t.kind, title: t.title, specialty: t.specialty, description: t.description }),
      { id: trackId(t.key) },
    );
  }
  for (const [index, m] of DEMO_MODULES.entries()) {
    const input = parseInput(addModuleSchema, {
      programId,
      code: m.code,
      title: m.title,
      organSystem: m.organSystem,
      year: m.year,
      disciplines: m.disciplines.map(([discipline, hours]) => ({ discipline, hours })),
      prerequisiteModuleIds: m.prerequisites.map(moduleId),
    });
    await addModule(em, input, { id: moduleId(m.code) });
    const objectiveIds = new Map<string, string>();
    for (const o of m.objectives) {
      const id = demoCurriculumId(`objective:${o.key}`);
      await addLearningObjective(
        em,
        parseInput(addObjectiveSchema, {
          moduleId: moduleId(m.code),
          statement: o.statement,
          competencyIds: o.competencies.map(competency),
        }),
        { id },
      );
      objectiveIds.set(o.key, id);
    }
    for (const [n, s] of m.sessions.entries()) {
      const input = parseInput(addSessionSchema, {
        moduleId: moduleId(m.code),
        title: s.title,
        method: s.method,
        delivery: s.delivery,
        durationMinutes: s.durationMinutes,
        // Two weeks per module within a year, a session every other day.
        startsAt: new Date(TERM_START + ((m.year - 1) * 365 + index * 14 + n * 2) * DAY_MS).toISOString(),
        objectiveIds: s.objectives.map((key) => objectiveIds.get(key)),
      });
      await addTeachingSession(em, input, { id: demoCurriculumId(`session:${m.code}/${n}`) });
    }
  }
  const profile = DEMO_POST_PROFILE;
  await createPostProfile(
    em,
    parseInput(createPostProfileSchema, {
      title: profile.title,
      specialty: profile.specialty,
      description: profile.description,
      scale: profile.scale,
      requirements: profile.requirements.map(([ref, level]) => ({ competencyId: competency(ref), level })),
    }),
    null,
    { id: demoCurriculumId(`post-profile:${profile.key}`) },
  );
}

/**
 * Every student of the school is enrolled on the track the advice would give them (the seed
 * may apply it; the API never does). One student later moves to the emergency medicine
 * pathway, and the senior cohorts have completed the year-1 modules.
 */
async function loadEnrolments(em: EntityManager, programId: string, network: DemoNetworkSummary, meta: EventMeta): Promise<void> {
  const actorId = network.institutionAdmin.id;
  const tracks = DEMO_TRACKS.map((t) => ({ id: trackId(t.key), kind: t.kind, title: t.title }));
  const students = firstSchoolStudents();
  for (const [i, s] of students.entries()) {
    const advice = recommendTrack(s.priorClinicalYears, tracks);
    const input = parseInput(enrollStudentSchema, { studentId: s.studentId, programId, trackId: advice.trackId });
    await enrollStudent(em, input, actorId, meta, {
      id: demoCurriculumId(`enrollment:${s.studentId}`),
      now: new Date(Date.UTC(s.cohortYear, 8, 1, 9, i)),
    });
  }
  const mover = students.find((s) => s.studentId === network.student.id) ?? (students[0] as (typeof students)[number]);
  await changeTrack(
    em,
    { studentId: mover.studentId, programId, trackId: trackId('em'), reason: 'Chose emergency medicine after the acute care elective' },
    actorId,
    meta,
  );
  for (const s of students.filter((x) => x.cohortYear <= 2023)) {
    for (const code of ['FND-101', 'CVS-102', 'RES-103']) {
      await recordModuleCompletion(
        em,
        { studentId: s.studentId, moduleId: moduleId(code), completedOn: `${s.cohortYear + 1}-06-15` },
        actorId,
        `${s.cohortYear + 1}-06-15`,
        meta,
      );
    }
  }
}

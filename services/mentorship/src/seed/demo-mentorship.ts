import {
  DEMO_AGREEMENTS,
  DEMO_HOSPITALS,
  DEMO_SCHOOLS,
  type DemoInstitution,
  demoId,
  type DemoNetworkSummary,
  demoStaff,
  demoStudents,
} from '@medcollab/demo-world';
import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { upsertMentorProfile } from '../data/profiles';
import { upsertMentorProfileSchema } from '../domain/validation';
import { KnownStaff, MentorProfile } from '../entities';
import { projectAgreementActivated, projectAgreementEnded, projectStaff, projectStudent } from '@medcollab/projections';

/**
 * The demo's mentoring: a mentor profile for every demo MENTOR (school teachers who mentor,
 * hospital clinical instructors who mentor). The network demo is deterministic, so the
 * people and agreements are rebuilt from its catalogue and written into mentorship's
 * projections through the SAME handler functions the event consumer uses (idempotent
 * upserts): the demo works before the worker has caught up, and the real events change
 * nothing when they arrive. Safe to run again.
 */

export interface DemoMentorshipSummary {
  /** Mentor profiles written by this call (0 when they were all there already). */
  profilesCreated: number;
  mentors: { id: string; institutionId: string; roles: string[] }[];
  /** A cohort of the first school whose students the demo coordinator can match. */
  cohort: { schoolId: string; cohortYear: number; studentIds: string[] };
}

const SCHOOLS = DEMO_SCHOOLS;
const ALL: DemoInstitution[] = [...DEMO_SCHOOLS, ...DEMO_HOSPITALS];
const institutionId = (key: string) => demoId(`institution:${key}`);
const departmentId = (institutionKey: string, key: string) => demoId(`department:${institutionKey}/${key}`);
const DEMO_COHORT_YEAR = 2023;

const RESEARCH_AREAS = [
  ['medical education', 'assessment validity'],
  ['sepsis outcomes', 'clinical epidemiology'],
  ['health services research'],
];

async function writeProjections(em: EntityManager): Promise<void> {
  for (const [index, school] of SCHOOLS.entries()) {
    for (const s of demoStudents(school, index)) {
      await projectStudent(em, {
        studentId: demoId(`student:${s.key}`),
        schoolId: institutionId(school.key),
        email: s.email,
        cohortYear: s.cohortYear,
        priorClinicalYears: s.priorClinicalYears,
      });
    }
  }
  for (const [index, inst] of ALL.entries()) {
    for (const p of demoStaff(inst, index)) {
      await projectStaff(em, {
        staffId: demoId(`staff:${p.key}`),
        institutionId: institutionId(inst.key),
        departmentId: p.department ? departmentId(inst.key, p.department) : null,
        roles: p.roles,
      });
    }
  }
  for (const a of DEMO_AGREEMENTS) {
    if (a.finalStatus === 'PROPOSED') continue;
    const hospital = ALL.find((i) => i.key === a.hospital) as DemoInstitution;
    const keys = a.departments === '*' ? hospital.departments.map((d) => d.key) : a.departments;
    const ids = { agreementId: demoId(`agreement:${a.key}`), schoolId: institutionId(a.school), hospitalId: institutionId(a.hospital) };
    await projectAgreementActivated(em, {
      ...ids,
      departmentIds: keys.map((k) => departmentId(a.hospital, k)),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
    });
    if (a.finalStatus === 'ENDED') await projectAgreementEnded(em, { ...ids, endedOn: a.endedOn ?? a.endsOn });
  }
}

/** The profile a demo mentor offers: school mentors lean to research and groups, hospital ones to clinical one-on-one. */
function demoProfile(inst: DemoInstitution, instIndex: number, departmentKey: string | null, n: number) {
  const specialty = inst.departments.find((d) => d.key === departmentKey)?.specialty ?? null;
  if (inst.kind === 'SCHOOL') {
    const research = n % 2 === 0;
    return {
      capacity: research ? 3 : 2,
      specialties: specialty ? [specialty] : [],
      researchAreas: research ? (RESEARCH_AREAS[instIndex % RESEARCH_AREAS.length] as string[]) : [],
      researchActive: research,
      formats: research ? ['ONE_ON_ONE', 'SMALL_GROUP'] : ['SMALL_GROUP'],
      hoursPerMonth: research ? 6 : 4,
    };
  }
  return {
    capacity: 3,
    specialties: specialty ? [specialty] : [],
    researchAreas: instIndex % 2 === 0 ? (RESEARCH_AREAS[1] as string[]) : [],
    researchActive: instIndex % 2 === 0,
    formats: ['ONE_ON_ONE'],
    hoursPerMonth: 4,
  };
}

/** Checks the network database is the demo network this seed rebuilds (same ids). */
function checkSameDemo(network: DemoNetworkSummary): void {
  const first = SCHOOLS[0] as DemoInstitution;
  const expected = demoId(`student:${demoStudents(first, 0)[0]?.key}`);
  if (network.student.id !== expected || network.schools[0]?.id !== institutionId(first.key)) {
    throw new Error('The network database does not hold the demo network; the mentorship demo can only be seeded against it');
  }
}

export async function seedDemoMentorship(ds: DataSource, network: DemoNetworkSummary): Promise<DemoMentorshipSummary> {
  checkSameDemo(network);
  return ds.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('mentorship.demo-seed'))`);
    await writeProjections(em);
    const mentors: DemoMentorshipSummary['mentors'] = [];
    let profilesCreated = 0;
    for (const [index, inst] of ALL.entries()) {
      let n = 0;
      for (const p of demoStaff(inst, index)) {
        if (!p.roles.includes('MENTOR')) continue;
        const staffId = demoId(`staff:${p.key}`);
        const staff = (await em.getRepository(KnownStaff).findOneByOrFail({ id: staffId })) as KnownStaff;
        const exists = await em.getRepository(MentorProfile).existsBy({ staffId });
        const input = parseInput(upsertMentorProfileSchema, {
          staffId,
          acceptingMentees: true,
          ...demoProfile(inst, index, p.department, n++),
        });
        if (!exists) {
          await upsertMentorProfile(em, staff, input, { id: demoId(`mentor-profile:${p.key}`) });
          profilesCreated++;
        }
        mentors.push({ id: staffId, institutionId: staff.institutionId, roles: p.roles });
      }
    }
    const first = SCHOOLS[0] as DemoInstitution;
    const studentIds = demoStudents(first, 0)
      .filter((s) => s.cohortYear === DEMO_COHORT_YEAR)
      .map((s) => demoId(`student:${s.key}`));
    return { profilesCreated, mentors, cohort: { schoolId: institutionId(first.key), cohortYear: DEMO_COHORT_YEAR, studentIds } };
  });
}

import { parseInput } from '@medcollab/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { activateAgreement, endAgreement, proposeAgreement } from '../data/agreements';
import { createDepartment } from '../data/departments';
import { createInstitution } from '../data/institutions';
import { registerStaffMember } from '../data/staff';
import { registerStudent } from '../data/students';
import {
  createDepartmentSchema,
  createInstitutionSchema,
  proposeAgreementSchema,
  registerStaffMemberSchema,
  registerStudentSchema,
} from '../domain/validation';
import { CollaborationAgreement, Department, Institution, StaffMember, Student } from '../entities';
import { type EventMeta } from '../outbox';
import {
  DEMO_AGREEMENTS,
  DEMO_HOSPITALS,
  DEMO_NETWORK_ADMIN,
  DEMO_SCHOOLS,
  type DemoAgreement,
  type DemoInstitution,
  type DemoNetworkSummary,
  type DemoPerson,
  demoId,
  demoStaff,
  demoStudents,
} from '@medcollab/demo-world';

const ALL_INSTITUTIONS: DemoInstitution[] = [...DEMO_SCHOOLS, ...DEMO_HOSPITALS];
const institutionId = (key: string) => demoId(`institution:${key}`);
const departmentId = (institutionKey: string, key: string) => demoId(`department:${institutionKey}/${key}`);
const networkAdminEmail = `${DEMO_NETWORK_ADMIN.localPart}@${(DEMO_SCHOOLS[0] as DemoInstitution).domain}`;

/**
 * Loads the demo network when the network database has no institutions, in one transaction
 * and through the same validation and commands as the API (so events reach the outbox).
 * Either way it returns the summary, looking the demo records up when they already exist.
 */
export async function seedDemoNetwork(dataSource: DataSource): Promise<DemoNetworkSummary> {
  const created = await dataSource.transaction(async (em) => {
    // Two processes starting at once (API and worker) must not both load the demo.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('network.demo-seed'))`);
    if ((await em.getRepository(Institution).count()) > 0) return false;
    await loadDemoNetwork(em);
    return true;
  });
  return summarize(dataSource, created);
}

async function loadDemoNetwork(em: EntityManager): Promise<void> {
  const meta: EventMeta = { requestId: 'seed:demo-network', actorId: demoId('staff:network-admin') };
  const currentYear = new Date().getUTCFullYear();

  for (const inst of ALL_INSTITUTIONS) {
    const input = parseInput(createInstitutionSchema, { name: inst.name, kind: inst.kind, timezone: inst.timezone });
    await createInstitution(em, input, { id: institutionId(inst.key), meta });
    for (const d of inst.departments) {
      const dInput = parseInput(createDepartmentSchema, { institutionId: institutionId(inst.key), name: d.name, specialty: d.specialty });
      await createDepartment(em, dInput, { id: departmentId(inst.key, d.key), meta });
    }
  }

  const admin = DEMO_NETWORK_ADMIN;
  await registerStaffMember(
    em,
    parseInput(registerStaffMemberSchema, {
      institutionId: institutionId((DEMO_SCHOOLS[0] as DemoInstitution).key),
      givenName: admin.givenName,
      familyName: admin.familyName,
      email: networkAdminEmail,
      roles: admin.roles,
    }),
    meta,
    { id: demoId('staff:network-admin') },
  );

  for (const [index, inst] of ALL_INSTITUTIONS.entries()) {
    for (const person of demoStaff(inst, index)) {
      const input = parseInput(registerStaffMemberSchema, {
        institutionId: institutionId(inst.key),
        departmentId: person.department ? departmentId(inst.key, person.department) : null,
        givenName: person.givenName,
        familyName: person.familyName,
        email: person.email,
        roles: person.roles,
      });
      await registerStaffMember(em, input, meta, { id: demoId(`staff:${person.key}`) });
    }
  }

  const studentSchema = registerStudentSchema(currentYear);
  for (const [index, school] of DEMO_SCHOOLS.entries()) {
    for (const s of demoStudents(school, index)) {
      const input = parseInput(studentSchema, { schoolId: institutionId(school.key), ...s });
      await registerStudent(em, input, meta, { id: demoId(`student:${s.key}`) });
    }
  }

  for (const agreement of DEMO_AGREEMENTS) await loadAgreement(em, agreement, meta);
}

const DAY_MS = 86_400_000;

/** Proposes, then activates and ends as the catalogue says, so each step emits its event. */
async function loadAgreement(em: EntityManager, a: DemoAgreement, meta: EventMeta): Promise<void> {
  const hospital = ALL_INSTITUTIONS.find((i) => i.key === a.hospital) as DemoInstitution;
  const keys = a.departments === '*' ? hospital.departments.map((d) => d.key) : a.departments;
  const input = parseInput(proposeAgreementSchema, {
    schoolId: institutionId(a.school),
    hospitalId: institutionId(a.hospital),
    departmentIds: keys.map((k) => departmentId(a.hospital, k)),
    startsOn: a.startsOn,
    endsOn: a.endsOn,
  });
  const id = demoId(`agreement:${a.key}`);
  await proposeAgreement(em, input, { id });
  if (a.finalStatus === 'PROPOSED') return;
  // Signed two weeks before it starts: a fixed instant, not the time the seed ran.
  await activateAgreement(em, id, meta, new Date(Date.parse(`${a.startsOn}T09:00:00Z`) - 14 * DAY_MS));
  if (a.finalStatus === 'ENDED') await endAgreement(em, id, a.endedOn ?? a.endsOn, meta);
}

async function summarize(ds: DataSource, created: boolean): Promise<DemoNetworkSummary> {
  const firstSchool = DEMO_SCHOOLS[0] as DemoInstitution;
  const firstHospital = DEMO_HOSPITALS[0] as DemoInstitution;
  const schoolStaff = demoStaff(firstSchool, 0);
  const hospitalStaff = demoStaff(firstHospital, DEMO_SCHOOLS.length);
  const instructor = hospitalStaff.find((p) => p.roles.includes('CLINICAL_INSTRUCTOR'));
  const wanted = {
    networkAdmin: networkAdminEmail,
    institutionAdmin: schoolStaff[0]?.email,
    coordinator: schoolStaff[1]?.email,
    hospitalCoordinator: hospitalStaff[1]?.email,
    clinicalInstructor: instructor?.email,
  };

  const staff = await ds.getRepository(StaffMember).findBy({ email: In(Object.values(wanted)) });
  const student = await ds.getRepository(Student).findOneBy({ email: demoStudents(firstSchool, 0)[0]?.email });
  const institutions = await ds
    .getRepository(Institution)
    .find({ where: { name: In(ALL_INSTITUTIONS.map((i) => i.name)) }, order: { name: 'ASC' } });
  const person = (email: string | undefined): StaffMember => {
    const found = staff.find((m) => m.email === email);
    if (!found) throw missingDemo(`staff member ${email}`);
    return found;
  };
  if (!student) throw missingDemo('demo student');
  if (institutions.length !== ALL_INSTITUTIONS.length) throw missingDemo('demo institutions');

  const ref = (m: { id: string; institutionId: string }): DemoPerson => ({ id: m.id, institutionId: m.institutionId });
  const ci = person(wanted.clinicalInstructor);
  const byName = (list: DemoInstitution[]) =>
    list.map((d) => institutions.find((i) => i.name === d.name) as Institution).map((i) => ({ id: i.id, name: i.name }));
  return {
    created,
    networkAdmin: ref(person(wanted.networkAdmin)),
    institutionAdmin: ref(person(wanted.institutionAdmin)),
    coordinator: ref(person(wanted.coordinator)),
    hospitalCoordinator: ref(person(wanted.hospitalCoordinator)),
    student: { id: student.id, institutionId: student.schoolId },
    clinicalInstructor: { ...ref(ci), departmentId: ci.departmentId as string },
    schools: byName(DEMO_SCHOOLS),
    hospitals: byName(DEMO_HOSPITALS),
    counts: {
      institutions: await ds.getRepository(Institution).count(),
      departments: await ds.getRepository(Department).count(),
      students: await ds.getRepository(Student).count(),
      staff: await ds.getRepository(StaffMember).count(),
      agreements: await ds.getRepository(CollaborationAgreement).count(),
    },
  };
}

const missingDemo = (what: string) =>
  new Error(
    `The network database has institutions but no ${what}: it holds other data than the demo network, so no demo summary can be given`,
  );

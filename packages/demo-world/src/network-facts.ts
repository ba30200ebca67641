import { type PayloadOf, parsePayload, AgreementActivated, AgreementEnded, StaffRegistered, StudentRegistered } from '@medcollab/events';
import { DEMO_AGREEMENTS, DEMO_HOSPITALS, DEMO_SCHOOLS, type DemoInstitution } from './catalog';
import { demoDepartmentId, demoId, demoInstitutionId } from './ids';
import { DEMO_NETWORK_ADMIN, demoStaff, demoStudents } from './people';
import { type DemoNetworkSummary } from './summary';

/**
 * The payloads of the events the network's demo seed emits, rebuilt from its deterministic
 * catalogue (the same keys and name-based ids), so the rotations demo can project them before
 * the network's worker has delivered the real ones. Checked against the network's summary:
 * if the network demo ever derives its ids differently, this fails loudly instead of seeding
 * a demo that points at nobody.
 */
export interface DemoNetworkFacts {
  students: PayloadOf<typeof StudentRegistered>[];
  staff: PayloadOf<typeof StaffRegistered>[];
  activations: PayloadOf<typeof AgreementActivated>[];
  endings: PayloadOf<typeof AgreementEnded>[];
}

const ALL: DemoInstitution[] = [...DEMO_SCHOOLS, ...DEMO_HOSPITALS];

export function demoNetworkFacts(summary: DemoNetworkSummary): DemoNetworkFacts {
  const students = DEMO_SCHOOLS.flatMap((school, index) =>
    demoStudents(school, index).map((s) =>
      parsePayload(StudentRegistered, {
        studentId: demoId(`student:${s.key}`),
        schoolId: demoInstitutionId(school.key),
        email: s.email,
        cohortYear: s.cohortYear,
        priorClinicalYears: s.priorClinicalYears,
        givenName: s.givenName,
        familyName: s.familyName,
      }),
    ),
  );
  const staff = [
    parsePayload(StaffRegistered, {
      staffId: demoId('staff:network-admin'),
      institutionId: demoInstitutionId((DEMO_SCHOOLS[0] as DemoInstitution).key),
      departmentId: null,
      roles: DEMO_NETWORK_ADMIN.roles,
    }),
    ...ALL.flatMap((inst, index) =>
      demoStaff(inst, index).map((p) =>
        parsePayload(StaffRegistered, {
          staffId: demoId(`staff:${p.key}`),
          institutionId: demoInstitutionId(inst.key),
          departmentId: p.department ? demoDepartmentId(inst.key, p.department) : null,
          roles: p.roles,
        }),
      ),
    ),
  ];
  const activations: DemoNetworkFacts['activations'] = [];
  const endings: DemoNetworkFacts['endings'] = [];
  for (const a of DEMO_AGREEMENTS) {
    if (a.finalStatus === 'PROPOSED') continue;
    const hospital = ALL.find((i) => i.key === a.hospital) as DemoInstitution;
    const keys = a.departments === '*' ? hospital.departments.map((d) => d.key) : a.departments;
    const parties = {
      agreementId: demoId(`agreement:${a.key}`),
      schoolId: demoInstitutionId(a.school),
      hospitalId: demoInstitutionId(a.hospital),
    };
    const departmentSpecialties = keys.map((k) => ({
      departmentId: demoDepartmentId(a.hospital, k),
      specialty: hospital.departments.find((d) => d.key === k)?.specialty ?? null,
    }));
    activations.push(
      parsePayload(AgreementActivated, {
        ...parties,
        departmentIds: keys.map((k) => demoDepartmentId(a.hospital, k)),
        startsOn: a.startsOn,
        endsOn: a.endsOn,
        departmentSpecialties,
        departmentNames: keys.map((k) => ({
          departmentId: demoDepartmentId(a.hospital, k),
          name: hospital.departments.find((d) => d.key === k)?.name ?? k,
        })),
        hospitalName: hospital.name,
      }),
    );
    if (a.finalStatus === 'ENDED') endings.push(parsePayload(AgreementEnded, { ...parties, endedOn: a.endedOn ?? a.endsOn }));
  }
  assertMatchesSummary(summary, { students, staff });
  return { students, staff, activations, endings };
}

function assertMatchesSummary(summary: DemoNetworkSummary, facts: Pick<DemoNetworkFacts, 'students' | 'staff'>): void {
  const staffIds = new Set(facts.staff.map((s) => s.staffId));
  const ci = facts.staff.find((s) => s.staffId === summary.clinicalInstructor.id);
  const consistent =
    facts.students.some((s) => s.studentId === summary.student.id && s.schoolId === summary.student.institutionId) &&
    [summary.networkAdmin, summary.coordinator, summary.hospitalCoordinator].every((p) => staffIds.has(p.id)) &&
    ci?.departmentId === summary.clinicalInstructor.departmentId &&
    summary.schools.every((s) => DEMO_SCHOOLS.some((d) => demoInstitutionId(d.key) === s.id));
  if (!consistent)
    throw new Error(
      'The network demo no longer derives its ids as rotations expects (services/network/src/seed); update demo-network-facts.ts',
    );
}

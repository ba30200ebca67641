import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { type Role } from '@medcollab/kit';
import { e2eClient, tokenFor } from '@medcollab/testing';
import { seedDemoNetwork } from '@medcollab/network';
import { toCasePackage } from '../../src/domain/case';
import { type DemoCurriculumSummary, seedDemoCurriculum } from '../../src/seed/demo-curriculum';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * The demo network and demo curriculum behind the real gateway, with both workers running:
 * what a client of the supergraph sees, and network events changing what the curriculum allows.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let curriculum: DemoCurriculumSummary;
const tokens: Record<string, string> = {};

const { gql, data } = e2eClient(() => p.supergraph, tokens);
const rows = async (sql: string, params: unknown[] = []): Promise<number> =>
  ((await p.curriculum.dataSource.query(sql, params)) as unknown[]).length;

beforeAll(async () => {
  p = await startPipeline();
  demo = await seedDemoNetwork(p.network.dataSource);
  curriculum = await seedDemoCurriculum(p.curriculum.dataSource, demo);
  const as = (x: { id: string; institutionId: string }, roles: Role[]) =>
    tokenFor({ personId: x.id, institutionId: x.institutionId, roles });
  tokens.admin = await as(demo.networkAdmin, ['NETWORK_ADMIN']);
  tokens.schoolAdmin = await as(demo.institutionAdmin, ['INSTITUTION_ADMIN']);
  tokens.coordinator = await as(demo.coordinator, ['COORDINATOR']);
  tokens.hospital = await as(demo.hospitalCoordinator, ['COORDINATOR']);
  tokens.student = await as(demo.student, ['STUDENT']);
}, 240_000);
afterAll(() => p?.stop());

describe('the curriculum through the gateway', () => {
  it("shows the seeded program's map: coverage, the uncovered post-profile competency and each deliberate integrity issue", async () => {
    const MAP = `query($programId: ID!, $postProfileId: ID) { curriculumMap(programId: $programId, postProfileId: $postProfileId) {
      program { title school { name } }
      coverage { competency { code } requiredLevel hours modules { code } methods }
      uncoveredCompetencies { code title }
      integrityIssues { kind subjectLabel }
      blend { byDelivery { delivery share } }
    } }`;
    const { curriculumMap } = await data('schoolAdmin', MAP, { programId: curriculum.programId, postProfileId: curriculum.postProfileId });
    // The school's name comes from the network subgraph, the rest from the curriculum.
    expect(curriculumMap.program.school.name).toBe('Northbridge University School of Medicine');
    expect(curriculumMap.uncoveredCompetencies).toEqual([{ code: 'EPA 12', title: 'Perform general procedures of a physician' }]);
    expect(curriculumMap.integrityIssues.map((i: { kind: string }) => i.kind)).toEqual([
      'MODULE_WITHOUT_OBJECTIVE',
      'SESSION_WITHOUT_OBJECTIVE',
      'DISCIPLINE_ZERO_HOURS',
    ]);
    const covered = curriculumMap.coverage.filter(
      (c: { requiredLevel: number | null; hours: number }) => c.requiredLevel !== null && c.hours > 0,
    );
    expect(covered.length).toBeGreaterThanOrEqual(8);
    // The partner hospital reads the same program; its staff see the school's programs on the Institution.
    const { institution } = await data(
      'hospital',
      `query($id: ID!) { institution(id: $id) { name kind programs { id title modules { code } } } }`,
      { id: curriculum.schoolId },
    );
    expect(institution.programs).toEqual([expect.objectContaining({ id: curriculum.programId })]);
    expect(institution.programs[0].modules).toHaveLength(8);
  });

  it('lets a school admin build a program with a framework, modules, objectives and sessions, and map it', async () => {
    const framework = await data(
      'schoolAdmin',
      `mutation($input: CreateCompetencyFrameworkInput!) { createCompetencyFramework(input: $input) { id owner { name } competencies { id code } } }`,
      {
        input: {
          name: 'Northbridge graduate outcomes',
          version: '2026',
          competencies: [
            { code: 'GO-1', title: 'Safe and effective clinician', domain: 'TECHNICAL', category: 'patient care' },
            {
              code: 'GO-1.1',
              title: 'Assess and manage common presentations',
              domain: 'TECHNICAL',
              category: 'patient care',
              parentCode: 'GO-1',
            },
            { code: 'GO-2', title: 'Team member and leader', domain: 'NON_TECHNICAL', category: 'teamwork' },
          ],
        },
      },
    );
    const f = framework.createCompetencyFramework;
    expect(f.owner.name).toBe('Northbridge University School of Medicine');
    const code = (c: string) => f.competencies.find((x: { code: string }) => x.code === c).id;
    const program = (
      await data('schoolAdmin', `mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }`, {
        input: { schoolId: curriculum.schoolId, title: 'Accelerated graduate-entry MD' },
      })
    ).createProgram;
    const ADD_MODULE = `mutation($input: AddModuleInput!) { addModule(input: $input) { id } }`;
    const heart = (
      await data('schoolAdmin', ADD_MODULE, {
        input: {
          programId: program.id,
          code: 'H1',
          title: 'Heart and lungs',
          organSystem: 'CARDIOVASCULAR',
          year: 1,
          disciplines: [{ discipline: 'PHYSIOLOGY', hours: 30 }],
        },
      })
    ).addModule;
    const acute = (
      await data('schoolAdmin', ADD_MODULE, {
        input: {
          programId: program.id,
          code: 'A1',
          title: 'Acute care',
          organSystem: 'MULTISYSTEM',
          year: 2,
          prerequisiteModuleIds: [heart.id],
          disciplines: [{ discipline: 'EMERGENCY_MEDICINE', hours: 20 }],
        },
      })
    ).addModule;
    const objective = (
      await data('schoolAdmin', `mutation($input: AddLearningObjectiveInput!) { addLearningObjective(input: $input) { id } }`, {
        input: {
          moduleId: acute.id,
          statement: 'Manage a breathless patient with the team',
          competencyIds: [code('GO-1.1'), code('GO-2')],
        },
      })
    ).addLearningObjective;
    await data('schoolAdmin', `mutation($input: AddTeachingSessionInput!) { addTeachingSession(input: $input) { id } }`, {
      input: {
        moduleId: acute.id,
        title: 'Breathless patient simulation',
        method: 'SIMULATION',
        delivery: 'OFFLINE',
        durationMinutes: 120,
        objectiveIds: [objective.id],
        startsAt: '2027-02-01T09:00:00Z',
      },
    });
    const { curriculumMap } = await data(
      'schoolAdmin',
      `query($id: ID!) { curriculumMap(programId: $id) { coverage { competency { code } modules { code } hours methods } integrityIssues { kind subjectLabel } } }`,
      { id: program.id },
    );
    expect(curriculumMap.coverage).toEqual([
      { competency: { code: 'GO-1.1' }, modules: [{ code: 'A1' }], hours: 2, methods: ['SIMULATION'] },
      { competency: { code: 'GO-2' }, modules: [{ code: 'A1' }], hours: 2, methods: ['SIMULATION'] },
    ]);
    expect(curriculumMap.integrityIssues).toEqual([{ kind: 'MODULE_WITHOUT_OBJECTIVE', subjectLabel: 'H1' }]);
    // Another school's admin may not touch it.
    const other = demo.schools.find((s) => s.id !== curriculum.schoolId) as { id: string };
    tokens.otherAdmin = await tokenFor({ institutionId: other.id, roles: ['INSTITUTION_ADMIN'] });
    const refused = await gql('otherAdmin', ADD_MODULE, { input: { programId: program.id, code: 'X1', title: 'Intruder', year: 1 } });
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('learns a newly registered student from the network, recommends a track and enrols them; the Student shows both subgraphs', async () => {
    const REGISTER = `mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }`;
    const { registerStudent } = await data('schoolAdmin', REGISTER, {
      input: {
        schoolId: curriculum.schoolId,
        givenName: 'Ines',
        familyName: 'Okoro',
        email: 'ines.okoro@students.med.northbridge.edu',
        cohortYear: 2025,
        priorClinicalYears: 4,
      },
    });
    await waitFor(
      'the curriculum to learn the student',
      async () => (await rows('SELECT 1 FROM known_student WHERE id = $1', [registerStudent.id])) === 1,
    );
    const advice = (
      await data(
        'coordinator',
        `query($s: ID!, $p: ID!) { trackRecommendation(studentId: $s, programId: $p) { kind track { id } reasons } }`,
        { s: registerStudent.id, p: curriculum.programId },
      )
    ).trackRecommendation;
    expect(advice).toMatchObject({ kind: 'RESEARCH', track: { id: curriculum.trackIds.research } });
    await data('coordinator', `mutation($input: EnrollStudentInput!) { enrollStudent(input: $input) { id } }`, {
      input: { studentId: registerStudent.id, programId: curriculum.programId, trackId: advice.track.id },
    });
    const { student } = await data(
      'coordinator',
      `query($id: ID!) { student(id: $id) { familyName priorClinicalYears track { title } enrollments { status program { title school { name } } } } }`,
      { id: registerStudent.id },
    );
    expect(student).toEqual({
      familyName: 'Okoro',
      priorClinicalYears: 4,
      track: { title: 'Clinician scientist' },
      enrollments: [
        {
          status: 'ACTIVE',
          program: { title: expect.stringContaining('Doctor of Medicine'), school: { name: 'Northbridge University School of Medicine' } },
        },
      ],
    });
    // The demo student sees their own enrolment, track history included; the hospital does not.
    const own = await data('student', `query($id: ID!) { student(id: $id) { track { kind } moduleResults { module { code } } } }`, {
      id: demo.student.id,
    });
    expect(own.student.track).toEqual({ kind: 'SPECIALTY' });
    const hospital = await gql('hospital', `query($id: ID!) { student(id: $id) { enrollments { id } } }`, { id: demo.student.id });
    expect(hospital.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it("opens a school's curriculum to a hospital when an agreement is activated, and closes it when the agreement ends", async () => {
    const other = demo.hospitals.find((h) => h.name === 'St Aldric Royal Infirmary') as { id: string };
    tokens.otherHospital = await tokenFor({ institutionId: other.id, roles: ['CLINICAL_INSTRUCTOR'] });
    const PROGRAM = `query($id: ID!) { program(id: $id) { title } }`;
    expect((await gql('otherHospital', PROGRAM, { id: curriculum.programId })).errors[0].extensions.code).toBe('FORBIDDEN');

    const { institution } = await data('admin', `query($id: ID!) { institution(id: $id) { departments { id } } }`, { id: other.id });
    const proposed = await data('admin', `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { id } }`, {
      input: {
        schoolId: curriculum.schoolId,
        hospitalId: other.id,
        departmentIds: [institution.departments[0].id],
        startsOn: '2026-09-01',
        endsOn: '2027-08-31',
      },
    });
    const id = proposed.proposeAgreement.id;
    await data('admin', `mutation($input: ActivateAgreementInput!) { activateAgreement(input: $input) { status } }`, { input: { id } });
    await waitFor(
      'the agreement to reach the curriculum',
      async () => (await rows(`SELECT 1 FROM known_agreement WHERE id = $1 AND status = 'ACTIVE'`, [id])) === 1,
    );
    expect((await data('otherHospital', PROGRAM, { id: curriculum.programId })).program.title).toContain('Doctor of Medicine');

    await data('admin', `mutation($input: EndAgreementInput!) { endAgreement(input: $input) { status } }`, {
      input: { id, endedOn: '2026-12-31' },
    });
    await waitFor(
      'the end to reach the curriculum',
      async () => (await rows(`SELECT 1 FROM known_agreement WHERE id = $1 AND status = 'ENDED'`, [id])) === 1,
    );
    expect((await gql('otherHospital', PROGRAM, { id: curriculum.programId })).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('imports a CASE package and exports the same framework (apart from ids and times)', async () => {
    const c = (id: string, parentId: string | null, code: string, title: string, position: number) => ({
      id,
      parentId,
      code,
      title,
      description: null,
      domain: 'NON_TECHNICAL' as const,
      category: 'teamwork',
      position,
    });
    const pkg = toCasePackage({
      id: 'a0000000-0000-4000-8000-000000000001',
      name: 'TeamSTEPPS essentials',
      version: '3.0',
      description: 'Team strategies for patient safety',
      ownerId: curriculum.schoolId,
      lastChange: new Date('2025-01-01T00:00:00Z'),
      competencies: [
        c('a0000000-0000-4000-8000-000000000002', null, 'COM', 'Communication', 1),
        c('a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000002', 'COM.1', 'Use SBAR to hand over', 1),
        c('a0000000-0000-4000-8000-000000000004', 'a0000000-0000-4000-8000-000000000002', 'COM.2', 'Close the loop with check-backs', 2),
        c('a0000000-0000-4000-8000-000000000005', null, 'MON', 'Situation monitoring', 2),
      ],
    });
    const document = JSON.stringify(pkg, null, 2);
    const { importCompetencyFrameworkCase } = await data(
      'schoolAdmin',
      `mutation($input: ImportCompetencyFrameworkCaseInput!) { importCompetencyFrameworkCase(input: $input) { id owner { name } } }`,
      { input: { document } },
    );
    expect(importCompetencyFrameworkCase.owner.name).toBe('Northbridge University School of Medicine');
    const { competencyFrameworkCase } = await data('student', `query($id: ID!) { competencyFrameworkCase(id: $id) }`, {
      id: importCompetencyFrameworkCase.id,
    });
    const normalize = (json: string) => {
      const ids = new Map<string, string>();
      return json
        .replace(
          /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
          (id) => ids.get(id) ?? (ids.set(id, `<id ${ids.size + 1}>`), `<id ${ids.size}>`),
        )
        .replace(/"lastChangeDateTime": "[^"]+"/g, '"lastChangeDateTime": "<time>"');
    };
    expect(normalize(competencyFrameworkCase)).toEqual(normalize(document));
  });

  it('loads the map of the seeded program in a constant number of curriculum statements through the gateway', async () => {
    const MAP = `query($programId: ID!) { curriculumMap(programId: $programId) { coverage { competency { code framework { name } } modules { code disciplines { hours } } sessions { title objectives { id } } } } }`;
    p.counter.reset();
    const { curriculumMap } = await data('schoolAdmin', MAP, { programId: curriculum.programId });
    expect(curriculumMap.coverage.length).toBeGreaterThan(10);
    expect(p.counter.count).toBeLessThanOrEqual(12);
  });
});

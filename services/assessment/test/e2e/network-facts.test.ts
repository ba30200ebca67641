import { randomUUID } from 'node:crypto';
import { type Role } from '@medcollab/kit';
import { networkFactSnapshot } from '@medcollab/network';
import { factsKeptBy, rebuildFromOwner } from '@medcollab/projections';
import { curriculumEventHandlers } from '@medcollab/curriculum';
import { rotationsEventHandlers } from '@medcollab/rotations';
import { e2eClient, tokenFor } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { assessmentEventHandlers } from '../../src/projections';
import { libraryInstrumentId } from '../../src/seed/instrument-library';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * The network's facts through the real pipeline (network, curriculum, rotations and assessment
 * workers exchanging events): updated names reach every service's shared projections
 * (@medcollab/projections); a teacher deactivated in the network has their open assessment
 * task handed to a colleague; and a rebuild from the network restores projections that were
 * deleted or corrupted (issues #11, #17, #18).
 */
let p: Pipeline;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const WAIT = 120_000;

const { data } = e2eClient(() => p.supergraph, tokens);
const one = async <T>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T | undefined> =>
  ((await ds.query(sql, params)) as T[])[0];

async function register(kind: 'student' | 'staff', input: Record<string, unknown>): Promise<string> {
  const mutation =
    kind === 'student'
      ? `mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }`
      : `mutation($input: RegisterStaffMemberInput!) { registerStaffMember(input: $input) { id } }`;
  const result = await data('admin', mutation, { input });
  return (kind === 'student' ? result.registerStudent.id : result.registerStaffMember.id) as string;
}

beforeAll(async () => {
  p = await startPipeline({ weeklyCap: 100 });
  tokens.admin = await tokenFor({ roles: ['NETWORK_ADMIN'] });
  const institution = async (kind: string, name: string) =>
    (
      await data('admin', `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }`, {
        input: { name, kind, timezone: 'Europe/Berlin' },
      })
    ).createInstitution.id as string;
  const department = async (institutionId: string, name: string) =>
    (
      await data('admin', `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id } }`, {
        input: { institutionId, name },
      })
    ).createDepartment.id as string;
  ids.school = await institution('SCHOOL', 'Lister School of Medicine');
  ids.hospital = await institution('HOSPITAL', 'Nightingale Hospital');
  ids.schoolDept = await department(ids.school, 'Anatomy');
  ids.hospitalDept = await department(ids.hospital, 'Surgery');
  ids.student = await register('student', {
    schoolId: ids.school,
    givenName: 'Ada',
    familyName: 'Byron',
    email: 'ada.byron@lister.example.edu',
    cohortYear: 2024,
  });
  const teacher = (givenName: string, familyName: string) =>
    register('staff', {
      institutionId: ids.school,
      departmentId: ids.schoolDept,
      givenName,
      familyName,
      email: `${givenName}.${familyName}@lister.example.edu`.toLowerCase(),
      roles: ['TEACHER'],
    });
  ids.leaving = await teacher('Joseph', 'Lister');
  ids.colleague = await teacher('Mary', 'Seacole');
  const agreement = (
    await data('admin', `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { id } }`, {
      input: {
        schoolId: ids.school,
        hospitalId: ids.hospital,
        departmentIds: [ids.hospitalDept],
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
      },
    })
  ).proposeAgreement.id as string;
  await data('admin', `mutation($input: ActivateAgreementInput!) { activateAgreement(input: $input) { id } }`, {
    input: { id: agreement },
  });
  ids.agreement = agreement;
  const as = (institutionId: string, ...roles: Role[]) => tokenFor({ personId: randomUUID(), institutionId, roles });
  tokens.schoolAdmin = await as(ids.school, 'INSTITUTION_ADMIN');
  tokens.coordinator = await as(ids.school, 'COORDINATOR');
  await waitFor(
    'the people and the agreement in assessment, rotations and curriculum',
    async () => {
      const staff = await one<{ n: number }>(p.assessment.dataSource, `SELECT count(*)::int AS n FROM known_staff`);
      const rotations = await one<{ n: number }>(p.rotations.dataSource, `SELECT count(*)::int AS n FROM known_agreement`);
      const curriculum = await one<{ n: number }>(p.curriculum.dataSource, `SELECT count(*)::int AS n FROM known_student`);
      return staff?.n === 2 && rotations?.n === 1 && curriculum?.n === 1;
    },
    WAIT,
  );
}, 240_000);
afterAll(() => p?.stop());

describe("the network's facts through the pipeline", () => {
  it("follow a person's updated names in every service that keeps them", async () => {
    await data('schoolAdmin', `mutation($input: UpdateStudentInput!) { updateStudent(input: $input) { id } }`, {
      input: { id: ids.student, familyName: 'Lovelace' },
    });
    await data('schoolAdmin', `mutation($input: UpdateStaffMemberInput!) { updateStaffMember(input: $input) { id } }`, {
      input: { id: ids.colleague, givenName: 'Mary Jane' },
    });
    const studentName = (ds: DataSource) =>
      one<{ family_name: string }>(ds, `SELECT family_name FROM known_student WHERE id = $1`, [ids.student]);
    const staffName = (ds: DataSource) =>
      one<{ given_name: string }>(ds, `SELECT given_name FROM known_staff WHERE id = $1`, [ids.colleague]);
    await waitFor(
      'the new names in assessment, rotations and curriculum',
      async () =>
        (await studentName(p.assessment.dataSource))?.family_name === 'Lovelace' &&
        (await studentName(p.rotations.dataSource))?.family_name === 'Lovelace' &&
        (await studentName(p.curriculum.dataSource))?.family_name === 'Lovelace' &&
        (await staffName(p.assessment.dataSource))?.given_name === 'Mary Jane' &&
        (await staffName(p.rotations.dataSource))?.given_name === 'Mary Jane',
      WAIT,
    );
  });

  it("hands a deactivated teacher's open task to a colleague of their department, with a reason the coordinator reads", async () => {
    const { assignAssessment } = await data(
      'coordinator',
      `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id assessorStaff { id } } }`,
      {
        input: {
          instrumentId: libraryInstrumentId('case-analysis'),
          studentId: ids.student,
          assessorId: ids.leaving,
          dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        },
      },
    );
    expect(assignAssessment.assessorStaff.id).toBe(ids.leaving);
    await data('schoolAdmin', `mutation($input: PersonStatusChangeInput!) { deactivateStaffMember(input: $input) { id status } }`, {
      input: { id: ids.leaving, reason: 'Contract ended' },
    });
    const TASK = `query($id: ID!) { assessmentTask(id: $id) { status assessorStaff { id familyName } previousAssessor { id familyName } reassignReason } }`;
    await waitFor(
      'the task handed over',
      async () => (await data('coordinator', TASK, { id: assignAssessment.id })).assessmentTask.assessorStaff.id === ids.colleague,
      WAIT,
    );
    const task = (await data('coordinator', TASK, { id: assignAssessment.id })).assessmentTask;
    // The staff members' names come from the network subgraph in the same response.
    expect(task).toEqual({
      status: 'PENDING',
      assessorStaff: { id: ids.colleague, familyName: 'Seacole' },
      previousAssessor: { id: ids.leaving, familyName: 'Lister' },
      reassignReason:
        'Joseph Lister was deactivated by their institution (Contract ended); the task was handed to Mary Jane Seacole of the same department.',
    });
    const known = await one<{ active: boolean }>(p.rotations.dataSource, `SELECT active FROM known_staff WHERE id = $1`, [ids.leaving]);
    expect(known?.active).toBe(false);
  });

  it("cancels a deactivated teacher's open task when no colleague of their department can take it, with a reason the coordinator reads", async () => {
    const { createDepartment } = await data(
      'admin',
      `mutation($input: CreateDepartmentInput!) { createDepartment(input: $input) { id } }`,
      {
        input: { institutionId: ids.school, name: 'Physiology' },
      },
    );
    const alone = await register('staff', {
      institutionId: ids.school,
      departmentId: createDepartment.id,
      givenName: 'Claude',
      familyName: 'Bernard',
      email: 'claude.bernard@lister.example.edu',
      roles: ['TEACHER'],
    });
    await waitFor(
      'assessment to learn the teacher',
      async () =>
        (await one<{ n: number }>(p.assessment.dataSource, `SELECT count(*)::int AS n FROM known_staff WHERE id = $1`, [alone]))?.n === 1,
      WAIT,
    );
    const { assignAssessment } = await data(
      'coordinator',
      `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`,
      {
        input: {
          instrumentId: libraryInstrumentId('case-analysis'),
          studentId: ids.student,
          assessorId: alone,
          dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        },
      },
    );
    await data('schoolAdmin', `mutation($input: PersonStatusChangeInput!) { deactivateStaffMember(input: $input) { id } }`, {
      input: { id: alone, reason: 'Retired' },
    });
    const TASK = `query($id: ID!) { assessmentTask(id: $id) { status assessorStaff { familyName } cancelReason } }`;
    await waitFor(
      'the task cancelled',
      async () => (await data('coordinator', TASK, { id: assignAssessment.id })).assessmentTask.status === 'CANCELLED',
      WAIT,
    );
    expect((await data('coordinator', TASK, { id: assignAssessment.id })).assessmentTask).toEqual({
      status: 'CANCELLED',
      assessorStaff: { familyName: 'Bernard' },
      cancelReason:
        'Claude Bernard was deactivated by their institution (Retired) and no other active teacher or clinical instructor of their department could take the task.',
    });
  });

  describe('a projection rebuild from the network', () => {
    const consumers = () =>
      [
        ['assessment', p.assessment.dataSource, assessmentEventHandlers()],
        ['rotations', p.rotations.dataSource, rotationsEventHandlers],
        ['curriculum', p.curriculum.dataSource, curriculumEventHandlers],
      ] as const;
    /** Every row of the shared tables a service keeps, in a comparable form (arrays sorted, bookkeeping left out). */
    async function contents(ds: DataSource, tables: readonly string[]): Promise<Record<string, unknown[]>> {
      const out: Record<string, unknown[]> = {};
      for (const table of tables) {
        const rows = (await ds.query(`SELECT * FROM ${table} ORDER BY id`)) as Record<string, unknown>[];
        out[table] = rows.map(({ updated_at: _, ...row }) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v])),
        );
      }
      return out;
    }
    const snapshot = (wanted: Parameters<typeof networkFactSnapshot>[1]) =>
      p.network.dataSource.transaction('REPEATABLE READ', (em) => networkFactSnapshot(em, wanted));

    it('restores deleted and corrupted rows in every service, and a dry run changes nothing', async () => {
      for (const [service, ds, handlers] of consumers()) {
        const facts = factsKeptBy(handlers);
        const tables = facts.map((f) => `known_${f}`);
        const before = await contents(ds, tables);
        expect(before.known_student).toHaveLength(1);

        // Damage: a student deleted, a stranger added; a staff member's roles, department and status lost; an agreement ended.
        await ds.query(`DELETE FROM known_student WHERE id = $1`, [ids.student]);
        await ds.query(`INSERT INTO known_student (id, school_id, cohort_year, prior_clinical_years) VALUES ($1, $2, 2020, 0)`, [
          randomUUID(),
          ids.school,
        ]);
        if (facts.includes('staff'))
          await ds.query(`UPDATE known_staff SET roles = '{}', department_id = NULL, active = NOT active WHERE id = $1`, [ids.colleague]);
        await ds.query(`UPDATE known_agreement SET status = 'ENDED', ended_on = '2026-02-01', department_ids = '{}' WHERE id = $1`, [
          ids.agreement,
        ]);
        const damaged = await contents(ds, tables);
        expect(damaged).not.toEqual(before);

        const dry = await rebuildFromOwner(ds, facts, snapshot, { dryRun: true });
        expect(dry.dryRun).toBe(true);
        expect(await contents(ds, tables)).toEqual(damaged);

        const report = await rebuildFromOwner(ds, facts, snapshot);
        expect({ service, ...(await contents(ds, tables)) }).toEqual({ service, ...before });
        expect(report.before.known_student).toBe(1);
        expect(report.after.known_student).toBe(1);
      }
    });
  });
});

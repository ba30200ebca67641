import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { processNextRosterImport } from '@medcollab/network';
import { e2eClient, type Pipeline, waitFor } from '@medcollab/testing';
import { verifyChains } from '../../src/data/verify';
import { startAuditSystem } from '../support/pipeline';

/**
 * The changes issue 15 left unrecorded (ADR 0023), end to end through the real services and
 * gateway: a roster import (the network worker applies it, all-or-nothing and row by row), a
 * proposed placement (rotations) and a student's mentee preferences (mentorship) reach the
 * school's audit trail with who, which operation and which fields; another school's admin is
 * refused them.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let schoolId: string;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);

beforeAll(async () => {
  ({ p, demo, schoolId } = await startAuditSystem(tokens));
}, 480_000);
afterAll(() => p?.stop());

const ENTRIES = `query SchoolTrail($filter: AuditEntryFilter!) {
  auditEntries(filter: $filter, first: 100) {
    edges { node { action recordType recordId fields change reason actorId actorRoles operation requestId service student { id } } }
  }
}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function changesOf(studentId: string, until: (entries: any[]) => boolean): Promise<any[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let entries: any[] = [];
  await waitFor(
    `the changes of ${studentId} in the school's trail`,
    async () => {
      const page = await data('schoolAdmin', ENTRIES, { filter: { institutionId: schoolId, studentId, action: 'CHANGE' } });
      entries = page.auditEntries.edges.map((e: { node: unknown }) => e.node);
      return until(entries);
    },
    180_000,
  );
  return entries;
}

async function refusedToOtherSchool(studentId: string): Promise<void> {
  const refused = await gql('otherAdmin', ENTRIES, { filter: { institutionId: schoolId, studentId } });
  expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  expect(refused.data).toBeNull();
}

const START = `mutation StartImport($input: StartRosterImportInput!) { startRosterImport(input: $input) { uploadPath import { id } } }`;
const PEOPLE_HEADER = ['kind', 'sourcedId', 'givenName', 'familyName', 'email', 'cohortYear', 'roles', 'departmentSourcedId', 'status'];
const peopleCsv = (rows: string[][]) => [PEOPLE_HEADER, ...rows].map((r) => r.join(',')).join('\n') + '\n';

/** Starts a plain-CSV import as the school's admin, uploads people.csv and lets the network worker apply it. */
async function importPeople(applyMode: string, rows: string[][]): Promise<string> {
  const { startRosterImport: link } = await data('schoolAdmin', START, {
    input: { institutionId: schoolId, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode },
  });
  const form = new FormData();
  form.append('people.csv', new Blob([peopleCsv(rows)], { type: 'text/csv' }), 'people.csv');
  const response = await fetch(new URL(link.uploadPath, p.subgraphs.network!.url), { method: 'POST', body: form });
  expect(response.status).toBe(202);
  while (await processNextRosterImport(p.subgraphs.network!.dataSource));
  const [row] = (await p.subgraphs.network!.dataSource.query(`SELECT status FROM roster_import WHERE id = $1`, [link.import.id])) as {
    status: string;
  }[];
  expect(row!.status).toBe('APPLIED');
  return link.import.id as string;
}

describe('roster imports in the audit trail', () => {
  it('records a registration (all or nothing) and a deactivation (row by row) with the importer and the import', async () => {
    const email = `rosa-${Date.now()}@audit.test`;
    const first = await importPeople('ALL_OR_NOTHING', [['student', 'AUD-1', 'Rosa', 'Franklin', email, '2025', '', '', '']]);
    const [student] = (await p.subgraphs.network!.dataSource.query(`SELECT id FROM student WHERE email = $1`, [email])) as { id: string }[];
    const studentId = student!.id;
    const second = await importPeople('ROW_BY_ROW', [['student', 'AUD-1', 'Rosa', 'Franklin', email, '2025', '', '', 'inactive']]);

    const entries = await changesOf(studentId, (es) => es.length >= 2);
    const common = {
      action: 'CHANGE',
      recordType: 'Student',
      recordId: studentId,
      actorId: demo.institutionAdmin.id,
      actorRoles: ['INSTITUTION_ADMIN'],
      operation: 'rosterImport',
      service: 'network',
      student: { id: studentId },
    };
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          ...common,
          change: 'registerStudent',
          fields: ['cohortYear', 'email', 'familyName', 'givenName', 'priorClinicalYears', 'sourcedId'],
          reason: null,
          requestId: `roster-import-${first}`,
        },
        {
          ...common,
          change: 'deactivateStudent',
          fields: ['status'],
          reason: `Marked inactive in roster import ${second}`,
          requestId: `roster-import-${second}`,
        },
      ]),
    );
    expect(entries).toHaveLength(2);
    await refusedToOtherSchool(studentId);
  });
});

describe('placements and mentee preferences in the audit trail', () => {
  it('records createPlacement and setMenteePreferences with the fields they set', async () => {
    const studentId = demo.student.id;
    // At least the demo's students: the roster import above may have added one.
    await waitFor(
      'rotations to learn the demo network',
      async () =>
        ((await p.subgraphs.rotations!.dataSource.query(`SELECT count(*)::int AS n FROM known_student`)) as { n: number }[])[0]!.n >=
        demo.counts.students,
      180_000,
    );
    const block = await data('coordinator', `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`, {
      input: { schoolId, academicYear: '2027-2028', name: 'Audit block', startsOn: '2027-09-06', endsOn: '2027-10-29' },
    });
    await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
      input: { departmentId: demo.clinicalInstructor.departmentId, blockId: block.createRotationBlock.id, schoolId, seats: 2 },
    });
    const created = await data(
      'coordinator',
      `mutation ProposePlacement($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`,
      {
        input: {
          studentId,
          departmentId: demo.clinicalInstructor.departmentId,
          blockId: block.createRotationBlock.id,
          supervisorId: demo.clinicalInstructor.id,
        },
      },
    );
    const placementId = created.createPlacement.id;
    const SET = `mutation MyPreferences($input: SetMenteePreferencesInput!) { setMenteePreferences(input: $input) { preferredFormat } }`;
    await data('student', SET, {
      input: { studentId, specialtyInterests: ['SURGERY'], researchInterests: ['sepsis'], preferredFormat: 'ONE_ON_ONE' },
    });
    // Only the format changes: only it is named.
    await data('student', SET, {
      input: { studentId, specialtyInterests: ['SURGERY'], researchInterests: ['sepsis'], preferredFormat: 'SMALL_GROUP' },
    });

    const entries = await changesOf(
      studentId,
      (es) => es.some((e) => e.change === 'createPlacement') && es.filter((e) => e.change === 'setMenteePreferences').length >= 2,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        recordType: 'Placement',
        recordId: placementId,
        change: 'createPlacement',
        fields: ['block', 'department', 'hospital', 'status', 'supervisor'],
        actorId: demo.coordinator.id,
        operation: 'ProposePlacement',
        service: 'rotations',
      }),
    );
    const preferences = entries.filter((e) => e.change === 'setMenteePreferences').map((e) => e.fields);
    expect(preferences).toEqual(
      expect.arrayContaining([['preferredFormat', 'researchInterests', 'specialtyInterests'], ['preferredFormat']]),
    );
    expect(entries.filter((e) => e.change === 'setMenteePreferences')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordType: 'MenteePreferences', recordId: studentId, actorId: studentId, service: 'mentorship' }),
      ]),
    );
    await refusedToOtherSchool(studentId);
    const [report] = await verifyChains(p.subgraphs.audit!.dataSource, schoolId);
    expect(report).toMatchObject({ institutionId: schoolId, broken: null });
  });
});

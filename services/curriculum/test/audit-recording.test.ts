import { type AuditRecorded, type PayloadOf } from '@medcollab/events';
import { staffOf } from './support/actors';
import { knownStudent } from './support/db';
import { createProgram, createTrack, M, newInstitutionId } from './support/fixtures';
import { codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

/**
 * The audit trail's recording side in curriculum (ADR 0008): a student's enrolments are their
 * record; enrolling, changing track and withdrawing are recorded in the command's transaction,
 * reads of enrolments by whatever path, and a refused change or read leaves nothing.
 */
let h: CurriculumHarness;
const school = newInstitutionId();
let programId: string;
let clinical: string;
let research: string;
const coordinator = staffOf(school, 'COORDINATOR');

type Entry = PayloadOf<typeof AuditRecorded>['entries'][number];

async function newEntries<T>(run: () => Promise<T>): Promise<{ result: T; entries: Entry[] }> {
  const [{ p }] = await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`);
  const result = await run();
  const rows = (await h.dataSource.query(
    `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 ORDER BY position`,
    [p],
  )) as { payload: PayloadOf<typeof AuditRecorded> }[];
  return { result, entries: rows.flatMap((r) => r.payload.entries) };
}

beforeAll(async () => {
  h = await startCurriculum();
  programId = (await createProgram(h, school)).id;
  clinical = (await createTrack(h, programId, 'CLINICAL_PRACTICE', { title: 'Clinical practice' })).id;
  research = (await createTrack(h, programId, 'RESEARCH', { title: 'Clinician scientist' })).id;
});
afterAll(() => h.stop());

describe('enrolment changes and reads', () => {
  it('records enrolling, a track change and a withdrawal (with its reason) as the student’s, and nothing for a refused one', async () => {
    const student = await knownStudent(h.dataSource, school);
    const enrolled = await newEntries(async () =>
      ok(await h.call(coordinator, M.enrollStudent, { input: { studentId: student.id, programId, trackId: clinical } })),
    );
    const id = enrolled.result.enrollStudent.id;
    expect(enrolled.entries.filter((e) => e.action === 'CHANGE')).toEqual([
      {
        action: 'CHANGE',
        recordType: 'Enrollment',
        recordId: id,
        studentId: student.id,
        schoolId: school,
        fields: ['program', 'status', 'track'],
        change: 'enrollStudent',
        reason: null,
      },
    ]);
    const changed = await newEntries(async () =>
      ok(
        await h.call(coordinator, M.changeTrack, {
          input: { studentId: student.id, programId, trackId: research, reason: 'Research year' },
        }),
      ),
    );
    expect(changed.entries.filter((e) => e.action === 'CHANGE')).toEqual([
      expect.objectContaining({ recordId: id, change: 'changeTrack', fields: ['track'], reason: 'Research year' }),
    ]);
    const refused = await newEntries(() =>
      h.call(staffOf(newInstitutionId(), 'COORDINATOR'), M.withdrawStudent, { input: { studentId: student.id, programId, reason: 'x' } }),
    );
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.entries).toEqual([]);
    const withdrawn = await newEntries(async () =>
      ok(await h.call(coordinator, M.withdrawStudent, { input: { studentId: student.id, programId, reason: 'Left medicine' } })),
    );
    expect(withdrawn.entries.filter((e) => e.action === 'CHANGE')).toEqual([
      expect.objectContaining({ recordId: id, change: 'withdrawStudent', reason: 'Left medicine', fields: ['status'] }),
    ]);
  });

  it("records who read a student's enrolments, and nothing for a refused read", async () => {
    const student = await knownStudent(h.dataSource, school);
    const id = ok(await h.call(coordinator, M.enrollStudent, { input: { studentId: student.id, programId, trackId: clinical } }))
      .enrollStudent.id;
    const QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { enrollments { id status } } } }`;
    const reader = staffOf(school, 'TEACHER');
    const read = await newEntries(async () => ok(await h.call(reader, QUERY, { r: [{ __typename: 'Student', id: student.id }] })));
    expect(read.entries).toEqual([
      {
        action: 'READ',
        recordType: 'Enrollment',
        recordId: id,
        studentId: student.id,
        schoolId: school,
        fields: ['id', 'status'],
        change: null,
        reason: null,
      },
    ]);
    const refused = await newEntries(() =>
      h.call(staffOf(newInstitutionId(), 'TEACHER'), QUERY, { r: [{ __typename: 'Student', id: student.id }] }),
    );
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.entries).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { activeAgreement, knownStudent, outboxEvents, rowCounts } from './support/db';
import { addModule, createProgram, createTrack, M, newInstitutionId } from './support/fixtures';
import { badFields, codes, type CurriculumHarness, ok, startCurriculum } from './support/harness';

let h: CurriculumHarness;
const school = newInstitutionId();
const otherSchool = newInstitutionId();
const partner = newInstitutionId();
let programId: string;
let clinical: string;
let research: string;
const coordinator = () => staffOf(school, 'COORDINATOR');

beforeAll(async () => {
  h = await startCurriculum();
  await activeAgreement(h.dataSource, school, partner);
  programId = (await createProgram(h, school)).id;
  clinical = (await createTrack(h, programId, 'CLINICAL_PRACTICE', { title: 'Clinical practice with mentorship' })).id;
  research = (await createTrack(h, programId, 'RESEARCH', { title: 'Clinician scientist' })).id;
});
afterAll(() => h.stop());

const enrol = (studentId: string, trackId: string | null = clinical, actor = coordinator()) =>
  h.call(actor, M.enrollStudent, { input: { studentId, programId, trackId } });

const STUDENT_FIELDS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { id enrollments { status program { id } track { id } } track { id kind } moduleResults { status completedOn module { code } } } } }`;

describe('enrolments and tracks', () => {
  it('enrols a student on a track, recording the first history entry and EnrollmentChanged(ENROLLED) in the same transaction', async () => {
    const student = await knownStudent(h.dataSource, school);
    const actor = coordinator();
    const enrollment = ok(await enrol(student.id, clinical, actor)).enrollStudent;
    expect(enrollment).toMatchObject({
      status: 'ACTIVE',
      track: { id: clinical, kind: 'CLINICAL_PRACTICE' },
      student: { id: student.id },
      program: { id: programId },
    });
    expect(enrollment.trackHistory).toEqual([
      { from: null, to: { id: clinical }, changedById: actor.personId, reason: 'Enrolled on this track' },
    ]);
    const events = (await outboxEvents(h.dataSource, 'EnrollmentChanged')).filter((e) => e.aggregate_id === enrollment.id);
    expect(events).toEqual([
      {
        event_type: 'EnrollmentChanged',
        aggregate_id: enrollment.id,
        payload: {
          enrollmentId: enrollment.id,
          studentId: student.id,
          programId,
          schoolId: school,
          trackId: clinical,
          trackKind: 'CLINICAL_PRACTICE',
          change: 'ENROLLED',
        },
        metadata: { requestId: expect.any(String), actorId: actor.personId },
      },
    ]);
  });

  it('changes tracks with who, when, from, to and why (coordinator or the student themself), then withdraws', async () => {
    const student = await knownStudent(h.dataSource, school);
    const enrollmentId = ok(await enrol(student.id)).enrollStudent.id;
    const self = asStudent(student);
    const changed = ok(
      await h.call(self, M.changeTrack, { input: { studentId: student.id, programId, trackId: research, reason: 'I want to do a PhD' } }),
    ).changeTrack;
    expect(changed.track).toEqual({ id: research });
    expect(changed.trackHistory.at(-1)).toEqual({
      from: { id: clinical },
      to: { id: research },
      changedById: student.id,
      changedAt: expect.any(String),
      reason: 'I want to do a PhD',
    });
    const back = ok(
      await h.call(coordinator(), M.changeTrack, {
        input: { studentId: student.id, programId, trackId: clinical, reason: 'Research slots are full this year' },
      }),
    ).changeTrack;
    expect(back.trackHistory.map((c: { to: { id: string } }) => c.to.id)).toEqual([clinical, research, clinical]);
    expect(
      badFields(
        await h.call(coordinator(), M.changeTrack, { input: { studentId: student.id, programId, trackId: clinical, reason: 'Again' } }),
      ),
    ).toEqual(['trackId']);

    const withdrawn = ok(
      await h.call(coordinator(), M.withdrawStudent, { input: { studentId: student.id, programId, reason: 'Moved abroad' } }),
    ).withdrawStudent;
    expect(withdrawn).toMatchObject({ id: enrollmentId, status: 'WITHDRAWN', withdrawnAt: expect.any(String) });
    const changes = (await outboxEvents(h.dataSource, 'EnrollmentChanged'))
      .filter((e) => e.aggregate_id === enrollmentId)
      .map((e) => [e.payload.change, e.payload.trackKind]);
    expect(changes).toEqual([
      ['ENROLLED', 'CLINICAL_PRACTICE'],
      ['TRACK_CHANGED', 'RESEARCH'],
      ['TRACK_CHANGED', 'CLINICAL_PRACTICE'],
      ['WITHDRAWN', 'CLINICAL_PRACTICE'],
    ]);
    // Enrolling again after a withdrawal starts a new enrolment.
    expect(ok(await enrol(student.id, null)).enrollStudent.id).not.toBe(enrollmentId);
  });

  it('refuses a second active enrolment (CONFLICT), unknown students, students of another school and foreign tracks; nothing is written', async () => {
    const student = await knownStudent(h.dataSource, school);
    ok(await enrol(student.id));
    const before = await rowCounts(h.dataSource);
    const twice = await enrol(student.id);
    expect(codes(twice)).toEqual(['CONFLICT']);
    expect(twice.errors?.[0]?.extensions?.field).toBe('studentId');
    expect(badFields(await enrol(randomUUID()))).toEqual(['studentId']);
    expect(badFields(await enrol((await knownStudent(h.dataSource, otherSchool)).id))).toEqual(['studentId']);
    const otherProgram = await createProgram(h, school);
    const foreignTrack = await createTrack(h, otherProgram.id, 'RESEARCH');
    const after = await rowCounts(h.dataSource);
    expect(badFields(await enrol((await knownStudent(h.dataSource, school)).id, foreignTrack.id))).toEqual(['trackId']);
    expect(
      codes(
        await h.call(coordinator(), M.changeTrack, { input: { studentId: randomUUID(), programId, trackId: research, reason: 'Nobody' } }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await rowCounts(h.dataSource)).toEqual(after);
    expect(after.enrollment).toBe(before.enrollment);
  });

  it('refuses other roles and other institutions on every enrolment mutation', async () => {
    const student = await knownStudent(h.dataSource, school);
    ok(await enrol(student.id));
    const moduleId = (await addModule(h, programId)).id;
    const before = await rowCounts(h.dataSource);
    const attempts: [string, string, Record<string, unknown>][] = [
      ['enrollStudent', M.enrollStudent, { input: { studentId: (await knownStudent(h.dataSource, school)).id, programId } }],
      ['changeTrack', M.changeTrack, { input: { studentId: student.id, programId, trackId: research, reason: 'Because' } }],
      ['withdrawStudent', M.withdrawStudent, { input: { studentId: student.id, programId } }],
      ['recordModuleCompletion', M.recordCompletion, { input: { studentId: student.id, moduleId } }],
    ];
    const classmate = asStudent(await knownStudent(h.dataSource, school));
    for (const actor of [
      staffOf(otherSchool, 'INSTITUTION_ADMIN'),
      staffOf(partner, 'COORDINATOR'),
      staffOf(school, 'QUALITY_OFFICER'),
      classmate,
    ]) {
      for (const [name, mutation, variables] of attempts)
        expect([name, codes(await h.call(actor, mutation, variables))]).toEqual([name, ['FORBIDDEN']]);
    }
    // Teachers record results but do not manage enrolments; coordinators the other way round.
    expect(codes(await h.call(staffOf(school, 'TEACHER'), M.enrollStudent, attempts[0]?.[2]))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(coordinator(), M.recordCompletion, attempts[3]?.[2]))).toEqual(['FORBIDDEN']);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });
});

describe("a student's curriculum records", () => {
  it('shows enrolments, current track and module results to the student and their school, and refuses others', async () => {
    const student = await knownStudent(h.dataSource, school);
    ok(await enrol(student.id, research));
    const moduleId = (await addModule(h, programId, { code: 'RESP-101' })).id;
    const result = ok(
      await h.call(staffOf(school, 'TEACHER'), M.recordCompletion, {
        input: { studentId: student.id, moduleId, completedOn: '2026-01-15' },
      }),
    ).recordModuleCompletion;
    expect(result).toEqual({ status: 'COMPLETED', completedOn: '2026-01-15', module: { id: moduleId, code: 'RESP-101' } });
    const r = [{ __typename: 'Student', id: student.id }];
    for (const actor of [asStudent(student), staffOf(school, 'MENTOR'), networkAdmin()]) {
      const [entity] = ok(await h.call(actor, STUDENT_FIELDS, { r }))._entities;
      expect(entity).toEqual({
        id: student.id,
        enrollments: [{ status: 'ACTIVE', program: { id: programId }, track: { id: research } }],
        track: { id: research, kind: 'RESEARCH' },
        moduleResults: [{ status: 'COMPLETED', completedOn: '2026-01-15', module: { code: 'RESP-101' } }],
      });
    }
    for (const actor of [
      staffOf(partner, 'CLINICAL_INSTRUCTOR'),
      staffOf(otherSchool, 'INSTITUTION_ADMIN'),
      asStudent(await knownStudent(h.dataSource, school)),
    ]) {
      const response = await h.call(actor, STUDENT_FIELDS, { r });
      expect(codes(response)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      expect(response.data?._entities).toEqual([{ id: student.id, enrollments: null, track: null, moduleResults: null }]);
    }
    expect(
      badFields(await h.call(staffOf(school, 'TEACHER'), M.recordCompletion, { input: { studentId: randomUUID(), moduleId } })),
    ).toEqual(['studentId']);
  });

  it("pages through a program's enrolments for the school's staff only", async () => {
    const program = await createProgram(h, school);
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const s = await knownStudent(h.dataSource, school);
      ids.push(s.id);
      ok(await h.call(coordinator(), M.enrollStudent, { input: { studentId: s.id, programId: program.id } }));
    }
    const PAGE = `query($id: ID!, $after: String) { program(id: $id) { enrollments(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { student { id } } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { student: { id: string } } }[] } = ok(
        await h.call(staffOf(school, 'TEACHER'), PAGE, { id: program.id, after }),
      ).program.enrollments;
      seen.push(...page.edges.map((e) => e.node.student.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Same-millisecond enrolments order by id, so compare as sets (and make sure nothing repeats).
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(ids.length);
    expect(codes(await h.call(asStudent({ id: ids[0] as string, schoolId: school }), PAGE, { id: program.id, after: null }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await h.call(staffOf(school, 'TEACHER'), PAGE, { id: program.id, after: 'Zm9yZ2Vk' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('track recommendation', () => {
  const RECOMMEND = `query($studentId: ID!, $programId: ID!) { trackRecommendation(studentId: $studentId, programId: $programId) { kind track { id title } focusAreas mentorship { format focus } reasons priorClinicalYears student { id } } }`;

  it('steers an experienced student to research and a newcomer to clinical practice with mentorship, without changing anything', async () => {
    const experienced = await knownStudent(h.dataSource, school, 3);
    const newcomer = await knownStudent(h.dataSource, school, 0);
    ok(await enrol(newcomer.id, null));
    const before = await rowCounts(h.dataSource);
    const forExperienced = ok(
      await h.call(asStudent(experienced), RECOMMEND, { studentId: experienced.id, programId }),
    ).trackRecommendation;
    expect(forExperienced).toMatchObject({ kind: 'RESEARCH', track: { id: research }, mentorship: null, priorClinicalYears: 3 });
    expect(forExperienced.focusAreas).toEqual(['research methods', 'biostatistics', 'clinical trial design', 'scientific paper writing']);
    expect(forExperienced.reasons.length).toBeGreaterThanOrEqual(2);
    const forNewcomer = ok(await h.call(staffOf(school, 'MENTOR'), RECOMMEND, { studentId: newcomer.id, programId })).trackRecommendation;
    expect(forNewcomer).toMatchObject({
      kind: 'CLINICAL_PRACTICE',
      track: { id: clinical },
      mentorship: { format: 'ONE_ON_ONE', focus: 'CLINICAL_PRACTICE' },
    });
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses other schools, hospitals and classmates; says NOT_FOUND for a student the curriculum has not heard of', async () => {
    const student = await knownStudent(h.dataSource, school, 1);
    for (const actor of [
      staffOf(otherSchool, 'TEACHER'),
      staffOf(partner, 'CLINICAL_INSTRUCTOR'),
      asStudent(await knownStudent(h.dataSource, school)),
    ]) {
      expect(codes(await h.call(actor, RECOMMEND, { studentId: student.id, programId }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await h.call(networkAdmin(), RECOMMEND, { studentId: randomUUID(), programId }))).toEqual(['NOT_FOUND']);
    const elsewhere = await knownStudent(h.dataSource, otherSchool);
    expect(badFields(await h.call(networkAdmin(), RECOMMEND, { studentId: elsewhere.id, programId }))).toEqual(['programId']);
  });
});

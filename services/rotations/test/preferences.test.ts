import { asStudent, networkAdmin, staffOf } from './support/actors';
import { buildWorld, createBlock, type Ref, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, ok, refusalOf, type RotationsHarness, startRotations } from './support/harness';

const YEAR = '2027-2028';
const OPEN = `mutation($input: OpenPreferenceWindowInput!) { openPreferenceWindow(input: $input) { id academicYear opensAt closesAt isOpen school { id } } }`;
const SUBMIT = `mutation($input: SubmitPreferencesInput!) { submitPreferences(input: $input) { rank department { id } specialty block { id } } }`;
const STATUS = `query($school: ID!, $year: String!) { preferenceStatus(schoolId: $school, academicYear: $year) { submittedCount window { isOpen } studentsWithoutPreferences { id } } }`;
const PREFS = `query($reps: [_Any!]!, $year: String) { _entities(representations: $reps) { ... on Student { preferences(academicYear: $year) { rank academicYear department { id } specialty block { id } } } } }`;

let h: RotationsHarness;
let w: World;
let block: Ref;
let ada: StudentRef;
let ben: StudentRef;
const hour = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  block = await createBlock(h, w.coordinatorA, {
    schoolId: w.schoolA,
    academicYear: YEAR,
    name: 'Block 1',
    startsOn: '2027-09-06',
    endsOn: '2027-10-29',
  });
  [ada, ben] = await Promise.all([registerStudent(h, w.schoolA), registerStudent(h, w.schoolA)]);
});
afterAll(() => h.stop());

const submit = (
  actor = asStudent(ada),
  rankings: unknown[] = [
    { rank: 1, departmentId: w.d1, blockId: block.id },
    { rank: 2, specialty: 'SURGERY' },
  ],
  studentId = ada.id,
) => h.call(actor, SUBMIT, { input: { studentId, academicYear: YEAR, rankings } });

describe('preferences', () => {
  it('refuses submissions before any window is open (PREFERENCE_WINDOW_CLOSED)', async () => {
    expect(refusalOf(await submit())).toBe('CONFLICT/PREFERENCE_WINDOW_CLOSED');
  });

  it('refuses submissions before the window opens and after it closes', async () => {
    const open = ok(
      await h.call(w.coordinatorA, OPEN, {
        input: { schoolId: w.schoolA, academicYear: YEAR, opensAt: iso(hour), closesAt: iso(2 * hour) },
      }),
    );
    expect(open.openPreferenceWindow).toMatchObject({ academicYear: YEAR, isOpen: false, school: { id: w.schoolA } });
    expect(refusalOf(await submit())).toBe('CONFLICT/PREFERENCE_WINDOW_CLOSED');
    ok(
      await h.call(w.coordinatorA, OPEN, {
        input: { schoolId: w.schoolA, academicYear: YEAR, opensAt: iso(-2 * hour), closesAt: iso(-hour) },
      }),
    );
    const closed = await submit();
    expect(refusalOf(closed)).toBe('CONFLICT/PREFERENCE_WINDOW_CLOSED');
    expect(closed.errors?.[0]?.message).toMatch(/closed at/);
  });

  it('takes a ranking while the window is open, replacing an earlier one', async () => {
    const window = ok(
      await h.call(w.coordinatorA, OPEN, { input: { schoolId: w.schoolA, academicYear: YEAR, opensAt: iso(-hour), closesAt: iso(hour) } }),
    );
    expect(window.openPreferenceWindow.isOpen).toBe(true);
    ok(await submit(asStudent(ada), [{ rank: 1, specialty: 'PEDIATRICS' }]));
    const { submitPreferences } = ok(await submit());
    expect(submitPreferences).toEqual([
      { rank: 1, department: { id: w.d1 }, specialty: null, block: { id: block.id } },
      { rank: 2, department: null, specialty: 'SURGERY', block: null },
    ]);
    const { _entities } = ok(await h.call(asStudent(ada), PREFS, { reps: [{ __typename: 'Student', id: ada.id }], year: YEAR }));
    expect(_entities[0].preferences.map((p: { rank: number }) => p.rank)).toEqual([1, 2]);
  });

  it('refuses rankings that are not 1..n, that name no or two targets, or that repeat a choice (INVALID_RANKING)', async () => {
    expect(
      refusalOf(
        await submit(asStudent(ada), [
          { rank: 1, specialty: 'SURGERY' },
          { rank: 3, specialty: 'ICU' },
        ]),
      ),
    ).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(
      refusalOf(
        await submit(asStudent(ada), [
          { rank: 1, specialty: 'SURGERY' },
          { rank: 1, specialty: 'ICU' },
        ]),
      ),
    ).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(refusalOf(await submit(asStudent(ada), [{ rank: 1 }]))).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(refusalOf(await submit(asStudent(ada), [{ rank: 1, specialty: 'ICU', departmentId: w.d1 }]))).toBe(
      'BAD_USER_INPUT/INVALID_RANKING',
    );
    expect(
      refusalOf(
        await submit(asStudent(ada), [
          { rank: 1, specialty: 'ICU' },
          { rank: 2, specialty: 'ICU' },
        ]),
      ),
    ).toBe('BAD_USER_INPUT/INVALID_RANKING');
    expect(refusalOf(await submit(asStudent(ada), [{ rank: 1, departmentId: w.d3 }]))).toBe('CONFLICT/NO_AGREEMENT');
    const otherYear = await createBlock(h, w.coordinatorA, {
      schoolId: w.schoolA,
      name: 'This year',
      startsOn: '2026-09-07',
      endsOn: '2026-10-30',
    });
    expect(refusalOf(await submit(asStudent(ada), [{ rank: 1, departmentId: w.d1, blockId: otherYear.id }]))).toBe(
      'BAD_USER_INPUT/BLOCK_NOT_IN_CALENDAR',
    );
  });

  it('publishes the window (opened or moved) and each submission through the outbox, routed to notifications', async () => {
    const events = (await h.dataSource.query(
      `SELECT o.event_type, o.payload, array(SELECT d.consumer FROM outbox_delivery d WHERE d.event_id = o.id) AS consumers
         FROM outbox o WHERE o.aggregate_type = 'PreferenceWindow' ORDER BY o.position`,
    )) as { event_type: string; payload: Record<string, unknown>; consumers: string[] }[];
    const opened = events.filter((e) => e.event_type === 'PreferenceWindowOpened');
    expect(opened).toHaveLength(3); // opened, moved, moved (the three OPEN calls above)
    expect(opened.at(-1)!.payload).toMatchObject({ schoolId: w.schoolA, academicYear: YEAR });
    const submitted = events.filter((e) => e.event_type === 'PreferencesSubmitted');
    expect(submitted.map((e) => e.payload.studentId)).toEqual([ada.id, ada.id]);
    expect(events.every((e) => e.consumers.includes('notifications'))).toBe(true);
  });

  it('shows coordinators who has not ranked yet', async () => {
    const { preferenceStatus } = ok(await h.call(w.coordinatorA, STATUS, { school: w.schoolA, year: YEAR }));
    expect(preferenceStatus.submittedCount).toBe(1);
    expect(preferenceStatus.window).toEqual({ isOpen: true });
    expect(preferenceStatus.studentsWithoutPreferences.map((s: { id: string }) => s.id)).toContain(ben.id);
    expect(preferenceStatus.studentsWithoutPreferences.map((s: { id: string }) => s.id)).not.toContain(ada.id);
  });

  it('keeps preferences to the student, their school and admins', async () => {
    expect(codes(await submit(asStudent(ben), undefined, ada.id))).toEqual(['FORBIDDEN']);
    expect(codes(await submit(staffOf(w.schoolA, 'TEACHER')))).toEqual(['FORBIDDEN']);
    expect(refusalOf(await submit(w.coordinatorA, [{ rank: 1, specialty: 'ICU' }], ben.id))).toBe('none');
    const reps = [{ __typename: 'Student', id: ada.id }];
    expect(codes(await h.call(asStudent(ben), PREFS, { reps }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, PREFS, { reps }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(networkAdmin(), PREFS, { reps }))._entities[0].preferences).toHaveLength(2);
    expect(codes(await h.call(staffOf(w.schoolA, 'TEACHER'), STATUS, { school: w.schoolA, year: YEAR }))).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await h.call(w.coordinatorB, OPEN, { input: { schoolId: w.schoolA, academicYear: YEAR, opensAt: iso(0), closesAt: iso(hour) } }),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('resolves a window referenced by id (notifications adds its reminders) for the school only', async () => {
    const { openPreferenceWindow } = ok(
      await h.call(w.coordinatorA, OPEN, { input: { schoolId: w.schoolA, academicYear: YEAR, opensAt: iso(-hour), closesAt: iso(hour) } }),
    );
    const WINDOW = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on PreferenceWindow { id academicYear school { id } } } }`;
    const reps = [{ __typename: 'PreferenceWindow', id: openPreferenceWindow.id }];
    expect(ok(await h.call(asStudent(ada), WINDOW, { reps }))._entities[0]).toEqual({
      id: openPreferenceWindow.id,
      academicYear: YEAR,
      school: { id: w.schoolA },
    });
    expect(codes(await h.call(w.coordinatorB, WINDOW, { reps }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, WINDOW, { reps }))).toEqual(['FORBIDDEN']);
  });
});

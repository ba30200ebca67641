import ical, { type VEvent } from 'node-ical';
import { type AuditRecorded, type PayloadOf } from '@medcollab/events';
import { asStudent, staffOf } from './support/actors';
import {
  activateAgreement,
  buildWorld,
  createBlock,
  M,
  propose,
  registerStudent,
  setSeats,
  step,
  type StudentRef,
  type World,
} from './support/fixtures';
import { codes, ok, type RotationsHarness, startRotations } from './support/harness';

const ROTATE = `mutation($input: RotateCalendarTokenInput!) { rotateCalendarToken(input: $input) { kind ownerId url } }`;

let h: RotationsHarness;
let w: World;
let student: StudentRef;
let placements: { confirmed: string; proposed: string; cancelled: string };

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
  const autumn = await createBlock(h, w.coordinatorA, {
    schoolId: w.schoolA,
    name: 'Autumn block',
    startsOn: '2026-09-07',
    endsOn: '2026-10-30',
  });
  const winter = await createBlock(h, w.coordinatorA, {
    schoolId: w.schoolA,
    name: 'Winter block',
    startsOn: '2027-01-04',
    endsOn: '2027-02-26',
  });
  const spring = await createBlock(h, w.coordinatorA, {
    schoolId: w.schoolA,
    name: 'Spring block',
    startsOn: '2027-03-01',
    endsOn: '2027-04-23',
  });
  for (const b of [autumn, winter, spring])
    await setSeats(h, w.coordinatorH, { departmentId: w.d1, blockId: b.id, schoolId: w.schoolA, seats: 2 });
  student = await registerStudent(h, w.schoolA);
  const confirmed = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d1, blockId: autumn.id });
  await step(h, w.coordinatorA, 'confirmPlacement', confirmed.id);
  const proposed = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d1, blockId: winter.id });
  const cancelled = await propose(h, w.coordinatorA, { studentId: student.id, departmentId: w.d1, blockId: spring.id });
  ok(await h.call(w.coordinatorA, M.cancelPlacement, { input: { id: cancelled.id, reason: 'Changed plans' } }));
  placements = { confirmed: confirmed.id, proposed: proposed.id, cancelled: cancelled.id };
});
afterAll(() => h.stop());

/** Fetches a feed URL from the running subgraph (the configured public base is not where the test server listens). */
const fetchFeed = (url: string) => fetch(`${h.baseUrl}${new URL(url).pathname}`);

const eventsOf = (text: string): VEvent[] =>
  Object.values(ical.sync.parseICS(text))
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .sort((a, b) => a.start.getTime() - b.start.getTime());

describe('calendar feeds', () => {
  it("serves a student's placements as an iCalendar feed that parses back (proposals tentative, cancellations left out)", async () => {
    const { rotateCalendarToken } = ok(await h.call(asStudent(student), ROTATE, { input: { studentId: student.id } }));
    expect(rotateCalendarToken).toMatchObject({
      kind: 'STUDENT',
      ownerId: student.id,
      url: expect.stringMatching(/^http:\/\/localhost:4003\/calendar\/[A-Za-z0-9_-]{43}\.ics$/),
    });
    const response = await fetchFeed(rotateCalendarToken.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await response.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    const events = eventsOf(text);
    expect(events.map((e) => e.uid)).toEqual([`${placements.confirmed}@rotations.medcollab`, `${placements.proposed}@rotations.medcollab`]);
    const [autumn, winter] = events as [VEvent, VEvent];
    expect(autumn.summary).toBe('Clinical rotation: Autumn block');
    expect(autumn.status).toBe('CONFIRMED');
    expect(winter.status).toBe('TENTATIVE');
    // All-day, first day to the day after the last (DTEND is exclusive).
    expect(autumn.datetype).toBe('date');
    expect(autumn.start.toISOString().slice(0, 10)).toBe('2026-09-07');
    expect(autumn.end!.toISOString().slice(0, 10)).toBe('2026-10-31');
  });

  it('stops serving the old URL once the token is rotated (404), and serves the new one', async () => {
    const first = ok(await h.call(asStudent(student), ROTATE, { input: { studentId: student.id } })).rotateCalendarToken.url;
    expect((await fetchFeed(first)).status).toBe(200);
    const second = ok(await h.call(w.coordinatorA, ROTATE, { input: { studentId: student.id } })).rotateCalendarToken.url;
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    for (const path of ['/calendar/not-a-token.ics', `/calendar/${'A'.repeat(43)}.ics`, `/calendar/${'A'.repeat(43)}`]) {
      expect((await fetch(`${h.baseUrl}${path}`)).status).toBe(404);
    }
  });

  it("serves a department's hospital view: confirmed placements only", async () => {
    const { rotateCalendarToken } = ok(await h.call(w.ciD1.actor, ROTATE, { input: { departmentId: w.d1 } }));
    expect(rotateCalendarToken.kind).toBe('DEPARTMENT');
    const events = eventsOf(await (await fetchFeed(rotateCalendarToken.url)).text());
    expect(events.map((e) => e.uid)).toEqual([`${placements.confirmed}@rotations.medcollab`]);
    expect(events[0]!.summary).toBe('Student placement: Autumn block');
    expect(events[0]!.description).toContain(`Student ${student.id}`);
    expect(events[0]!.description).toContain(`Department ${w.d1}`); // no name known yet: the id

    // Once the network has told the department's and hospital's names, the feed shows them.
    await activateAgreement(h, {
      schoolId: w.schoolA,
      hospitalId: w.hospitalH,
      departmentIds: [w.d1],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      departmentNames: [{ departmentId: w.d1, name: 'Cardiology' }],
      hospitalName: "St Mary's",
    });
    const named = eventsOf(await (await fetchFeed(rotateCalendarToken.url)).text());
    expect(named[0]!.description).toContain('Cardiology');
    expect(named[0]!.description).not.toContain(`Department ${w.d1}`);
  });

  it("records each placement a feed shows as a read of its student's record, and nothing for a refused token", async () => {
    const batches = async (after: number) =>
      (
        (await h.dataSource.query(
          `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 AND payload->>'operation' = 'calendarFeed' ORDER BY position`,
          [after],
        )) as { payload: PayloadOf<typeof AuditRecorded> }[]
      ).map((r) => r.payload);
    const mark = async () =>
      Number(((await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`)) as [{ p: string }])[0].p);

    const department = ok(await h.call(w.ciD1.actor, ROTATE, { input: { departmentId: w.d1 } })).rotateCalendarToken.url;
    let before = await mark();
    expect((await fetchFeed(department)).status).toBe(200);
    const [byDepartment, ...more] = await batches(before);
    expect(more).toEqual([]);
    expect(byDepartment).toMatchObject({
      operation: 'calendarFeed',
      requestId: expect.stringMatching(/^calendar-/),
      actor: { personId: `calendar-feed:${w.d1}`, institutionId: w.hospitalH, roles: [] },
    });
    expect(byDepartment!.entries).toEqual([
      {
        action: 'READ',
        recordType: 'Placement',
        recordId: placements.confirmed,
        studentId: student.id,
        schoolId: w.schoolA,
        fields: ['block', 'department', 'endsOn', 'hospital', 'startsOn', 'status'],
        change: null,
        reason: null,
      },
    ]);

    const own = ok(await h.call(asStudent(student), ROTATE, { input: { studentId: student.id } })).rotateCalendarToken.url;
    before = await mark();
    expect((await fetchFeed(own)).status).toBe(200);
    const [byStudent] = await batches(before);
    expect(byStudent!.actor).toEqual({ personId: student.id, institutionId: w.schoolA, roles: ['STUDENT'] });
    expect(byStudent!.entries.map((e) => e.recordId).sort()).toEqual([placements.confirmed, placements.proposed].sort());

    before = await mark();
    expect((await fetch(`${h.baseUrl}/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect(await batches(before)).toEqual([]);
  });

  it('lets only the owner side manage a feed', async () => {
    const classmate = await registerStudent(h, w.schoolA);
    expect(codes(await h.call(asStudent(classmate), ROTATE, { input: { studentId: student.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorB, ROTATE, { input: { studentId: student.id } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.ciD2.actor, ROTATE, { input: { departmentId: w.d1 } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(w.hospitalK, 'COORDINATOR'), ROTATE, { input: { departmentId: w.d1 } }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(w.coordinatorH, ROTATE, { input: { studentId: student.id, departmentId: w.d1 } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

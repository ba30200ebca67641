import { type AuditRecorded, type PayloadOf } from '@medcollab/events';
import { asStudent, networkAdmin, staffOf } from './support/actors';
import { buildWorld, registerStudent, type StudentRef, type World } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';

/**
 * The recording side of the audit trail (ADR 0008) in one service: what a request read or
 * changed becomes one AuditRecorded event in the outbox; refused reads and rolled-back changes
 * leave nothing.
 */
let h: NetworkHarness;
let w: World;
let a1: StudentRef;
let a2: StudentRef;
let b1: StudentRef;

type Batch = PayloadOf<typeof AuditRecorded>;
const batches = async (requestPattern = '%'): Promise<Batch[]> =>
  (
    (await h.dataSource.query(
      `SELECT o.payload FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id AND d.consumer = 'audit'
        WHERE o.event_type = 'AuditRecorded' AND o.payload->>'requestId' LIKE $1 ORDER BY o.position`,
      [requestPattern],
    )) as { payload: Batch }[]
  ).map((r) => r.payload);

async function newBatches<T>(run: () => Promise<T>): Promise<{ result: T; batches: Batch[] }> {
  const [{ p }] = await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`);
  const result = await run();
  const rows = (await h.dataSource.query(
    `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 ORDER BY position`,
    [p],
  )) as { payload: Batch }[];
  return { result, batches: rows.map((r) => r.payload) };
}

beforeAll(async () => {
  h = await startNetwork();
  w = await buildWorld(h);
  [a1, a2, b1] = await Promise.all([registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolA.id), registerStudent(h, w.schoolB.id)]);
});
afterAll(() => h.stop());

describe('recording reads', () => {
  it('writes one batch per request, one entry per student with the fields the caller selected, routed to the audit service', async () => {
    const coordinator = staffOf(w.schoolA.id, 'COORDINATOR');
    const { batches: written } = await newBatches(() =>
      h.call(coordinator, `query ListMine($school: ID!) { students(filter: { institutionId: $school }) { edges { node { id email } } } }`, {
        school: w.schoolA.id,
      }),
    );
    expect(written).toHaveLength(1);
    const [batch] = written;
    expect(batch!.actor).toEqual(coordinator);
    expect(batch!.entries).toHaveLength(2);
    expect(batch!.entries.map((e) => e.studentId).sort()).toEqual([a1.id, a2.id].sort());
    for (const e of batch!.entries) {
      expect(e).toMatchObject({ action: 'READ', recordType: 'Student', schoolId: w.schoolA.id, fields: ['email', 'id'], change: null });
    }
    // The delivery row to the audit consumer exists (same statement as the event).
    expect((await batches(batch!.requestId)).length).toBe(1);
  });

  it('unites the fields of a record resolved twice in one request into one entry', async () => {
    const { batches: written } = await newBatches(() =>
      h.call(networkAdmin(), `query($id: ID!) { a: student(id: $id) { email } b: student(id: $id) { familyName } }`, { id: a1.id }),
    );
    expect(written).toHaveLength(1);
    expect(written[0]!.entries).toEqual([expect.objectContaining({ recordId: a1.id, fields: ['email', 'familyName'] })]);
  });

  it('records nothing for a refused or a missing record', async () => {
    const { result, batches: written } = await newBatches(() =>
      h.call(asStudent(a1), `query($id: ID!) { student(id: $id) { email } }`, { id: a2.id }),
    );
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(written).toEqual([]);
    const missing = await newBatches(() => h.call(networkAdmin(), `query { student(id: "00000000-0000-4000-8000-000000000000") { id } }`));
    expect(missing.batches).toEqual([]);
  });
});

describe('recording changes', () => {
  const UPDATE = `mutation($input: UpdateStudentInput!) { updateStudent(input: $input) { id } }`;

  it("commits a change's entry with the change, naming the operation and the fields changed", async () => {
    const admin = staffOf(w.schoolA.id, 'INSTITUTION_ADMIN');
    const { batches: written } = await newBatches(async () =>
      ok(await h.call(admin, UPDATE, { input: { id: a1.id, givenName: 'Grace' } })),
    );
    const changes = written.flatMap((b) => b.entries.filter((e) => e.action === 'CHANGE'));
    expect(changes).toEqual([
      {
        action: 'CHANGE',
        recordType: 'Student',
        recordId: a1.id,
        studentId: a1.id,
        schoolId: w.schoolA.id,
        fields: ['givenName'],
        change: 'updateStudent',
        reason: null,
      },
    ]);
  });

  it('records no change for a refused or rolled-back command', async () => {
    const refused = await newBatches(() =>
      h.call(staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'), UPDATE, { input: { id: a1.id, givenName: 'X' } }),
    );
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.batches.flatMap((b) => b.entries.filter((e) => e.action === 'CHANGE'))).toEqual([]);
    // Taking another student's email hits the unique index at commit time: the whole command rolls back.
    const conflict = await newBatches(() => h.call(networkAdmin(), UPDATE, { input: { id: a2.id, email: b1.email } }));
    expect(codes(conflict.result)).toEqual(['CONFLICT']);
    expect(conflict.batches.flatMap((b) => b.entries.filter((e) => e.action === 'CHANGE'))).toEqual([]);
  });

  it('keeps the reason of a deactivation', async () => {
    const { batches: written } = await newBatches(async () =>
      ok(
        await h.call(
          staffOf(w.schoolB.id, 'INSTITUTION_ADMIN'),
          `mutation($input: PersonStatusChangeInput!) { deactivateStudent(input: $input) { id } }`,
          {
            input: { id: b1.id, reason: 'Left the programme' },
          },
        ),
      ),
    );
    expect(written.flatMap((b) => b.entries)).toContainEqual(
      expect.objectContaining({ action: 'CHANGE', change: 'deactivateStudent', reason: 'Left the programme', fields: ['status'] }),
    );
  });
});

describe('when the audit batch cannot be written', () => {
  /** Makes this database refuse audit batches (and only them), as a full disk or a lost outbox would. */
  const refuseAuditBatches = (ds: NetworkHarness['dataSource']) =>
    ds.query(`
      CREATE OR REPLACE FUNCTION refuse_audit_batches() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_type = 'AuditRecorded' THEN RAISE EXCEPTION 'audit store unavailable'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_audit_batches BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_audit_batches();`);
  const acceptAuditBatches = (ds: NetworkHarness['dataSource']) => ds.query(`DROP TRIGGER refuse_audit_batches ON outbox`);
  const READ = `query Read($id: ID!) { student(id: $id) { id email } }`;

  it('sends the answer by default (availability first; the failure is counted and logged)', async () => {
    await refuseAuditBatches(h.dataSource);
    try {
      const answer = await h.call(networkAdmin(), READ, { id: a1.id });
      expect(ok(answer).student).toEqual({ id: a1.id, email: a1.email });
    } finally {
      await acceptAuditBatches(h.dataSource);
    }
  });

  it('withholds the answer in strict mode with AUDIT_UNAVAILABLE, and answers again once entries can be written', async () => {
    const strict = await startNetwork({ auditStrict: true });
    try {
      const sw = await buildWorld(strict);
      const student = await registerStudent(strict, sw.schoolA.id);
      await refuseAuditBatches(strict.dataSource);
      const withheld = await strict.call(networkAdmin(), READ, { id: student.id });
      expect(withheld.data).toBeNull();
      expect(codes(withheld)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(JSON.stringify(withheld)).not.toContain(student.email);
      // An answer that shows no student record has nothing to record and goes out.
      expect(ok(await strict.call(networkAdmin(), `query { institutions { id } }`)).institutions.length).toBeGreaterThan(0);
      await acceptAuditBatches(strict.dataSource);
      expect(ok(await strict.call(networkAdmin(), READ, { id: student.id })).student).toEqual({ id: student.id, email: student.email });
    } finally {
      await strict.stop();
    }
  });
});

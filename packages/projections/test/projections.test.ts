import { randomUUID } from 'node:crypto';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import {
  AgreementActivated,
  AgreementEnded,
  createConsumer,
  createEventTables,
  dropEventTables,
  type EventContract,
  type PayloadOf,
  StaffRegistered,
  StaffStatusChanged,
  StaffUpdated,
  StudentRegistered,
  StudentStatusChanged,
  StudentUpdated,
} from '@medcollab/events';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  addFactColumns,
  andThen,
  createFactTables,
  dropFactColumns,
  dropFactTables,
  type FactEvent,
  factsKeptBy,
  KnownAgreement,
  KnownStaff,
  KnownStudent,
  networkFactHandlers,
  rebuildFromOwner,
} from '../src';

class CreateTables1765700000090 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await createEventTables(q);
    await createFactTables(q, ['student', 'staff', 'agreement']);
  }
  async down(q: QueryRunner): Promise<void> {
    await dropFactTables(q, ['student', 'staff', 'agreement']);
    await dropEventTables(q);
  }
}

let db: TestDatabase;
let ds: DataSource;
const entities = [KnownStudent, KnownStaff, KnownAgreement];

beforeAll(async () => {
  db = await createTestDatabase('projections', { entities, migrations: [CreateTables1765700000090] });
  ds = createDataSource({ url: db.url, entities, migrations: [CreateTables1765700000090], poolSize: 2 });
  await initializeDataSource(ds, { migrate: false });
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const handlers = networkFactHandlers(['student', 'staff', 'agreement']);
const consumer = () => createConsumer({ service: 'projections-test', dataSource: ds, handlers });
const sequences = new Map<string, { n: number; previous: string | null }>();
async function emit<C extends EventContract>(contract: C, aggregateId: string, payload: PayloadOf<C>, id = randomUUID()) {
  const chain = sequences.get(aggregateId) ?? { n: 0, previous: null };
  const outcome = await consumer().apply({
    envelope: {
      id,
      type: contract.name,
      version: contract.version,
      source: 'network',
      aggregateType: contract.aggregateType,
      aggregateId,
      sequence: chain.n + 1,
      occurredAt: new Date().toISOString(),
      payload,
      metadata: {},
    },
    previousEventId: chain.previous,
  });
  if (outcome === 'applied') sequences.set(aggregateId, { n: chain.n + 1, previous: id });
  return outcome;
}

describe('the shared tables', () => {
  it('are created in exactly the shape of the shared entities', async () => {
    // Every column, type, nullability and default agrees; only the indexes and CHECKs, which the entities do not declare, differ.
    const diff = await ds.driver.createSchemaBuilder().log();
    const queries = diff.upQueries.map((q) => q.query);
    expect(queries.filter((q) => !/^DROP INDEX|DROP CONSTRAINT "known_\w+_check"$/.test(q))).toEqual([]);
    expect(queries).toHaveLength(6);
  });

  it('gain and lose columns through the migration helpers, up and down', async () => {
    // A table as a service kept it before the package: in a schema of its own, on one connection.
    const q = ds.createQueryRunner();
    const columns = async () =>
      (
        (await q.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'legacy' AND table_name = 'known_student' ORDER BY 1`,
        )) as { column_name: string }[]
      ).map((r) => r.column_name);
    try {
      await q.query(`CREATE SCHEMA legacy`);
      await q.query(`SET search_path TO legacy`);
      await q.query(`CREATE TABLE known_student (id uuid PRIMARY KEY, school_id uuid NOT NULL)`);
      await q.query(`INSERT INTO known_student (id, school_id) VALUES ($1, $2)`, [randomUUID(), randomUUID()]);
      await addFactColumns(q, 'known_student', ['given_name', 'active', 'updated_at']);
      expect(await columns()).toEqual(['active', 'given_name', 'id', 'school_id', 'updated_at']);
      // Existing rows stay valid: nullable or defaulted.
      expect(await q.query(`SELECT given_name, active FROM known_student`)).toEqual([{ given_name: null, active: true }]);
      await dropFactColumns(q, 'known_student', ['given_name', 'active', 'updated_at']);
      expect(await columns()).toEqual(['id', 'school_id']);
    } finally {
      await q.query(`RESET search_path`);
      await q.query(`DROP SCHEMA IF EXISTS legacy CASCADE`);
      await q.release();
    }
  });
});

describe('the shared handlers', () => {
  it("keep a student's record, names and status as the network's events tell them", async () => {
    const id = randomUUID();
    const schoolId = randomUUID();
    const base = { studentId: id, schoolId, email: 'ada@example.edu', cohortYear: 2024, priorClinicalYears: 1 };
    await emit(StudentRegistered, id, { ...base, givenName: 'Ada', familyName: 'Byron' });
    // An update that carries no names (written before they were carried) keeps the known ones.
    await emit(StudentUpdated, id, { ...base, cohortYear: 2025, sourcedId: 'S1', changed: ['cohortYear'] });
    await emit(StudentUpdated, id, {
      ...base,
      cohortYear: 2025,
      sourcedId: 'S1',
      changed: ['familyName'],
      givenName: 'Ada',
      familyName: 'Lovelace',
    });
    await emit(StudentStatusChanged, id, { studentId: id, schoolId, active: false, reason: 'Leave' });
    expect(await ds.getRepository(KnownStudent).findOneByOrFail({ id })).toMatchObject({
      schoolId,
      cohortYear: 2025,
      priorClinicalYears: 1,
      givenName: 'Ada',
      familyName: 'Lovelace',
      active: false,
    });
    // A status for a student never registered invents nothing.
    const stranger = randomUUID();
    await emit(StudentStatusChanged, stranger, { studentId: stranger, schoolId, active: false, reason: 'Leave' });
    expect(await ds.getRepository(KnownStudent).existsBy({ id: stranger })).toBe(false);
  });

  it("keep a staff member's department, roles, names and status", async () => {
    const id = randomUUID();
    const institutionId = randomUUID();
    await emit(StaffRegistered, id, {
      staffId: id,
      institutionId,
      departmentId: null,
      roles: ['TEACHER'],
      givenName: 'Grace',
      familyName: 'Hopper',
    });
    const departmentId = randomUUID();
    await emit(StaffUpdated, id, {
      staffId: id,
      institutionId,
      departmentId,
      roles: ['TEACHER', 'MENTOR'],
      sourcedId: null,
      changed: ['roles'],
    });
    await emit(StaffStatusChanged, id, { staffId: id, institutionId, active: false, reason: 'Contract ended' });
    await emit(StaffStatusChanged, id, { staffId: id, institutionId, active: true, reason: 'Rehired' });
    expect(await ds.getRepository(KnownStaff).findOneByOrFail({ id })).toMatchObject({
      departmentId,
      roles: ['TEACHER', 'MENTOR'],
      givenName: 'Grace',
      familyName: 'Hopper',
      active: true,
    });
  });

  it('never revive an ended agreement, and record the end of one never seen active', async () => {
    const id = randomUUID();
    const terms = {
      agreementId: id,
      schoolId: randomUUID(),
      hospitalId: randomUUID(),
      departmentIds: [randomUUID()],
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    };
    const activation = randomUUID();
    await emit(AgreementActivated, id, terms, activation);
    await emit(AgreementEnded, id, { agreementId: id, schoolId: terms.schoolId, hospitalId: terms.hospitalId, endedOn: '2026-06-30' });
    // A redelivery is refused by the inbox; a replayed activation under another id changes nothing either.
    expect(await emit(AgreementActivated, id, terms, activation)).toBe('duplicate');
    await ds.transaction((em) => handlers.AgreementActivated!(em, { payload: terms } as never));
    expect(await ds.getRepository(KnownAgreement).findOneByOrFail({ id })).toMatchObject({
      status: 'ENDED',
      endedOn: '2026-06-30',
      startsOn: '2026-01-01',
      departmentIds: terms.departmentIds,
    });
    const unseen = randomUUID();
    await emit(AgreementEnded, unseen, {
      agreementId: unseen,
      schoolId: terms.schoolId,
      hospitalId: terms.hospitalId,
      endedOn: '2026-03-01',
    });
    expect(await ds.getRepository(KnownAgreement).findOneByOrFail({ id: unseen })).toMatchObject({ status: 'ENDED', departmentIds: [] });
  });

  it("chain a service's own step after the shared one, in one transaction", async () => {
    const id = randomUUID();
    const failing = andThen(handlers.StudentRegistered, async () => {
      throw new Error('the service step failed');
    });
    const payload = { studentId: id, schoolId: randomUUID(), email: 'x@example.edu', cohortYear: 2024, priorClinicalYears: 0 };
    await expect(ds.transaction((em) => failing(em, { payload } as never))).rejects.toThrow('the service step failed');
    expect(await ds.getRepository(KnownStudent).existsBy({ id })).toBe(false);
    const seen: boolean[] = [];
    const chained = andThen(handlers.StudentRegistered, async (em) => {
      seen.push(await em.getRepository(KnownStudent).existsBy({ id }));
    });
    await ds.transaction((em) => chained(em, { payload } as never));
    expect(seen).toEqual([true]);
  });

  it('tell which facts a set of handlers keeps', () => {
    expect(factsKeptBy(networkFactHandlers(['student', 'agreement']))).toEqual(['student', 'agreement']);
    expect(factsKeptBy({ ...networkFactHandlers(['staff']), PlacementConfirmed: () => undefined })).toEqual(['staff']);
  });
});

describe('a rebuild', () => {
  it("replaces the tables' rows by the owner's facts, applying only the facts kept, and a dry run rolls back", async () => {
    const student = randomUUID();
    const schoolId = randomUUID();
    const events: FactEvent[] = [
      {
        type: 'StudentRegistered',
        payload: {
          studentId: student,
          schoolId,
          email: 's@example.edu',
          cohortYear: 2023,
          priorClinicalYears: 0,
          givenName: 'Lin',
          familyName: 'Wu',
        },
      },
      { type: 'StudentStatusChanged', payload: { studentId: student, schoolId, active: false, reason: 'Graduated' } },
      { type: 'StaffRegistered', payload: { staffId: randomUUID(), institutionId: schoolId, departmentId: null, roles: ['TEACHER'] } },
    ];
    const staffBefore = await ds.getRepository(KnownStaff).count();
    const dry = await rebuildFromOwner(ds, ['student'], async () => events, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, applied: 2, after: { known_student: 1 } });
    expect(await ds.getRepository(KnownStudent).existsBy({ id: student })).toBe(false);

    const report = await rebuildFromOwner(ds, ['student'], async () => events);
    expect(report).toMatchObject({ dryRun: false, applied: 2, after: { known_student: 1 } });
    expect(await ds.getRepository(KnownStudent).find()).toEqual([
      expect.objectContaining({ id: student, schoolId, givenName: 'Lin', familyName: 'Wu', active: false }),
    ]);
    expect(await ds.getRepository(KnownStaff).count()).toBe(staffBefore);
  });
});

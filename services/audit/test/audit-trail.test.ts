import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer, type EventEnvelope } from '@medcollab/events';
import { type Role } from '@medcollab/kit';
import { codes, ok, startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { applyRetention } from '../src/data/retention';
import { verifyChain, verifyChains } from '../src/data/verify';
import { GENESIS } from '../src/domain/chain';
import { auditEventHandlers } from '../src/projections';
import { createAuditSubgraph } from '../src/server';
import { type AuditSettings } from '../src/settings';
import { actor, auditBatch as batch } from './support/batches';

const SETTINGS: AuditSettings = {
  exportSecret: 'audit-test-export-secret',
  exportTtlSeconds: 60,
  publicUrl: 'http://127.0.0.1:0',
  retentionIntervalMs: 1_000,
  checkpointIntervalMs: 60_000,
};

const schoolA = randomUUID();
const schoolB = randomUUID();
const hospital = randomUUID();
const studentA = randomUUID();
const studentA2 = randomUUID();
const studentB = randomUUID();
const instructor = actor(['CLINICAL_INSTRUCTOR'], hospital);

let h: SubgraphHarness;
let consumer: Consumer;

const deliver = (e: EventEnvelope) => consumer.apply({ envelope: e, previousEventId: null });

beforeAll(async () => {
  h = await startSubgraphUnderTest(createAuditSubgraph(SETTINGS));
  consumer = createConsumer({ service: 'audit', dataSource: h.dataSource, handlers: auditEventHandlers() });
  await deliver(
    batch(instructor, [
      { studentId: studentA, schoolId: schoolA },
      { studentId: studentB, schoolId: schoolB },
    ]),
  );
  await deliver(batch(instructor, [{ studentId: studentA2, schoolId: schoolA }]));
  await deliver(
    batch(actor(['COORDINATOR'], schoolA), [{ studentId: studentA, schoolId: schoolA, action: 'CHANGE', reason: 'Family emergency' }]),
  );
});

afterAll(() => h?.stop());

describe('the chained store', () => {
  it('chains each institution separately, from genesis, one row per entry', async () => {
    const rows = (await h.dataSource.query(
      `SELECT institution_id, seq, prev_hash, hash FROM audit_entry ORDER BY institution_id, seq`,
    )) as {
      institution_id: string;
      seq: string;
      prev_hash: string;
      hash: string;
    }[];
    const a = rows.filter((r) => r.institution_id === schoolA);
    expect(a.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect(a[0]!.prev_hash).toBe(GENESIS);
    expect(a[1]!.prev_hash).toBe(a[0]!.hash);
    expect(rows.filter((r) => r.institution_id === schoolB).map((r) => Number(r.seq))).toEqual([1]);
    const reports = await verifyChains(h.dataSource);
    expect(reports.map((r) => r.broken)).toEqual([null, null]);
  });

  it('appends a redelivered batch once (the inbox)', async () => {
    const e = batch(instructor, [{ studentId: studentB, schoolId: schoolB }]);
    await deliver(e);
    await deliver(e);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE event_id = $1`, [e.id]);
    expect(n).toBe(1);
  });

  it('refuses UPDATE and DELETE of an entry', async () => {
    await expect(h.dataSource.query(`UPDATE audit_entry SET reason = 'x' WHERE institution_id = $1`, [schoolA])).rejects.toThrow(
      /append-only/,
    );
    await expect(h.dataSource.query(`DELETE FROM audit_entry WHERE institution_id = $1`, [schoolA])).rejects.toThrow(/append-only/);
  });

  it('names the first broken link when a superuser disables the trigger and rewrites an entry', async () => {
    const inst = randomUUID();
    for (let i = 0; i < 4; i++) await deliver(batch(instructor, [{ studentId: randomUUID(), schoolId: inst }]));
    expect((await verifyChain(h.dataSource, inst)).broken).toBeNull();
    const [second] = (await h.dataSource.query(`SELECT id FROM audit_entry WHERE institution_id = $1 AND seq = 2`, [inst])) as {
      id: string;
    }[];
    await h.dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await h.dataSource.query(`UPDATE audit_entry SET actor_id = 'someone-else' WHERE id = $1`, [second!.id]);
    } finally {
      await h.dataSource.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    const report = await verifyChain(h.dataSource, inst);
    expect(report.checked).toBe(1);
    expect(report.broken).toMatchObject({ institutionId: inst, entryId: String(second!.id), seq: 2, problem: 'HASH' });
    expect(report.broken!.expected).not.toBe(report.broken!.found);
  });

  it('names the gap when an entry is deleted behind the trigger', async () => {
    const inst = randomUUID();
    for (let i = 0; i < 3; i++) await deliver(batch(instructor, [{ studentId: randomUUID(), schoolId: inst }]));
    await h.dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await h.dataSource.query(`DELETE FROM audit_entry WHERE institution_id = $1 AND seq = 2`, [inst]);
    } finally {
      await h.dataSource.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    expect((await verifyChain(h.dataSource, inst)).broken).toMatchObject({ seq: 3, problem: 'GAP' });
  });

  it('prunes past retention behind an anchor, and the kept chain still verifies', async () => {
    const inst = randomUUID();
    const old = new Date(Date.now() - 400 * 86_400_000);
    for (let i = 0; i < 3; i++) await deliver(batch(instructor, [{ studentId: randomUUID(), schoolId: inst }], old));
    // recorded_at is the append time; age the first two as if appended long ago (the trigger forbids it, so behind it).
    await h.dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await h.dataSource.query(`UPDATE audit_entry SET recorded_at = $2 WHERE institution_id = $1 AND seq <= 2`, [inst, old]);
    } finally {
      await h.dataSource.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    await h.dataSource.query(
      `INSERT INTO audit_retention (institution_id, months, legal_hold, updated_by, updated_at) VALUES ($1, 12, false, 'test', now())`,
      [inst],
    );
    expect(await applyRetention(h.dataSource, new Date())).toBe(2);
    const kept = (await h.dataSource.query(`SELECT seq FROM audit_entry WHERE institution_id = $1`, [inst])) as { seq: string }[];
    expect(kept.map((r) => Number(r.seq))).toEqual([3]);
    expect(await verifyChain(h.dataSource, inst)).toMatchObject({ anchorSeq: 2, checked: 1, broken: null });
    // The chain goes on from the kept head.
    await deliver(batch(instructor, [{ studentId: randomUUID(), schoolId: inst }]));
    expect(await verifyChain(h.dataSource, inst)).toMatchObject({ checked: 2, broken: null });
  });
});

const ENTRIES = `query($filter: AuditEntryFilter!) { auditEntries(filter: $filter) { edges { node { recordType action actorId reason student { id } } } } }`;
const HISTORY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Student { accessHistory { edges { node { actorId actorRoles recordType reason fields } } } } } }`;

describe('reading the trail', () => {
  it("shows a student who read their record, and never another student's history", async () => {
    const me = actor(['STUDENT'], schoolA, studentA);
    const data = ok(await h.call(me, HISTORY, { reps: [{ __typename: 'Student', id: studentA }] }));
    const nodes = data._entities[0].accessHistory.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({
      actorId: instructor.personId,
      actorRoles: ['CLINICAL_INSTRUCTOR'],
      recordType: 'Placement',
      reason: null,
      fields: ['department', 'startsOn'],
    });
    // The coordinator's reason stays in the school's view.
    expect(nodes.every((n: { reason: string | null }) => n.reason === null)).toBe(true);
    const other = await h.call(actor(['STUDENT'], schoolA, studentA2), HISTORY, { reps: [{ __typename: 'Student', id: studentA }] });
    expect(codes(other)).toEqual(['FORBIDDEN']);
    const admin = await h.call(actor(['INSTITUTION_ADMIN'], schoolA), HISTORY, { reps: [{ __typename: 'Student', id: studentA }] });
    expect(codes(admin)).toEqual(['FORBIDDEN']);
  });

  it("lists an institution's entries for its admins and quality officers, and refuses everyone else", async () => {
    for (const roles of [['INSTITUTION_ADMIN'], ['QUALITY_OFFICER']] as Role[][]) {
      const data = ok(await h.call(actor(roles, schoolA), ENTRIES, { filter: { institutionId: schoolA } }));
      const students = data.auditEntries.edges.map((e: { node: { student: { id: string } } }) => e.node.student.id);
      expect(new Set(students)).toEqual(new Set([studentA, studentA2]));
      expect(data.auditEntries.edges.some((e: { node: { reason: string | null } }) => e.node.reason === 'Family emergency')).toBe(true);
    }
    for (const refused of [
      actor(['INSTITUTION_ADMIN'], schoolB),
      actor(['QUALITY_OFFICER'], schoolB),
      actor(['COORDINATOR'], schoolA),
      actor(['NETWORK_ADMIN'], null),
      actor(['STUDENT'], schoolA, studentA),
    ]) {
      expect(codes(await h.call(refused, ENTRIES, { filter: { institutionId: schoolA } }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await h.call(actor(['INSTITUTION_ADMIN'], schoolA), ENTRIES, { filter: { institutionId: 'nope' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('filters by student and action', async () => {
    const data = ok(
      await h.call(actor(['INSTITUTION_ADMIN'], schoolA), ENTRIES, {
        filter: { institutionId: schoolA, studentId: studentA, action: 'CHANGE' },
      }),
    );
    expect(data.auditEntries.edges.map((e: { node: { action: string } }) => e.node.action)).toEqual(['CHANGE']);
  });

  it('exports the entries as CSV through a signed link, and refuses a tampered or foreign one', async () => {
    const LINK = `query($filter: AuditEntryFilter!) { auditExportLink(filter: $filter) { url } }`;
    const origin = new URL(h.url).origin;
    const local = (url: string) => `${origin}${new URL(url).pathname}${new URL(url).search}`;
    const link = ok(await h.call(actor(['QUALITY_OFFICER'], schoolA), LINK, { filter: { institutionId: schoolA } })).auditExportLink.url;
    const response = await fetch(local(link));
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,at,action,record_type/);
    // The three entries delivered, and those the earlier reads of the trail left (AuditTrail).
    expect(lines.filter((l) => l.includes(',Placement,'))).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(',Placement,') || l.includes(',AuditTrail,'))).toBe(true);
    expect(lines.some((l) => l.includes(studentA) && l.includes('Family emergency'))).toBe(true);
    expect(lines.some((l) => l.includes(studentB))).toBe(false);
    expect((await fetch(`${local(link)}x`)).status).toBe(403);
    expect(codes(await h.call(actor(['QUALITY_OFFICER'], schoolB), LINK, { filter: { institutionId: schoolA } }))).toEqual(['FORBIDDEN']);
  });

  it('lets only the institution admin set its retention', async () => {
    const SET = `mutation($input: AuditRetentionInput!) { setAuditRetention(input: $input) { months legalHold } }`;
    const input = { institutionId: schoolA, months: 60, legalHold: false };
    expect(ok(await h.call(actor(['INSTITUTION_ADMIN'], schoolA), SET, { input })).setAuditRetention).toEqual({
      months: 60,
      legalHold: false,
    });
    expect(codes(await h.call(actor(['INSTITUTION_ADMIN'], schoolB), SET, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(actor(['QUALITY_OFFICER'], schoolA), SET, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(actor(['INSTITUTION_ADMIN'], schoolA), SET, { input: { ...input, months: 0 } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('reading the trail is itself audited', () => {
  const trailReadsBy = (personId: string) =>
    h.dataSource.query(
      `SELECT institution_id, student_id, action, record_type, record_id, fields, source, operation FROM audit_entry
        WHERE actor_id = $1 ORDER BY seq`,
      [personId],
    );

  it("leaves an entry in the institution's chain for each student whose entries an admin read", async () => {
    const admin = actor(['INSTITUTION_ADMIN'], schoolA);
    ok(await h.call(admin, ENTRIES, { filter: { institutionId: schoolA, studentId: studentA2 } }));
    expect(await trailReadsBy(admin.personId)).toEqual([
      {
        institution_id: schoolA,
        student_id: studentA2,
        action: 'READ',
        record_type: 'AuditTrail',
        record_id: schoolA,
        fields: ['auditEntries'],
        source: 'audit',
        operation: '',
      },
    ]);
    // The student sees that their trail was read, and the chain still verifies.
    const me = actor(['STUDENT'], schoolA, studentA2);
    const history = ok(await h.call(me, HISTORY, { reps: [{ __typename: 'Student', id: studentA2 }] }))._entities[0].accessHistory.edges;
    expect(history.map((e: { node: { actorId: string; recordType: string } }) => e.node)).toContainEqual(
      expect.objectContaining({ actorId: admin.personId, recordType: 'AuditTrail' }),
    );
    expect((await verifyChain(h.dataSource, schoolA)).broken).toBeNull();
  });

  it('leaves one for each student a CSV export showed, written before the download completes', async () => {
    const officer = actor(['QUALITY_OFFICER'], schoolA);
    const LINK = `query($filter: AuditEntryFilter!) { auditExportLink(filter: $filter) { url } }`;
    const link = ok(await h.call(officer, LINK, { filter: { institutionId: schoolA } })).auditExportLink.url as string;
    const response = await fetch(`${new URL(h.url).origin}${new URL(link).pathname}${new URL(link).search}`);
    expect(response.status).toBe(200);
    await response.text();
    const rows = await trailReadsBy(officer.personId);
    expect(rows.map((r: { student_id: string }) => r.student_id).sort()).toEqual([studentA, studentA2].sort());
    for (const r of rows)
      expect(r).toMatchObject({ institution_id: schoolA, record_type: 'AuditTrail', fields: ['csvExport'], operation: 'auditExport' });
    expect((await verifyChain(h.dataSource, schoolA)).broken).toBeNull();
  });

  it('leaves nothing for a refused read', async () => {
    const outsider = actor(['INSTITUTION_ADMIN'], schoolB);
    expect(codes(await h.call(outsider, ENTRIES, { filter: { institutionId: schoolA } }))).toEqual(['FORBIDDEN']);
    expect(await trailReadsBy(outsider.personId)).toEqual([]);
  });
});

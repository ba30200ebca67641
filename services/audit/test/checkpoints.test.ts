import { randomUUID } from 'node:crypto';
import { createConsumer, type Consumer, type EventEnvelope } from '@medcollab/events';
import { startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { writeCheckpoints } from '../src/data/checkpoints';
import { chainedOf, ENTRY_COLUMNS, type EntryRow } from '../src/data/rows';
import { verifyChain } from '../src/data/verify';
import { chainHash, GENESIS } from '../src/domain/chain';
import { auditEventHandlers } from '../src/projections';
import { createAuditSubgraph } from '../src/server';
import { actor, auditBatch } from './support/batches';

/**
 * Chain checkpoints (ADR 0008 §5): the head of each grown chain is recorded and sent to the
 * institution, so a chain rewritten consistently from genesis — which the hash links alone cannot
 * reveal — no longer matches what the institution holds.
 */
let h: SubgraphHarness;
let consumer: Consumer;
const instructor = actor(['CLINICAL_INSTRUCTOR'], randomUUID());

beforeAll(async () => {
  h = await startSubgraphUnderTest(
    createAuditSubgraph({
      exportSecret: 'audit-test-export-secret',
      exportTtlSeconds: 60,
      publicUrl: 'http://127.0.0.1:0',
      retentionIntervalMs: 1_000,
      checkpointIntervalMs: 1_000,
    }),
  );
  consumer = createConsumer({ service: 'audit', dataSource: h.dataSource, handlers: auditEventHandlers() });
});
afterAll(() => h?.stop());

const deliver = (e: EventEnvelope) => consumer.apply({ envelope: e, previousEventId: null });
const record = async (schoolId: string, n: number) => {
  for (let i = 0; i < n; i++) await deliver(auditBatch(instructor, [{ studentId: randomUUID(), schoolId }]));
};
const head = async (schoolId: string) =>
  (
    (await h.dataSource.query(`SELECT seq, hash FROM audit_entry WHERE institution_id = $1 ORDER BY seq DESC LIMIT 1`, [schoolId])) as {
      seq: string;
      hash: string;
    }[]
  )[0]!;
const anchoredEvents = async (schoolId: string) =>
  (
    (await h.dataSource.query(
      `SELECT o.payload, array_agg(d.consumer) AS consumers FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id
        WHERE o.event_type = 'AuditChainAnchored' AND o.aggregate_id = $1 GROUP BY o.id, o.sequence ORDER BY o.sequence`,
      [schoolId],
    )) as { payload: { institutionId: string; seq: number; hash: string }; consumers: string[] }[]
  ).map((r) => ({ ...r.payload, consumers: r.consumers }));

/** What an attacker with superuser access does: change an entry and re-hash the whole chain from genesis. */
async function rewriteChain(schoolId: string, alsoCheckpoints: boolean): Promise<void> {
  await h.dataSource.transaction(async (em) => {
    await em.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    await em.query(`UPDATE audit_entry SET actor_id = 'nobody' WHERE institution_id = $1 AND seq = 1`, [schoolId]);
    const rows = (await em.query(`SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE institution_id = $1 ORDER BY seq`, [
      schoolId,
    ])) as EntryRow[];
    let prev = GENESIS;
    for (const row of rows) {
      const hash = chainHash(prev, chainedOf(row));
      await em.query(`UPDATE audit_entry SET prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, prev, hash]);
      prev = hash;
    }
    await em.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    if (alsoCheckpoints) {
      await em.query(`ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only`);
      await em.query(`DELETE FROM audit_checkpoint WHERE institution_id = $1`, [schoolId]);
      await em.query(`ALTER TABLE audit_checkpoint ENABLE TRIGGER audit_checkpoint_append_only`);
    }
  });
}

describe('chain checkpoints', () => {
  it('checkpoints each grown chain once, with its head, and routes it to notifications for the institution’s webhooks', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await record(a, 3);
    await record(b, 1);
    const written = await writeCheckpoints(h.dataSource, new Date());
    expect(written).toBeGreaterThanOrEqual(2);
    expect(await anchoredEvents(a)).toEqual([
      { institutionId: a, seq: 3, hash: (await head(a)).hash, anchoredAt: expect.any(String), consumers: ['notifications'] },
    ]);
    expect((await anchoredEvents(b)).map((e) => e.seq)).toEqual([1]);

    // Nothing new: no checkpoint. One more entry for a: one more checkpoint, for a only.
    expect(await writeCheckpoints(h.dataSource, new Date())).toBe(0);
    await record(a, 1);
    expect(await writeCheckpoints(h.dataSource, new Date())).toBe(1);
    expect((await anchoredEvents(a)).map((e) => e.seq)).toEqual([3, 4]);
    expect((await anchoredEvents(b)).map((e) => e.seq)).toEqual([1]);
    await expect(h.dataSource.query(`DELETE FROM audit_checkpoint WHERE institution_id = $1`, [a])).rejects.toThrow(/append-only/);
  });

  it('finds a chain rewritten from genesis through our own checkpoint', async () => {
    const a = randomUUID();
    await record(a, 3);
    await writeCheckpoints(h.dataSource, new Date());
    const checkpoint = await head(a);
    await rewriteChain(a, false);
    const report = await verifyChain(h.dataSource, a);
    expect(report.broken).toMatchObject({ seq: 3, problem: 'CHECKPOINT', expected: checkpoint.hash });
  });

  it('finds it through the institution’s copy when the checkpoints were removed too, and not without it', async () => {
    const a = randomUUID();
    await record(a, 3);
    await writeCheckpoints(h.dataSource, new Date());
    const theirs = { seq: 3, hash: (await anchoredEvents(a))[0]!.hash };
    await rewriteChain(a, true);
    // The links are consistent again: only the copy outside our database reveals the rewrite.
    expect((await verifyChain(h.dataSource, a)).broken).toBeNull();
    expect((await verifyChain(h.dataSource, a, [theirs])).broken).toMatchObject({ seq: 3, problem: 'CHECKPOINT', expected: theirs.hash });
  });

  it('finds a chain cut short below a checkpoint', async () => {
    const a = randomUUID();
    await record(a, 3);
    await writeCheckpoints(h.dataSource, new Date());
    await h.dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    try {
      await h.dataSource.query(`DELETE FROM audit_entry WHERE institution_id = $1 AND seq = 3`, [a]);
    } finally {
      await h.dataSource.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
    }
    expect((await verifyChain(h.dataSource, a)).broken).toMatchObject({ seq: 3, problem: 'CHECKPOINT', found: 'missing' });
  });
});

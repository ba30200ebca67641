import { randomUUID } from 'node:crypto';
import { applyEventBatch, AssessmentTaskAssigned, type EventJobData } from '@medcollab/events';
import { notificationBatchHandlers, notificationEventHandlers } from '../src/projections';
import { buildWorld, emit, type NotificationsHarness, startNotifications, taskFacts, type World } from './support/harness';

/**
 * Assigned tasks planned a batch at a time (the benchmark's plan-creation path): the same plans as
 * one event at a time, exactly once however often a batch is delivered, in a constant number of
 * statements however large the batch.
 */
let h: NotificationsHarness;
let w: World;

beforeAll(async () => {
  h = await startNotifications();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

const ASSIGNED = new Date('2026-12-01T09:00:00Z');
const dueOf = (i: number) => new Date(Date.UTC(2026, 11, 14 + (i % 9), 3 + (i % 12)));

function assigned(i: number, previousEventId: string | null = null, assessorId?: string): EventJobData {
  const facts = { ...taskFacts(w, dueOf(i)), ...(assessorId ? { assessorId } : {}) };
  return {
    envelope: {
      id: randomUUID(),
      type: AssessmentTaskAssigned.name,
      version: AssessmentTaskAssigned.version,
      source: 'test',
      aggregateType: AssessmentTaskAssigned.aggregateType,
      aggregateId: facts.taskId,
      sequence: 1,
      occurredAt: ASSIGNED.toISOString(),
      payload: { ...facts, assignedAt: ASSIGNED.toISOString() },
      metadata: {},
    },
    previousEventId,
  };
}
const applyBatch = (items: EventJobData[]) =>
  applyEventBatch({ dataSource: h.dataSource, handlers: notificationEventHandlers, batchHandlers: notificationBatchHandlers }, items);
const taskOf = (item: EventJobData) => (item.envelope.payload as { taskId: string }).taskId;

/** A task's plan without ids: rung, audience, recipient and times, in order. */
async function planOf(taskId: string): Promise<string[]> {
  const rows = (await h.dataSource.query(
    `SELECT step_key, audience, recipient_id, nominal_at, fire_at, status FROM reminder_step WHERE task_id = $1
      ORDER BY fire_at, step_key, recipient_id`,
    [taskId],
  )) as { step_key: string; audience: string; recipient_id: string; nominal_at: Date; fire_at: Date; status: string }[];
  return rows.map(
    (r) => `${r.step_key} ${r.audience} ${r.recipient_id} ${r.nominal_at.toISOString()} ${r.fire_at.toISOString()} ${r.status}`,
  );
}

describe('applyEventBatch with AssessmentTaskAssigned', () => {
  it('plans each task exactly as one-by-one application does', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => assigned(i));
    expect(await applyBatch(batch)).toEqual(batch.map(() => 'applied'));
    for (let i = 0; i < batch.length; i++) {
      const facts = taskFacts(w, dueOf(i));
      await emit(h, AssessmentTaskAssigned, facts.taskId, { ...facts, assignedAt: ASSIGNED.toISOString() }, ASSIGNED);
      const single = await planOf(facts.taskId);
      expect(single.length).toBeGreaterThan(3);
      expect(await planOf(taskOf(batch[i]!))).toEqual(single);
    }
  });

  it("plans an assessor whose registration has not arrived in the school's time zone, as one-by-one application does", async () => {
    const stranger = randomUUID();
    const item = assigned(4, null, stranger);
    expect(await applyBatch([item])).toEqual(['applied']);
    const facts = { ...taskFacts(w, dueOf(4)), assessorId: stranger };
    await emit(h, AssessmentTaskAssigned, facts.taskId, { ...facts, assignedAt: ASSIGNED.toISOString() }, ASSIGNED);
    const batched = await planOf(taskOf(item));
    expect(batched.filter((s) => s.includes(stranger))).toHaveLength(3);
    expect(batched).toEqual(await planOf(facts.taskId));
  });

  it('applies a redelivered batch, or an event twice in one batch, once; an event whose predecessor is missing waits', async () => {
    const batch = [assigned(1), assigned(2)];
    const steps = async () =>
      (
        (await h.dataSource.query(`SELECT count(*)::int AS n FROM reminder_step WHERE task_id = ANY($1::uuid[])`, [batch.map(taskOf)])) as [
          { n: number },
        ]
      )[0].n;
    expect(await applyBatch([...batch, batch[0]!])).toEqual(['applied', 'applied', 'duplicate']);
    const planned = await steps();
    expect(planned).toBeGreaterThan(6);
    expect(await applyBatch(batch)).toEqual(['duplicate', 'duplicate']);
    expect(await steps()).toBe(planned);

    const orphan = assigned(3, randomUUID());
    expect(await applyBatch([orphan])).toEqual(['waiting']);
    expect(await planOf(taskOf(orphan))).toEqual([]);
    const [{ n }] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [orphan.envelope.id])) as [
      { n: number },
    ];
    expect(n).toBe(0);
  });

  it('re-plans a task it already knows beside new ones: its planned steps are replaced, a fired rung is not planned again', async () => {
    const first = assigned(4);
    const taskId = taskOf(first);
    expect(await applyBatch([first])).toEqual(['applied']);
    // Its earliest rung has fired meanwhile.
    await h.dataSource.query(
      `UPDATE reminder_step SET status = 'FIRED', fired_at = now()
        WHERE id = (SELECT id FROM reminder_step WHERE task_id = $1 ORDER BY fire_at, step_key, recipient_id LIMIT 1)`,
      [taskId],
    );
    const before = await planOf(taskId);
    const again = assigned(4, first.envelope.id);
    const moved = {
      ...again,
      envelope: { ...again.envelope, aggregateId: taskId, sequence: 2, payload: { ...(first.envelope.payload as object) } },
    };
    const fresh = assigned(5);
    expect(await applyBatch([moved, fresh])).toEqual(['applied', 'applied']);
    const after = await planOf(taskId);
    // The fired rung stays fired and is not planned again; every other rung is planned once more, the old ones cancelled.
    expect(after.filter((r) => r.endsWith(' FIRED'))).toEqual(before.filter((r) => r.endsWith(' FIRED')));
    expect(after.filter((r) => r.endsWith(' PLANNED'))).toEqual(before.filter((r) => r.endsWith(' PLANNED')));
    expect(after.filter((r) => r.endsWith(' CANCELLED'))).toEqual(
      before.filter((r) => r.endsWith(' PLANNED')).map((r) => r.replace(/ PLANNED$/, ' CANCELLED')),
    );
    expect((await planOf(taskOf(fresh))).length).toBeGreaterThan(0);
  });

  it('costs the same number of statements for 3 tasks as for 60', async () => {
    h.counter.reset();
    await applyBatch(Array.from({ length: 3 }, (_, i) => assigned(i)));
    const small = h.counter.count;
    h.counter.reset();
    await applyBatch(Array.from({ length: 60 }, (_, i) => assigned(i)));
    expect(h.counter.count).toBe(small);
  });
});

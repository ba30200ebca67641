import { consumersOf, eventJobId, eventQueueName, ROUTES } from '../src/routes';
import { deliveryJob, EVENT_BACKOFF, type DeliveryRow } from '../src/relay';

describe('routing', () => {
  const routes = { A: ['rotations', 'mentorship'], B: ['rotations', 'rotations'] };

  it('lists the consumers of an event type, without duplicates, and none for unrouted types', () => {
    expect(consumersOf(routes, 'A')).toEqual(['rotations', 'mentorship']);
    expect(consumersOf(routes, 'B')).toEqual(['rotations']);
    expect(consumersOf(routes, 'C')).toEqual([]);
  });

  it('does not treat Object.prototype keys as routes', () => {
    expect(consumersOf(routes, 'toString')).toEqual([]);
  });

  it('gives each consuming service its own queue (fan-out)', () => {
    expect(eventQueueName('rotations')).toBe('events.rotations');
    expect(eventQueueName('assessment')).not.toBe(eventQueueName('rotations'));
  });

  it('routes only to known queue-safe consumer names', () => {
    for (const consumers of Object.values(ROUTES)) {
      for (const consumer of consumers ?? []) expect(consumer).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });
});

describe('delivery job ids', () => {
  const eventId = '7f1c8a52-3f1f-4c3b-9f5e-0c6f2b1d9a10';

  it('are deterministic per (event, consumer) and contain no ":"', () => {
    expect(eventJobId(eventId, 'rotations')).toBe(`${eventId}.rotations`);
    expect(eventJobId(eventId, 'rotations')).toBe(eventJobId(eventId, 'rotations'));
    expect(eventJobId(eventId, 'rotations')).not.toBe(eventJobId(eventId, 'mentorship'));
    expect(eventJobId(eventId, 'rotations')).not.toContain(':');
  });

  it('refuses ids BullMQ would reject', () => {
    expect(() => eventJobId(eventId, 'bad:name')).toThrow(/may not contain ':'/);
  });

  it('carry the envelope, the predecessor and consumer-driven retry options', () => {
    const row: DeliveryRow = {
      event_id: eventId,
      consumer: 'rotations',
      previous_event_id: null,
      publish_attempts: 0,
      position: '12',
      event_type: 'AgreementActivated',
      event_version: 1,
      aggregate_type: 'CollaborationAgreement',
      aggregate_id: 'agr-1',
      sequence: 3,
      payload: { x: 1 },
      metadata: { requestId: 'r1' },
      occurred_at: new Date('2025-01-02T03:04:05.000Z'),
    };
    const job = deliveryJob('network', row, { keepCompletedSeconds: 60, keepCompletedCount: 10 });
    expect(job.name).toBe('AgreementActivated');
    expect(job.opts).toMatchObject({
      jobId: `${eventId}.rotations`,
      backoff: { type: EVENT_BACKOFF },
      removeOnComplete: { age: 60, count: 10 },
    });
    expect(job.data).toEqual({
      previousEventId: null,
      envelope: {
        id: eventId,
        type: 'AgreementActivated',
        version: 1,
        source: 'network',
        aggregateType: 'CollaborationAgreement',
        aggregateId: 'agr-1',
        sequence: 3,
        occurredAt: '2025-01-02T03:04:05.000Z',
        payload: { x: 1 },
        metadata: { requestId: 'r1' },
      },
    });
  });
});

import { z } from 'zod';
import { defineEvent, InvalidEventError, validateEnvelope, type EventEnvelope } from '../src/contract';
import { assertNoEviction, bullConnection, parseMaxmemoryPolicy, RedisEvictionPolicyError } from '../src/redis';
import { isTransientError } from '../src/transient';
import { EVENT_ADMIN_SDL, eventAdminFieldNames } from '../src/admin';
import { logError } from '../src/log-error';

describe('Redis eviction policy check', () => {
  const reader = (config: unknown, info = '') => ({
    config: async () => {
      if (config instanceof Error) throw config;
      return config;
    },
    info: async () => info,
  });

  it('reads the policy from CONFIG GET, or from INFO when CONFIG is disabled', () => {
    expect(parseMaxmemoryPolicy(['maxmemory-policy', 'noeviction'])).toBe('noeviction');
    expect(parseMaxmemoryPolicy(undefined, '# Memory\r\nused_memory:1\r\nmaxmemory_policy:allkeys-lru\r\n')).toBe('allkeys-lru');
    expect(parseMaxmemoryPolicy([], '')).toBeNull();
  });

  it('accepts noeviction', async () => {
    await expect(assertNoEviction(reader(['maxmemory-policy', 'noeviction']))).resolves.toBeUndefined();
    await expect(assertNoEviction(reader(new Error('unknown command CONFIG'), 'maxmemory_policy:noeviction'))).resolves.toBeUndefined();
  });

  it('refuses any evicting policy with a message that says what to do', async () => {
    await expect(assertNoEviction(reader(['maxmemory-policy', 'allkeys-lru']))).rejects.toThrow(RedisEvictionPolicyError);
    await expect(assertNoEviction(reader(['maxmemory-policy', 'volatile-ttl']))).rejects.toThrow(
      /"volatile-ttl".*noeviction.*Refusing to start/s,
    );
    await expect(assertNoEviction(reader(new Error('disabled'), ''))).rejects.toThrow(/"unknown"/);
  });

  it('gives BullMQ connection options (not a client) that wait for reconnects', () => {
    expect(bullConnection('redis://127.0.0.1:6379/3')).toEqual({ url: 'redis://127.0.0.1:6379/3', maxRetriesPerRequest: null });
  });
});

describe('transient errors', () => {
  it('recognises terminated connections, restarts and network failures', () => {
    expect(isTransientError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientError({ message: 'query failed', driverError: { code: '08006' } })).toBe(true);
    expect(isTransientError(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(true);
  });

  it('does not excuse real bugs or bad data', () => {
    expect(isTransientError(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isTransientError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
    expect(isTransientError('Connection terminated')).toBe(false);
  });
});

describe('validation on receipt', () => {
  const Thing = defineEvent('Thing', 2, 'Thing', z.object({ n: z.number().int() }));
  const contracts = { Thing };
  const envelope = (over: Partial<EventEnvelope>): EventEnvelope => ({
    id: '00000000-0000-4000-8000-000000000001',
    type: 'Thing',
    version: 2,
    source: 'probe',
    aggregateType: 'Thing',
    aggregateId: 't1',
    sequence: 1,
    occurredAt: new Date(0).toISOString(),
    payload: { n: 1 },
    metadata: {},
    ...over,
  });

  it('returns the envelope with the parsed payload', () => {
    expect(validateEnvelope(contracts, envelope({})).payload).toEqual({ n: 1 });
  });

  it('rejects unknown types, other versions and invalid payloads as InvalidEventError', () => {
    expect(() => validateEnvelope(contracts, envelope({ type: 'Other' }))).toThrow(InvalidEventError);
    expect(() => validateEnvelope(contracts, envelope({ type: 'constructor' }))).toThrow(/Unknown event type/);
    expect(() => validateEnvelope(contracts, envelope({ version: 3 }))).toThrow(/v3 does not match the consumer's contract v2/);
    expect(() => validateEnvelope(contracts, envelope({ payload: { n: 'x' } }))).toThrow(/invalid payload/);
  });
});

describe('admin SDL', () => {
  it('prefixes root fields with the service so subgraphs never share one', () => {
    expect(eventAdminFieldNames('network')).toEqual({ query: 'networkEvents', mutation: 'replayNetworkParkedEvent' });
    const sdl = EVENT_ADMIN_SDL('rotations');
    expect(sdl).toContain('rotationsEvents: EventLogStatus!');
    expect(sdl).toMatch(/replayRotationsParkedEvent\(\s*"""[^"]+"""\s*eventId: ID!\s*\): ParkedEvent!/);
    expect(sdl).toMatch(/type EventLogStatus @shareable/);
    expect(sdl).toMatch(/type ParkedEvent @shareable/);
  });

  it('keeps the shared value types identical across services', () => {
    const types = (s: string) => s.slice(0, s.indexOf('extend type Query'));
    expect(types(EVENT_ADMIN_SDL('network'))).toBe(types(EVENT_ADMIN_SDL('assessment')));
  });

  it('refuses prefixes that would not make valid field names', () => {
    expect(() => eventAdminFieldNames('Network')).toThrow();
    expect(() => eventAdminFieldNames('net-work')).toThrow();
  });
});

describe('logError', () => {
  it('keeps kind, message, code and stack, and drops query parameters (event payloads)', () => {
    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      parameters: ['student@school.example'],
      driverError: { client: {} },
    });
    const logged = logError(error);
    expect(logged).toMatchObject({ type: 'Error', message: 'duplicate key', code: '23505' });
    expect(JSON.stringify(logged)).not.toContain('student@school.example');
    expect(logError('plain')).toEqual({ type: 'string', message: 'plain' });
  });
});

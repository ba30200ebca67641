import { randomUUID } from 'node:crypto';
import { AuditRecorded, auditEntrySchema, isAuditBatchHeader, isAuditEntry } from '../src/contracts/audit';

/**
 * The read path checks audit batches without zod (ADR 0028); the schema stays the contract. For
 * every entry below, valid and invalid at each rule's edge, the two must agree.
 */
const valid = {
  action: 'READ',
  recordType: 'Student',
  recordId: randomUUID(),
  studentId: randomUUID(),
  schoolId: randomUUID(),
  fields: ['email', 'givenName'],
  change: null,
  reason: null,
};

const cases: [string, unknown][] = [
  ['a read', valid],
  ['a change with its reason', { ...valid, action: 'CHANGE', change: 'cancelPlacement', reason: 'Student ill' }],
  ['no fields', { ...valid, fields: [] }],
  ['200 fields of 100 characters', { ...valid, fields: Array.from({ length: 200 }, () => 'f'.repeat(100)) }],
  ['201 fields', { ...valid, fields: Array.from({ length: 201 }, () => 'f') }],
  ['a field of 101 characters', { ...valid, fields: ['f'.repeat(101)] }],
  ['a field that is no string', { ...valid, fields: [1] }],
  ['fields that are no list', { ...valid, fields: 'email' }],
  ['another action', { ...valid, action: 'DELETE' }],
  ['no action', { ...valid, action: undefined }],
  ['an empty record type', { ...valid, recordType: '' }],
  ['a record type of 64 characters', { ...valid, recordType: 'T'.repeat(64) }],
  ['a record type of 65 characters', { ...valid, recordType: 'T'.repeat(65) }],
  ['an empty record id', { ...valid, recordId: '' }],
  ['a record id of 200 characters', { ...valid, recordId: 'r'.repeat(200) }],
  ['a record id of 201 characters', { ...valid, recordId: 'r'.repeat(201) }],
  ['a composite record id', { ...valid, recordId: `${randomUUID()}/${randomUUID()}` }],
  ['a student id that is no uuid', { ...valid, studentId: 'student-1' }],
  ['a student id with a bad variant', { ...valid, studentId: '123e4567-e89b-12d3-c456-426614174000' }],
  ['an upper-case student id', { ...valid, studentId: randomUUID().toUpperCase() }],
  ['the nil uuid as school', { ...valid, schoolId: '00000000-0000-0000-0000-000000000000' }],
  ['a school id that is no uuid', { ...valid, schoolId: 42 }],
  ['no school', { ...valid, schoolId: undefined }],
  ['a change of 100 characters', { ...valid, change: 'c'.repeat(100) }],
  ['a change of 101 characters', { ...valid, change: 'c'.repeat(101) }],
  ['no change key at all', { ...valid, change: undefined }],
  ['a reason of 2000 characters', { ...valid, reason: 'r'.repeat(2000) }],
  ['a reason of 2001 characters', { ...valid, reason: 'r'.repeat(2001) }],
  ['an empty reason', { ...valid, reason: '' }],
  ['a number as reason', { ...valid, reason: 3 }],
  ['null', null],
  ['a string', 'READ'],
];

describe('isAuditEntry agrees with the AuditRecorded entry schema', () => {
  it.each(cases)('%s', (_, entry) => {
    expect(isAuditEntry(entry)).toBe(auditEntrySchema.safeParse(entry).success);
  });

  it('covers both answers', () => {
    const answers = new Set(cases.map(([, e]) => isAuditEntry(e)));
    expect(answers).toEqual(new Set([true, false]));
  });
});

const header = AuditRecorded.schema.omit({ entries: true });
const head = {
  requestId: 'req-1',
  operation: 'StudentList',
  actor: { personId: randomUUID(), institutionId: randomUUID(), roles: ['COORDINATOR', 'MENTOR'] },
  at: '2026-12-06T10:00:00.000Z',
};
const headers: [string, typeof head | Record<string, unknown>][] = [
  ['a header', head],
  ['no operation name', { ...head, operation: '' }],
  ['an operation name of 201 characters', { ...head, operation: 'o'.repeat(201) }],
  ['an empty request id', { ...head, requestId: '' }],
  ['a request id of 200 characters', { ...head, requestId: 'r'.repeat(200) }],
  ['a request id of 201 characters', { ...head, requestId: 'r'.repeat(201) }],
  ['a network admin with no institution', { ...head, actor: { ...head.actor, institutionId: null, roles: ['NETWORK_ADMIN'] } }],
  ['no roles', { ...head, actor: { ...head.actor, roles: [] } }],
  ['an unknown role', { ...head, actor: { ...head.actor, roles: ['ROOT'] } }],
  ['an empty person id', { ...head, actor: { ...head.actor, personId: '' } }],
  ['an institution that is no string', { ...head, actor: { ...head.actor, institutionId: 7 } }],
  ['no actor', { ...head, actor: null }],
  ['an instant with an offset', { ...head, at: '2026-12-06T11:00:00+01:00' }],
  ['an instant without an offset', { ...head, at: '2026-12-06T10:00:00' }],
  ['a day that does not exist', { ...head, at: '2026-02-30T10:00:00Z' }],
  ['no instant', { ...head, at: 1765000000000 }],
];

describe('isAuditBatchHeader agrees with the AuditRecorded schema without its entries', () => {
  it.each(headers)('%s', (_, h) => {
    expect(isAuditBatchHeader(h as typeof head)).toBe(header.safeParse(h).success);
  });

  it('covers both answers', () => {
    expect(new Set(headers.map(([, h]) => isAuditBatchHeader(h as typeof head)))).toEqual(new Set([true, false]));
  });
});

import { z } from 'zod';
import { BadUserInputError } from '../src/errors';
import { isIanaTimeZone, parseInput } from '../src/validation';
import { decodeCursor, pageRequest, toConnection } from '../src/pagination';

describe('parseInput', () => {
  const schema = z.object({ email: z.email(), year: z.number().int().min(2000) });

  it('returns the parsed input when valid', () => {
    expect(parseInput(schema, { email: 'a@b.org', year: 2024 })).toEqual({ email: 'a@b.org', year: 2024 });
  });

  it('raises BAD_USER_INPUT naming every bad field', () => {
    try {
      parseInput(schema, { email: 'nope', year: 1990 });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(BadUserInputError);
      const e = error as BadUserInputError;
      expect(e.code).toBe('BAD_USER_INPUT');
      expect((e.details?.fields as { path: string }[]).map((f) => f.path)).toEqual(['email', 'year']);
    }
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Ho_Chi_Minh'])('accepts %s', (tz) => expect(isIanaTimeZone(tz)).toBe(true));
  it.each(['Mars/Olympus', 'GMT+25', '', 'Berlin'])('refuses %p', (tz) => expect(isIanaTimeZone(tz)).toBe(false));
});

describe('connections', () => {
  it('pages with an extra row to know whether more exist', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toConnection(rows, 2, (r) => r.id);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor!)).toBe('b');
    expect(toConnection(rows.slice(0, 2), 2, (r) => r.id).pageInfo.hasNextPage).toBe(false);
  });

  it('encodes an edge cursor only when it is read (a page of 200 asked for nodes keys one row, the last)', () => {
    const rows = Array.from({ length: 201 }, (_, i) => ({ id: `r${i}` }));
    const keyed: string[] = [];
    const page = toConnection(rows, 200, (r) => (keyed.push(r.id), r.id));
    expect(keyed).toEqual(['r199']);
    expect(decodeCursor(page.edges[7]!.cursor)).toBe('r7');
    expect(page.edges[199]!.cursor).toBe(page.pageInfo.endCursor);
    expect(JSON.parse(JSON.stringify(page.edges[0]))).toEqual({ cursor: page.edges[0]!.cursor, node: { id: 'r0' } });
    expect(toConnection([], 200, (r: { id: string }) => r.id).pageInfo.endCursor).toBeNull();
  });

  it('refuses page sizes outside 1..100', () => {
    expect(pageRequest({ first: 100 }).limit).toBe(100);
    expect(() => pageRequest({ first: 0 })).toThrow(BadUserInputError);
    expect(() => pageRequest({ first: 101 })).toThrow(/between 1 and 100/);
  });

  it('takes a larger maximum where a list declares one (a block board of 200 rows)', () => {
    expect(pageRequest({ first: 200 }, 200).limit).toBe(200);
    expect(() => pageRequest({ first: 201 }, 200)).toThrow(/between 1 and 200/);
    expect(() => pageRequest({ first: 0 }, 200)).toThrow(BadUserInputError);
  });
});

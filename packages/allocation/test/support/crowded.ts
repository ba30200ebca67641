import { type AllocationInput } from '../../src';
import { blocks, prefs, sites, student } from './build';

/**
 * n students, four blocks, two specialties of three departments each, with crowded favourites so
 * that the integer program has work to do: the instance the thread tests solve in and out of a
 * worker thread.
 */
export function crowdedInstance(n: number): AllocationInput {
  const b = ['b1', 'b2', 'b3', 'b4'];
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const departments = ['XA', 'XB', 'XC', 'YA', 'YB', 'YC'];
  return {
    blocks: blocks(...b),
    students: ids.map((id) => student(id, 2, { X: 1, Y: 1 })),
    sites: departments.flatMap((d) => sites(d, b, Math.ceil(n / 11), d[0]!)),
    preferences: ids.flatMap((id, i) =>
      prefs(id, Object.fromEntries(departments.map((d, j) => [d, 1 + ((i * 7 + j * ((i % 5) + 1)) % 6)]))),
    ),
  };
}

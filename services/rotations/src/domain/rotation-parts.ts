/**
 * The parts of a rotation longer than one block (ADR 0027 §9) after one of them changed
 * (ADR 0035): which live parts remain, their numbering and span, and the rotation's name for
 * what remains; and whether a swap or move leaves the rotation whole (one department,
 * blocks that follow each other). Pure: the data layer reads the rows and writes the result.
 */

/** One part of a rotation as stored, with its block's name and calendar position. */
export interface RotationPartRow {
  id: string;
  status: string;
  departmentId: string;
  blockId: string;
  blockName: string;
  startsOn: string;
  endsOn: string;
  rotationPart: number;
  rotationParts: number;
  rotationName: string;
}

/** The link a live part gets. */
export interface PartLink {
  id: string;
  part: number;
  parts: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

const spanText = (first: string, last: string): string => (first === last ? first : `${first} – ${last}`);

/**
 * The rotation's words without their block span ("SURGERY at Surgery B (St Mary's)"): the name
 * ends with ", <first block> – <last block>" of the parts it was given for (the engine's words,
 * or a name written here). Every pair of the parts' block names (and of `formerBlockNames`, the
 * blocks a swap just moved a part out of) is tried, longest suffix first; a name that matches
 * none is kept whole.
 */
export function rotationWhat(name: string, blockNames: readonly string[]): string | null {
  const names = [...new Set(blockNames)];
  const suffixes = names.flatMap((a) => names.map((b) => `, ${spanText(a, b)}`)).sort((x, y) => y.length - x.length);
  const suffix = suffixes.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix ? name.slice(0, name.length - suffix.length) : null;
}

/**
 * The live parts (every part not cancelled), numbered 1..m in calendar order, spanning the first
 * live part's start to the last one's end, named for that span. Cancelled parts keep the link
 * they had when they were cancelled (what the rotation was then); they are not returned.
 */
export function relinkedParts(parts: readonly RotationPartRow[], formerBlockNames: readonly string[] = []): PartLink[] {
  const live = parts
    .filter((p) => p.status !== 'CANCELLED')
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id.localeCompare(b.id));
  if (!live.length) return [];
  const first = live[0]!;
  const last = live[live.length - 1]!;
  const what = rotationWhat(first.rotationName, [...parts.map((p) => p.blockName), ...formerBlockNames]);
  const name = what === null ? first.rotationName : `${what}, ${spanText(first.blockName, last.blockName)}`;
  return live.map((p, i) => ({ id: p.id, part: i + 1, parts: live.length, name, startsOn: first.startsOn, endsOn: last.endsOn }));
}

/** A block of the school's calendar, in calendar order. */
export interface CalendarBlock {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
}

/** Days between consecutive blocks beyond which a rotation does not span the boundary (ADR 0027 §7). */
export const MAX_DAYS_BETWEEN_PARTS = 7;

const dayNumber = (d: string): number => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 86_400_000;

/**
 * Why the live parts (after a swap or move) no longer make one rotation, or null: they must all
 * be at one department, and their blocks must follow each other in the school's calendar (no
 * block left out between them, no break of more than MAX_DAYS_BETWEEN_PARTS days). One live
 * part is always whole.
 */
export function splitProblem(
  live: readonly Pick<RotationPartRow, 'departmentId' | 'blockId'>[],
  calendar: readonly CalendarBlock[],
): 'DEPARTMENTS' | 'BLOCKS' | null {
  if (live.length < 2) return null;
  if (new Set(live.map((p) => p.departmentId)).size > 1) return 'DEPARTMENTS';
  const order = [...calendar].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const at = live.map((p) => order.findIndex((b) => b.id === p.blockId)).sort((a, b) => a - b);
  if (at.some((i) => i < 0)) return 'BLOCKS';
  for (let i = 1; i < at.length; i++) {
    const previous = order[at[i - 1]!]!;
    const next = order[at[i]!]!;
    if (at[i] !== at[i - 1]! + 1) return 'BLOCKS';
    if (dayNumber(next.startsOn) - dayNumber(previous.endsOn) - 1 > MAX_DAYS_BETWEEN_PARTS) return 'BLOCKS';
  }
  return null;
}

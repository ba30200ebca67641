import { demoId } from './ids';

/**
 * The rotations demo, declared once: rotations' seed creates these blocks and placements through
 * its own commands; assessment's seed rebuilds the placement events from the same lines (with
 * the same ids), so the two demos always describe one calendar.
 */

/** The first school's academic year in the demo. */
export const DEMO_ACADEMIC_YEAR = '2026-2027';

/** Its calendar: five blocks of about eight weeks, by key. */
export const DEMO_BLOCKS = {
  b1: { name: 'Block 1', startsOn: '2026-09-07', endsOn: '2026-10-30' },
  b2: { name: 'Block 2', startsOn: '2026-11-02', endsOn: '2026-12-18' },
  b3: { name: 'Block 3', startsOn: '2027-01-11', endsOn: '2027-03-05' },
  b4: { name: 'Block 4', startsOn: '2027-03-15', endsOn: '2027-05-07' },
  b5: { name: 'Block 5', startsOn: '2027-05-17', endsOn: '2027-07-09' },
} as const;

export type DemoBlockKey = keyof typeof DEMO_BLOCKS;

/** Where a demo placement's lifecycle stops. */
export type DemoPlacementStatus = 'PROPOSED' | 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

export interface DemoPlacementLine {
  /** Its place in the list: the placement's id is `demoPlacementId(index)`. */
  index: number;
  /** The first school's student by index; 0 is the summary's demo student. */
  student: number;
  block: DemoBlockKey;
  /** "<hospital key>/<department key>". */
  site: string;
  status: DemoPlacementStatus;
  /** Supervised by the summary's clinical instructor. */
  supervised?: boolean;
}

/** The first school's demo placements, in every state. */
export const DEMO_PLACEMENTS: readonly DemoPlacementLine[] = [
  { index: 0, student: 1, block: 'b1', site: 'northbridge-general/im', status: 'COMPLETED', supervised: true },
  { index: 1, student: 2, block: 'b1', site: 'northbridge-general/surgery', status: 'COMPLETED' },
  { index: 2, student: 3, block: 'b1', site: 'mercy-riverside/peds', status: 'COMPLETED' },
  { index: 3, student: 0, block: 'b2', site: 'northbridge-general/im', status: 'IN_PROGRESS', supervised: true },
  { index: 4, student: 4, block: 'b2', site: 'northbridge-general/ed', status: 'IN_PROGRESS' },
  { index: 5, student: 5, block: 'b2', site: 'mercy-riverside/peded', status: 'IN_PROGRESS' },
  { index: 6, student: 1, block: 'b3', site: 'northbridge-general/cardio', status: 'CONFIRMED' },
  { index: 7, student: 2, block: 'b3', site: 'northbridge-general/im', status: 'CONFIRMED', supervised: true },
  { index: 8, student: 0, block: 'b3', site: 'mercy-riverside/nicu', status: 'CONFIRMED' },
  { index: 9, student: 3, block: 'b4', site: 'northbridge-general/neuro', status: 'PROPOSED' },
  { index: 10, student: 4, block: 'b4', site: 'northbridge-general/im', status: 'PROPOSED' },
  { index: 11, student: 6, block: 'b4', site: 'northbridge-general/surgery', status: 'CANCELLED' },
];

export const demoBlockId = (key: DemoBlockKey): string => demoId(`rotations/block:${key}`);
export const demoPlacementId = (index: number): string => demoId(`rotations/placement:${index}`);

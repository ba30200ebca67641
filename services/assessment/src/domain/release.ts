import { type WithheldReason } from './model';

/**
 * When learners' evaluations of a teacher or a site may be shown, and which ones.
 *
 * Evaluations are never shown one by one, to anyone but their author. Aggregates are built only
 * from CLOSED blocks: a block is closed for a teacher (or a site) when every placement of it
 * there has ended (completed or cancelled) and every evaluation task of it is settled
 * (submitted, declined or expired). Until then the numbers would move as each evaluation
 * arrives, and watching them move tells who said what.
 *
 * For a teacher, closed blocks are taken in the order they closed and released in GROUPS: the
 * first group needs at least k distinct evaluators across at least `minBlocks` blocks, every
 * later group at least k distinct evaluators of its own. The released aggregate only ever grows
 * by a whole group, so comparing it before and after a change never isolates fewer than k
 * people. Blocks not yet in a released group wait for the next one.
 */
export interface BlockEvaluations {
  blockId: string;
  /** When the block closed (the last of its tasks settled). */
  closedAt: Date;
  evaluatorIds: readonly string[];
}

export interface TeacherRelease {
  released: boolean;
  withheldReason: WithheldReason | null;
  /** The blocks whose evaluations the released aggregate is made of. */
  blockIds: string[];
  evaluatorCount: number;
  /** When the last released group closed. */
  releasedThrough: Date | null;
}

export function teacherRelease(blocks: readonly BlockEvaluations[], k: number, minBlocks: number): TeacherRelease {
  const ordered = [...blocks].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime() || a.blockId.localeCompare(b.blockId));
  const released: BlockEvaluations[] = [];
  let pending: BlockEvaluations[] = [];
  const distinct = (group: readonly BlockEvaluations[]) => new Set(group.flatMap((b) => b.evaluatorIds)).size;
  for (const block of ordered) {
    if (!block.evaluatorIds.length) continue;
    pending.push(block);
    const enoughBlocks = released.length > 0 || pending.length >= minBlocks;
    if (enoughBlocks && distinct(pending) >= k) {
      released.push(...pending);
      pending = [];
    }
  }
  if (!released.length) {
    // A block nobody evaluated adds no evaluator, so all blocks count here.
    return {
      released: false,
      withheldReason: distinct(ordered) < k ? 'TOO_FEW_EVALUATORS' : 'TOO_FEW_BLOCKS',
      blockIds: [],
      evaluatorCount: 0,
      releasedThrough: null,
    };
  }
  return {
    released: true,
    withheldReason: null,
    blockIds: released.map((b) => b.blockId),
    evaluatorCount: distinct(released),
    releasedThrough: (released[released.length - 1] as BlockEvaluations).closedAt,
  };
}

/** What closing needs to know about one placement and its evaluation tasks in a block. */
export interface PlacementInBlock {
  blockId: string;
  placementStatus: string;
  /** The evaluation tasks of the placement that concern the scope (the teacher, or the site). */
  tasks: readonly { status: string; settledAt: Date | null }[];
}

/** The closed blocks and when each closed; a block with a live placement or a pending task is open. */
export function closedBlocks(placements: readonly PlacementInBlock[]): Map<string, Date> {
  const open = new Set<string>();
  const closedAt = new Map<string, Date>();
  for (const p of placements) {
    const ended = p.placementStatus === 'COMPLETED' || p.placementStatus === 'CANCELLED';
    if (!ended || p.tasks.some((t) => t.status === 'PENDING' || t.settledAt === null)) {
      open.add(p.blockId);
      continue;
    }
    for (const t of p.tasks) {
      const at = t.settledAt as Date;
      // Stryker disable next-line EqualityOperator: a settlement at the same instant closes the block at the same time.
      if (!closedAt.has(p.blockId) || (closedAt.get(p.blockId) as Date) < at) closedAt.set(p.blockId, at);
    }
    if (!closedAt.has(p.blockId)) closedAt.set(p.blockId, new Date(0));
  }
  for (const id of open) closedAt.delete(id);
  return closedAt;
}

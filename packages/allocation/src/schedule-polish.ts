import { type Instance } from './instance';
import { type ScheduleWeights } from './types';

/**
 * Whole-schedule polish (issue 14, item 6; docs/adr/0038-whole-schedule-polish.md): a pure step
 * after either mechanism that rearranges each student's blocks to lower hospital changes and idle
 * blocks, without changing anything the mechanisms decided on.
 *
 * Every move keeps each placement's department and rank, so each student's ranks (worst, total)
 * and the run's worst/total rank and rank distribution are unchanged, and so is each student's
 * largest total (fairness on totals is never made worse: it cannot move at all). Moves:
 *  - exchange the blocks of two of a student's placements (at the same two departments);
 *  - move a placement to another block of the same department where the student has nothing and
 *    the department has a free seat.
 * A move is kept only when it strictly lowers the student's (weighted cost, hospital changes): on
 * equal cost the schedule with fewer hospital changes wins (continuity first). Placements that are
 * pinned, part of a rotation longer than one block, or of a pair are never moved; seats,
 * eligibility (availability, bars, prerequisites, closed departments), staffing minimums and
 * precedences are re-checked for every move. Deterministic: students in index order, moves in
 * block order, the best move first.
 */

export const DEFAULT_SCHEDULE_WEIGHTS: ScheduleWeights = { hospitalChange: 1, idleBlock: 1 };

interface Pick {
  student: number;
  site: number;
}

export interface PolishOutcome {
  picks: Pick[];
  /** Moves applied (an exchange of two blocks counts once). */
  moves: number;
}

/** The weights a run asked for, defaults filled in; TypeError on a negative or non-finite one. */
export function scheduleWeightsOf(partial: Partial<ScheduleWeights> | undefined): ScheduleWeights {
  const weights = { ...DEFAULT_SCHEDULE_WEIGHTS, ...(partial ?? {}) };
  for (const [name, w] of Object.entries(weights))
    if (!Number.isFinite(w) || w < 0) throw new TypeError(`schedule weight ${name} must be a finite number >= 0`);
  return weights;
}

const MAX_PASSES = 50;

export function polishSchedules(inst: Instance, picks: readonly Pick[], weights: ScheduleWeights): PolishOutcome {
  const nBlocks = inst.blocks.length;
  if (weights.hospitalChange === 0 && weights.idleBlock === 0) return { picks: [...picks], moves: 0 };
  const used = new Int32Array(inst.sites.length);
  const staffedCount = new Int32Array(inst.staffed.length);
  const siteAt = inst.students.map(() => new Int32Array(nBlocks).fill(-1));
  for (const p of picks) {
    used[p.site]!++;
    const st = inst.staffedOf[p.site]!;
    if (st !== -1) staffedCount[st]!++;
    siteAt[p.student]![inst.sites[p.site]!.block] = p.site;
  }
  // Per student: eligible sites by department and block, with their rank.
  const candidateAt = (s: number) => {
    const map = new Map<number, { site: number; rank: number }[]>();
    for (const c of inst.candidates[s]!) {
      const site = inst.sites[c.site]!;
      const key = site.department * nBlocks + site.block;
      const list = map.get(key);
      if (list) list.push(c);
      else map.set(key, [c]);
    }
    return map;
  };
  const pinned = new Set(inst.pins.map((p) => `${p.student}:${p.block}`));

  let moves = 0;
  for (const st of inst.students) {
    const s = st.index;
    if (inst.groupOf[s] !== -1) continue;
    const at = siteAt[s]!;
    if (!at.some((x) => x !== -1)) continue;
    const cands = candidateAt(s);
    const movable = (b: number) => {
      const x = at[b]!;
      return x !== -1 && !pinned.has(`${s}:${b}`) && st.duration[inst.sites[x]!.spec] === 1;
    };
    /** A site of the department of `from` in block `b`, eligible for the student at the same rank, with a free seat. */
    const sameAt = (from: number, b: number): number => {
      const site = inst.sites[from]!;
      const rank = inst.rankOf(s, site);
      const list = cands.get(site.department * nBlocks + b) ?? [];
      // The student's school's reserved seats first, as the mechanisms fill them.
      const ok = list.filter((c) => c.rank === rank && used[c.site]! < inst.sites[c.site]!.seats);
      ok.sort((a, c) => Number(inst.sites[c.site]!.schoolId !== null) - Number(inst.sites[a.site]!.schoolId !== null) || a.site - c.site);
      return ok.length ? ok[0]!.site : -1;
    };
    const cost = (): [number, number] => {
      let changes = 0;
      let idle = 0;
      let last = -1;
      let prevHospital = -1;
      for (let b = 0; b < nBlocks; b++) {
        const x = at[b]!;
        if (x === -1) continue;
        const h = inst.sites[x]!.hospital;
        if (prevHospital !== -1 && h !== prevHospital) changes++;
        prevHospital = h;
        last = b;
      }
      for (let b = 0; b < last; b++) if (at[b] === -1 && inst.available[s]![b]) idle++;
      return [weights.hospitalChange * changes + weights.idleBlock * idle, changes];
    };
    const precedencesHold = () => {
      for (const [before, after] of st.precedences) {
        let lastBefore = -1;
        let firstAfter = Infinity;
        for (let b = 0; b < nBlocks; b++) {
          const x = at[b]!;
          if (x === -1) continue;
          const spec = inst.sites[x]!.spec;
          if (spec === before) lastBefore = b;
          if (spec === after && firstAfter === Infinity) firstAfter = b;
        }
        if (lastBefore >= firstAfter) return false;
      }
      return true;
    };
    /** Applies `changes` (block → new site or -1), returns an undo. */
    const apply = (changes: [number, number][]) => {
      const undo: [number, number][] = changes.map(([b]) => [b, at[b]!]);
      for (const [b] of changes) {
        const x = at[b]!;
        if (x !== -1) {
          used[x]!--;
          if (inst.staffedOf[x] !== -1) staffedCount[inst.staffedOf[x]!]!--;
        }
      }
      for (const [b, y] of changes) {
        at[b] = y;
        if (y !== -1) {
          used[y]!++;
          if (inst.staffedOf[y] !== -1) staffedCount[inst.staffedOf[y]!]!++;
        }
      }
      return () => apply(undo);
    };
    const staffingHolds = (touched: number[]) =>
      touched.every((x) => {
        const k = inst.staffedOf[x]!;
        return k === -1 || staffedCount[k] === 0 || staffedCount[k]! >= inst.staffed[k]!.min;
      });
    const better = (a: [number, number], b: [number, number]) => a[0] < b[0] - 1e-9 || (Math.abs(a[0] - b[0]) <= 1e-9 && a[1] < b[1]);

    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const current = cost();
      let best: { changes: [number, number][]; cost: [number, number] } | null = null;
      const consider = (changes: [number, number][]) => {
        const before = changes.map(([b]) => at[b]!).filter((x) => x !== -1);
        const undo = apply(changes);
        const touched = [...before, ...changes.map(([, y]) => y).filter((y) => y !== -1)];
        const seatsOk = changes.every(([, y]) => y === -1 || used[y]! <= inst.sites[y]!.seats);
        if (seatsOk && staffingHolds(touched) && precedencesHold()) {
          const c = cost();
          if (better(c, best?.cost ?? current)) best = { changes, cost: c };
        }
        undo();
      };
      for (let b1 = 0; b1 < nBlocks; b1++) {
        if (!movable(b1)) continue;
        for (let b2 = 0; b2 < nBlocks; b2++) {
          if (b2 === b1) continue;
          if (at[b2] === -1) {
            if (!inst.available[s]![b2]) continue;
            const y = sameAt(at[b1]!, b2);
            if (y !== -1)
              consider([
                [b1, -1],
                [b2, y],
              ]);
          } else if (b2 > b1 && movable(b2) && inst.sites[at[b1]!]!.department !== inst.sites[at[b2]!]!.department) {
            const y1 = sameAt(at[b1]!, b2);
            const y2 = sameAt(at[b2]!, b1);
            if (y1 !== -1 && y2 !== -1)
              consider([
                [b1, y2],
                [b2, y1],
              ]);
          }
        }
      }
      if (!best) break;
      apply((best as { changes: [number, number][] }).changes);
      moves++;
    }
  }
  const out: Pick[] = [];
  siteAt.forEach((at, s) => at.forEach((x) => x !== -1 && out.push({ student: s, site: x })));
  return { picks: out, moves };
}

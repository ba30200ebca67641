import { type Instance } from './instance';

/**
 * Rotations longer than one block read back from an allocation: the blocks a student has at a
 * department of a long specialty, cut into runs of consecutive blocks and then into rotations,
 * with the words people read ("Surgery at St Mary's (Central), blocks 3–4").
 */

/**
 * Per student, long specialty and department: the picked blocks cut into runs of consecutive
 * blocks (a calendar break or a missing block ends a run).
 */
export function runsOf(
  inst: Instance,
  picks: readonly { student: number; site: number }[],
): { s: number; department: number; spec: number; blocks: number[]; duration: number }[] {
  const groups = new Map<string, { s: number; department: number; spec: number; blocks: number[] }>();
  for (const p of picks) {
    const site = inst.sites[p.site]!;
    if (inst.students[p.student]!.duration[site.spec]! < 2) continue;
    const key = `${p.student}:${site.department}`;
    const g = groups.get(key) ?? { s: p.student, department: site.department, spec: site.spec, blocks: [] };
    g.blocks.push(site.block);
    groups.set(key, g);
  }
  const runs: { s: number; department: number; spec: number; blocks: number[]; duration: number }[] = [];
  for (const g of groups.values()) {
    const blocks = [...new Set(g.blocks)].sort((a, b) => a - b);
    let run: number[] = [];
    for (const b of blocks) {
      if (run.length && !(b === run[run.length - 1]! + 1 && inst.spans(b - 1, 2))) {
        runs.push({ ...g, blocks: run, duration: inst.students[g.s]!.duration[g.spec]! });
        run = [];
      }
      run.push(b);
    }
    if (run.length) runs.push({ ...g, blocks: run, duration: inst.students[g.s]!.duration[g.spec]! });
  }
  return runs;
}

export interface PlacedRotation {
  student: number;
  department: number;
  spec: number;
  /** Block indexes, consecutive. */
  blocks: number[];
  /** The first block's site (names). */
  site: number;
  label: string;
}

/** "blocks 3–4" for default labels, else "Autumn 1 – Autumn 2". */
export function spanLabel(inst: Instance, blocks: readonly number[]): string {
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  const plain = (b: number) => inst.blocks[b]!.label === `block ${b + 1}`;
  if (plain(first) && plain(last)) return `blocks ${first + 1}–${last + 1}`;
  return `${inst.blocks[first]!.label} – ${inst.blocks[last]!.label}`;
}

/** Every rotation longer than one block in an allocation, by student then block. */
export function placedRotations(inst: Instance, picks: readonly { student: number; site: number }[]): PlacedRotation[] {
  const siteAt = new Map(picks.map((p) => [`${p.student}:${inst.sites[p.site]!.department}:${inst.sites[p.site]!.block}`, p.site]));
  const out: PlacedRotation[] = [];
  for (const run of runsOf(inst, picks)) {
    for (let i = 0; i < run.blocks.length; i += run.duration) {
      const blocks = run.blocks.slice(i, i + run.duration);
      const site = inst.sites[siteAt.get(`${run.s}:${run.department}:${blocks[0]}`)!]!;
      out.push({
        student: run.s,
        department: run.department,
        spec: run.spec,
        blocks,
        site: site.index,
        label: `${site.specialty} at ${site.departmentName} (${site.hospitalName}), ${spanLabel(inst, blocks)}`,
      });
    }
  }
  return out.sort((a, b) => a.student - b.student || a.blocks[0]! - b.blocks[0]!);
}

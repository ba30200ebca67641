import { createHash } from 'node:crypto';
import { type AllocationInput } from './types';

/**
 * One canonical form per instance: lists that are sets are sorted, absent and null fields are
 * dropped, block order (the calendar) is kept. Solving the canonical form makes the result
 * independent of the order rows came out of the database, and hashing it gives the same hash
 * for the same instance.
 */

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byKeys =
  <T>(...keys: ((t: T) => string | number)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return typeof x === 'number' && typeof y === 'number' ? x - y : cmp(String(x), String(y));
    }
    return 0;
  };

/** Drops undefined and null fields so that `{ x: null }`, `{ x: undefined }` and `{}` agree. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export function canonicalizeInput(input: AllocationInput): AllocationInput {
  const s = (v: string | null | undefined) => v ?? '';
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const out: AllocationInput = {
    blocks: input.blocks.map((b) => compact({ id: b.id, label: b.label, gapBefore: b.gapBefore || undefined })),
    students: input.students
      .map((st) =>
        compact({
          id: st.id,
          schoolId: st.schoolId,
          trackId: st.trackId,
          priority: st.priority,
          name: st.name,
          requirement: compact({
            blocksToFill: st.requirement.blocksToFill,
            electiveMaxBlocks: st.requirement.electiveMaxBlocks,
            departmentMaxBlocks: st.requirement.departmentMaxBlocks,
            groups: st.requirement.groups?.length
              ? st.requirement.groups
                  .map((g) =>
                    compact({
                      specialties: [...new Set(g.specialties)].sort(cmp),
                      minBlocks: g.minBlocks,
                      maxBlocks: g.maxBlocks,
                      label: g.label,
                    }),
                  )
                  .sort(byKeys((g) => g.specialties.join('\u0000')))
              : undefined,
            specialties: st.requirement.specialties
              .map((r) =>
                compact({
                  specialty: r.specialty,
                  minBlocks: r.minBlocks,
                  maxBlocks: r.maxBlocks,
                  // 1 is the default: absent and 1 hash alike.
                  durationBlocks: (r.durationBlocks ?? 1) > 1 ? r.durationBlocks : undefined,
                }),
              )
              .sort(byKeys((r) => r.specialty)),
          }),
        }),
      )
      .sort(byKeys((st) => st.id)),
    sites: input.sites
      .map((x) =>
        compact({
          departmentId: x.departmentId,
          hospitalId: x.hospitalId,
          specialty: x.specialty,
          blockId: x.blockId,
          seats: x.seats,
          schoolId: x.schoolId,
          departmentName: x.departmentName,
          hospitalName: x.hospitalName,
        }),
      )
      .sort(
        byKeys(
          (x) => blockIndex.get(x.blockId) ?? -1,
          (x) => x.departmentId,
          (x) => s(x.schoolId),
        ),
      ),
    preferences: input.preferences
      .map((p) =>
        compact({ studentId: p.studentId, rank: p.rank, departmentId: p.departmentId, specialty: p.specialty, blockId: p.blockId }),
      )
      .sort(
        byKeys(
          (p) => p.studentId,
          (p) => p.rank,
          (p) => s(p.departmentId),
          (p) => s(p.specialty),
          (p) => s(p.blockId),
        ),
      ),
  };
  if (input.pins?.length) {
    out.pins = input.pins
      .map((p) => ({ studentId: p.studentId, departmentId: p.departmentId, blockId: p.blockId }))
      .sort(
        byKeys(
          (p) => p.studentId,
          (p) => p.blockId,
          (p) => p.departmentId,
        ),
      );
  }
  if (input.bars?.length) {
    out.bars = input.bars
      .map((b) =>
        compact({ studentId: b.studentId, departmentId: b.departmentId, hospitalId: b.hospitalId, blockId: b.blockId, reason: b.reason }),
      )
      .sort(
        byKeys(
          (b) => b.studentId,
          (b) => s(b.hospitalId),
          (b) => s(b.departmentId),
          (b) => s(b.blockId),
          (b) => s(b.reason),
        ),
      );
  }
  if (input.pairs?.length) {
    out.pairs = input.pairs.map((p) => ({ studentIds: [...p.studentIds].sort(cmp) })).sort(byKeys((p) => p.studentIds.join('\u0000')));
  }
  if (input.prerequisites?.length) {
    out.prerequisites = input.prerequisites
      .map((p) => ({ studentId: p.studentId, specialty: p.specialty, notBeforeBlockId: p.notBeforeBlockId }))
      .sort(
        byKeys(
          (p) => p.studentId,
          (p) => p.specialty,
          (p) => p.notBeforeBlockId,
        ),
      );
  }
  if (input.precedences?.length) {
    out.precedences = input.precedences
      .map((p) => compact({ studentId: p.studentId, before: p.before, after: p.after }))
      .sort(
        byKeys(
          (p) => s(p.studentId),
          (p) => p.before,
          (p) => p.after,
        ),
      );
  }
  if (input.unavailable?.length) {
    // One line per student and block (the first reason given wins, in canonical order).
    const seen = new Set<string>();
    out.unavailable = input.unavailable
      .map((u) => compact({ studentId: u.studentId, blockId: u.blockId, reason: u.reason }))
      .sort(
        byKeys(
          (u) => u.studentId,
          (u) => blockIndex.get(u.blockId) ?? -1,
          (u) => s(u.reason),
        ),
      )
      .filter((u) => !seen.has(`${u.studentId}\u0000${u.blockId}`) && !!seen.add(`${u.studentId}\u0000${u.blockId}`));
  }
  if (input.staffingMinimums?.length) {
    out.staffingMinimums = input.staffingMinimums
      .map((m) => compact({ departmentId: m.departmentId, minStudents: m.minStudents, blockId: m.blockId }))
      .sort(
        byKeys(
          (m) => m.departmentId,
          (m) => (m.blockId ? (blockIndex.get(m.blockId) ?? -1) : -2),
        ),
      );
  }
  if (input.hospitalLimits?.length) {
    out.hospitalLimits = input.hospitalLimits
      .map((l) => ({ hospitalId: l.hospitalId, maxBlocksPerStudent: l.maxBlocksPerStudent }))
      .sort(byKeys((l) => l.hospitalId));
  }
  if (input.departments?.length) {
    out.departments = input.departments
      .map((d) =>
        compact({
          departmentId: d.departmentId,
          hospitalId: d.hospitalId,
          specialty: d.specialty,
          departmentName: d.departmentName,
          hospitalName: d.hospitalName,
        }),
      )
      .sort(byKeys((d) => d.departmentId));
  }
  if (input.specialties?.length) out.specialties = [...new Set(input.specialties)].sort(cmp);
  if (input.unrankedRank !== undefined) out.unrankedRank = input.unrankedRank;
  return out;
}

/** JSON with object keys sorted, so that key order never changes the hash. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => cmp(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of the canonical form, prefixed with a format version: two snapshots of the same
 * instance hash alike whatever their row order; store it with a run to prove what was solved.
 */
export function hashAllocationInput(input: AllocationInput): string {
  return createHash('sha256')
    .update(`medcollab-allocation-input/v1\n${stableStringify(canonicalizeInput(input))}`)
    .digest('hex');
}

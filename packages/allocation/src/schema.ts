import { z } from 'zod';
import { type AllocationInput } from './types';

/**
 * Shape validation of the snapshot (zod) plus the cross-reference checks zod cannot express.
 * Broken references are a bug in whoever built the snapshot, so they throw; an instance that is
 * well-formed but cannot be satisfied is not an error and yields an INFEASIBLE result instead.
 */

const id = z.string().min(1);
const optionalId = id.nullish();
const count = z.number().int().min(0);

const requirementSchema = z.object({
  blocksToFill: count,
  specialties: z.array(
    z
      .object({ specialty: id, minBlocks: count, maxBlocks: count.optional(), durationBlocks: z.number().int().min(1).optional() })
      .refine((r) => r.maxBlocks === undefined || r.maxBlocks >= r.minBlocks, {
        message: 'maxBlocks must be at least minBlocks',
      })
      // A rotation is indivisible: the blocks of the specialty come in whole rotations.
      .refine((r) => r.minBlocks % (r.durationBlocks ?? 1) === 0 && (r.maxBlocks ?? r.minBlocks) % (r.durationBlocks ?? 1) === 0, {
        message: 'minBlocks and maxBlocks must be multiples of durationBlocks',
      }),
  ),
  electiveMaxBlocks: count,
  departmentMaxBlocks: z.number().int().min(1).optional(),
  groups: z
    .array(
      z
        .object({ specialties: z.array(id).min(1), minBlocks: count, maxBlocks: count.optional(), label: z.string().optional() })
        .refine((g) => g.maxBlocks === undefined || g.maxBlocks >= g.minBlocks, { message: 'maxBlocks must be at least minBlocks' }),
    )
    .optional(),
});

export const allocationInputSchema = z.object({
  blocks: z.array(z.object({ id, label: z.string().optional(), gapBefore: z.boolean().optional() })).min(1),
  students: z.array(
    z.object({
      id,
      schoolId: id,
      trackId: optionalId,
      priority: z.number().int().optional(),
      requirement: requirementSchema,
      name: z.string().optional(),
    }),
  ),
  sites: z.array(
    z.object({
      departmentId: id,
      hospitalId: id,
      specialty: id,
      blockId: id,
      seats: count,
      schoolId: optionalId,
      departmentName: z.string().optional(),
      hospitalName: z.string().optional(),
    }),
  ),
  preferences: z.array(
    z
      .object({ studentId: id, rank: z.number().int().min(1), departmentId: optionalId, specialty: optionalId, blockId: optionalId })
      .refine((p) => !p.departmentId !== !p.specialty, { message: 'a preference names either a departmentId or a specialty' }),
  ),
  pins: z.array(z.object({ studentId: id, departmentId: id, blockId: id })).optional(),
  bars: z
    .array(
      z
        .object({ studentId: id, departmentId: optionalId, hospitalId: optionalId, blockId: optionalId, reason: z.string().optional() })
        .refine((b) => !!b.departmentId || !!b.hospitalId, { message: 'a bar names a departmentId or a hospitalId' }),
    )
    .optional(),
  pairs: z.array(z.object({ studentIds: z.array(id).min(2) })).optional(),
  prerequisites: z.array(z.object({ studentId: id, specialty: id, notBeforeBlockId: id })).optional(),
  precedences: z
    .array(
      z
        .object({ studentId: optionalId, before: id, after: id })
        .refine((p) => p.before !== p.after, { message: 'a specialty cannot precede itself' }),
    )
    .optional(),
  unavailable: z.array(z.object({ studentId: id, blockId: id, reason: z.string().optional() })).optional(),
  staffingMinimums: z.array(z.object({ departmentId: id, minStudents: z.number().int().min(2), blockId: optionalId })).optional(),
  hospitalLimits: z.array(z.object({ hospitalId: id, maxBlocksPerStudent: z.number().int().min(1) })).optional(),
  departments: z
    .array(
      z.object({
        departmentId: id,
        hospitalId: id,
        specialty: id,
        departmentName: z.string().optional(),
        hospitalName: z.string().optional(),
      }),
    )
    .optional(),
  specialties: z.array(id).optional(),
  unrankedRank: z.number().int().min(1).optional(),
});

/** The snapshot is malformed (a bug upstream, not an infeasible instance). */
export class AllocationInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid allocation input: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`);
    this.name = 'AllocationInputError';
  }
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function referenceIssues(input: AllocationInput): string[] {
  const issues: string[] = [];
  const blockIds = new Set(input.blocks.map((b) => b.id));
  const studentIds = new Set(input.students.map((s) => s.id));
  for (const d of duplicates(input.blocks.map((b) => b.id))) issues.push(`block ${d} is listed twice`);
  for (const d of duplicates(input.students.map((s) => s.id))) issues.push(`student ${d} is listed twice`);
  for (const d of duplicates((input.hospitalLimits ?? []).map((l) => l.hospitalId))) issues.push(`hospital ${d} has two limits`);
  for (const d of duplicates((input.staffingMinimums ?? []).map((m) => `${m.departmentId}${m.blockId ? ` in block ${m.blockId}` : ''}`)))
    issues.push(`department ${d} has two staffing minimums`);
  for (const m of input.staffingMinimums ?? [])
    if (m.blockId && !blockIds.has(m.blockId)) issues.push(`a staffing minimum names unknown block ${m.blockId}`);
  for (const s of input.students) {
    for (const d of duplicates(s.requirement.specialties.map((r) => r.specialty)))
      issues.push(`student ${s.id} lists specialty ${d} twice`);
    for (const d of duplicates((s.requirement.groups ?? []).flatMap((g) => [...new Set(g.specialties)])))
      issues.push(`student ${s.id} has specialty ${d} in two requirement groups`);
    for (const r of s.requirement.specialties) {
      const d = r.durationBlocks ?? 1;
      if (d > input.blocks.length)
        issues.push(`student ${s.id}: a rotation of ${r.specialty} lasts ${d} blocks, the year has ${input.blocks.length}`);
    }
  }
  const departments = new Map<string, { hospitalId: string; specialty: string }>();
  for (const d of duplicates(
    input.sites.map((s) => `${s.departmentId} in block ${s.blockId}${s.schoolId ? ` for school ${s.schoolId}` : ''}`),
  )) {
    issues.push(`site ${d} is listed twice`);
  }
  for (const site of input.sites) {
    if (!blockIds.has(site.blockId)) issues.push(`site ${site.departmentId} names unknown block ${site.blockId}`);
  }
  for (const d of [...input.sites, ...(input.departments ?? [])]) {
    const known = departments.get(d.departmentId);
    if (!known) departments.set(d.departmentId, { hospitalId: d.hospitalId, specialty: d.specialty });
    else if (known.hospitalId !== d.hospitalId || known.specialty !== d.specialty) {
      issues.push(`department ${d.departmentId} has different hospitals or specialties across its sites`);
    }
  }
  issues.push(...unknownReferences(input, departments));
  const student = (sid: string, what: string) => {
    if (!studentIds.has(sid)) issues.push(`${what} names unknown student ${sid}`);
  };
  const block = (bid: string | null | undefined, what: string) => {
    if (bid && !blockIds.has(bid)) issues.push(`${what} names unknown block ${bid}`);
  };
  for (const p of input.preferences) {
    student(p.studentId, 'a preference');
    block(p.blockId, 'a preference');
  }
  for (const p of input.pins ?? []) {
    student(p.studentId, 'a pin');
    block(p.blockId, 'a pin');
  }
  for (const b of input.bars ?? []) {
    student(b.studentId, 'a bar');
    block(b.blockId, 'a bar');
  }
  for (const p of input.precedences ?? []) if (p.studentId) student(p.studentId, 'a precedence');
  for (const u of input.unavailable ?? []) {
    student(u.studentId, 'an unavailability');
    block(u.blockId, 'an unavailability');
  }
  for (const p of input.prerequisites ?? []) {
    student(p.studentId, 'a prerequisite');
    block(p.notBeforeBlockId, 'a prerequisite');
  }
  for (const pair of input.pairs ?? []) {
    for (const sid of pair.studentIds) student(sid, 'a pair');
    if (duplicates(pair.studentIds).length) issues.push(`a pair lists the same student twice (${pair.studentIds.join(', ')})`);
  }
  const maxRank = input.preferences.reduce((m, p) => Math.max(m, p.rank), 0);
  if (input.unrankedRank !== undefined && input.unrankedRank <= maxRank) {
    issues.push(`unrankedRank ${input.unrankedRank} must be greater than the largest rank used (${maxRank})`);
  }
  return issues;
}

/**
 * Departments, hospitals and specialties named by preferences, pins, bars and prerequisites must
 * be known (a typo would otherwise be a preference that matches nothing, or a bar that bars
 * nothing, silently). One issue per unknown id, naming it and who refers to it.
 */
function unknownReferences(input: AllocationInput, departments: Map<string, { hospitalId: string; specialty: string }>): string[] {
  const hospitals = new Set([...departments.values()].map((d) => d.hospitalId));
  const specialties = new Set([
    ...[...departments.values()].map((d) => d.specialty),
    ...input.students.flatMap((s) => s.requirement.specialties.map((r) => r.specialty)),
    ...input.students.flatMap((s) => (s.requirement.groups ?? []).flatMap((g) => g.specialties)),
    ...(input.specialties ?? []),
  ]);
  const unknown = new Map<string, Set<string>>(); // "department X" → the things naming it
  const note = (known: boolean, what: string, by: string) => {
    if (known) return;
    unknown.set(what, (unknown.get(what) ?? new Set()).add(by));
  };
  for (const p of input.preferences) {
    if (p.departmentId) note(departments.has(p.departmentId), `department ${p.departmentId}`, `a preference of ${p.studentId}`);
    if (p.specialty) note(specialties.has(p.specialty), `specialty ${p.specialty}`, `a preference of ${p.studentId}`);
  }
  for (const p of input.pins ?? []) note(departments.has(p.departmentId), `department ${p.departmentId}`, `a pin of ${p.studentId}`);
  for (const b of input.bars ?? []) {
    if (b.departmentId) note(departments.has(b.departmentId), `department ${b.departmentId}`, `a bar of ${b.studentId}`);
    if (b.hospitalId) note(hospitals.has(b.hospitalId), `hospital ${b.hospitalId}`, `a bar of ${b.studentId}`);
  }
  for (const p of input.prerequisites ?? [])
    note(specialties.has(p.specialty), `specialty ${p.specialty}`, `a prerequisite of ${p.studentId}`);
  for (const m of input.staffingMinimums ?? []) note(departments.has(m.departmentId), `department ${m.departmentId}`, 'a staffing minimum');
  for (const l of input.hospitalLimits ?? []) note(hospitals.has(l.hospitalId), `hospital ${l.hospitalId}`, 'a hospital limit');
  for (const p of input.precedences ?? [])
    for (const k of [p.before, p.after])
      note(specialties.has(k), `specialty ${k}`, `a precedence${p.studentId ? ` of ${p.studentId}` : ''}`);
  return [...unknown.entries()].map(([what, by]) => `unknown ${what} (named by ${[...by].join(', ')})`);
}

/** Validates shape and references; throws AllocationInputError listing every problem found. */
export function parseAllocationInput(raw: unknown): AllocationInput {
  const parsed = allocationInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AllocationInputError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const input = parsed.data as AllocationInput;
  const issues = referenceIssues(input);
  if (issues.length) throw new AllocationInputError(issues);
  return input;
}

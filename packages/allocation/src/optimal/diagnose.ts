import { type InfeasibilityReason } from '../types';
import { conflictReason, findConflictSet } from './conflict';
import { buildMonolithic } from './monolithic';
import { type Session } from './session';

/**
 * Names the constraints an infeasible instance cannot meet when the necessary conditions all
 * passed: the elastic model (soft capacities, fills, required specialties and pair links, each
 * with a slack column) is solved for the least total violation, and every slack left positive
 * becomes a reason. Seat shortfalls cost less than leaving a student short, so the diagnosis
 * prefers "this site needs one more seat" whenever one more seat would do.
 */
export type Diagnosis =
  /** Proven: the least total violation is positive. */
  | { status: 'INFEASIBLE'; reasons: InfeasibilityReason[] }
  /** A complete allocation exists (zero violation): the caller failed to find it in time. */
  | { status: 'FEASIBLE' }
  /** No answer within the limit (or the model is too large to try). */
  | { status: 'UNKNOWN' };

/** Above this many columns the elastic model is not built (Wasm memory, time). */
const MAX_COLUMNS = 400_000;

export function diagnoseInfeasibility(session: Session, seconds: number): Diagnosis {
  const { inst } = session;
  const columns = inst.candidates.reduce((t, list) => t + list.length, 0);
  if (columns > MAX_COLUMNS) return { status: 'UNKNOWN' };
  const elastic = buildMonolithic(inst, new Int32Array(inst.students.length).fill(inst.unrankedRank), { elastic: true });
  const out = session.mip(elastic.model, { seconds, relGap: 0 });
  if (!out.values) return { status: 'UNKNOWN' };
  // Proven positive when the bound is; a positive incumbent alone proves nothing.
  if (out.bound < 0.5) return out.objective < 0.5 ? { status: 'FEASIBLE' } : { status: 'UNKNOWN' };
  const values = out.values;
  const reasons: InfeasibilityReason[] = [];
  const bySpecBlock = new Map<string, { spec: number; block: number; short: number; departments: Set<string> }>();
  const pairStudents = new Set<number>();
  for (const slack of elastic.slacks) {
    const v = Math.round(values[slack.col]!);
    if (v <= 0) continue;
    if (slack.kind === 'CAPACITY') {
      const site = inst.sites[slack.site!]!;
      const key = `${site.spec}:${site.block}`;
      const agg = bySpecBlock.get(key) ?? { spec: site.spec, block: site.block, short: 0, departments: new Set<string>() };
      agg.short += v;
      agg.departments.add(site.departmentName);
      bySpecBlock.set(key, agg);
    } else if (slack.kind === 'FILL') {
      const st = inst.students[slack.student!]!;
      reasons.push({
        kind: 'STUDENT_CANNOT_COMPLETE',
        message: `${st.name} cannot be given all ${st.blocksToFill} blocks: ${v} would stay empty with the seats and constraints as they are`,
        studentIds: [st.id],
        shortfall: v,
      });
    } else if (slack.kind === 'SPECIALTY') {
      const st = inst.students[slack.student!]!;
      const spec = inst.specialties[slack.spec!]!;
      reasons.push({
        kind: 'STUDENT_CANNOT_COMPLETE',
        message: `${st.name} cannot get the ${spec} blocks they need (${v} missing) with the seats and constraints as they are`,
        studentIds: [st.id],
        specialty: spec,
        shortfall: v,
      });
    } else if (slack.kind === 'GROUP') {
      const st = inst.students[slack.student!]!;
      const group = st.groups[slack.group!]!;
      reasons.push({
        kind: 'STUDENT_CANNOT_COMPLETE',
        message: `${st.name} cannot complete ${group.label} (${v} block${v > 1 ? 's' : ''} missing) with the seats and constraints as they are`,
        studentIds: [st.id],
        shortfall: v,
      });
    } else if (slack.kind === 'STAFFING') {
      const entry = inst.staffed[slack.staffed!]!;
      const site = inst.sites[entry.sites[0]!]!;
      const block = inst.blocks[entry.block]!;
      reasons.push({
        kind: 'UNDERSTAFFED',
        message: `${site.departmentName} (${site.hospitalName}) in ${block.label} needs at least ${entry.min} students or none: ${v} more would be needed for the students who must be there`,
        departmentId: site.departmentId,
        blockId: block.id,
        shortfall: v,
      });
    } else {
      pairStudents.add(slack.student!);
    }
  }
  for (const agg of [...bySpecBlock.values()].sort((a, b) => a.block - b.block || a.spec - b.spec)) {
    const spec = inst.specialties[agg.spec]!;
    const block = inst.blocks[agg.block]!;
    reasons.push({
      kind: 'SPECIALTY_CAPACITY',
      message: `${spec} in ${block.label} needs ${agg.short} more seat${agg.short > 1 ? 's' : ''} (e.g. at ${[...agg.departments].join(', ')}) for every student to be placed`,
      specialty: spec,
      blockId: block.id,
      shortfall: agg.short,
    });
  }
  for (const s of [...pairStudents].sort((a, b) => a - b)) {
    const group = inst.groups[inst.groupOf[s]!]!;
    reasons.push({
      kind: 'PAIR_INCOMPATIBLE',
      message: `${group.map((m) => inst.students[m]!.name).join(' and ')} cannot be placed together in every block with the seats as they are`,
      studentIds: group.map((m) => inst.students[m]!.id),
    });
  }
  if (!reasons.length) {
    reasons.push({
      kind: 'STUDENT_CANNOT_COMPLETE',
      message: 'no complete allocation exists (the one-block-per-student and specialty caps cannot all be met)',
    });
  }
  // The least violation says where it hurts; the conflicting set says what clashes with what.
  // Students the least violation leaves short are tried alone first (a set of one, found at once).
  const short = reasons.flatMap((r) => (r.studentIds ?? []).map((id) => inst.studentIndex.get(id)!));
  const conflict = findConflictSet(session, Math.max(1, Math.min(30, session.ctx.remaining() / 2)), short);
  if (conflict) reasons.unshift(conflictReason(inst, conflict));
  return { status: 'INFEASIBLE', reasons };
}

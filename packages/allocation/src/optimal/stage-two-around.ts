import { type Instance } from '../instance';
import { type MipOutcome, NO_SOLVE } from '../solver/highs';
import { type BuiltModel, withoutFixedColumns } from '../solver/lp-builder';
import { type StageTwoModel } from './decomposed';
import { type Pick } from './session';

/**
 * Stage 2 around the lottery (ADR 0067): after a search from the lottery changed the places of
 * some students, the others keep the lottery's blocks and only the changed ones are timetabled.
 * A student whose stage-1 places are the lottery's can keep its sites exactly (the lottery is a
 * timetable of those places); the model left is a fraction of year320's 54,000 columns, which the
 * whole stage 2 did not solve in the ~1 CPU s its reserve was worth at load 33. Null values when
 * the changed students do not fit around the others: the caller solves the whole stage 2.
 */
export function stageTwoAroundLottery(
  inst: Instance,
  two: StageTwoModel,
  changed: ReadonlySet<number>,
  lottery: readonly Pick[],
  solve: (model: BuiltModel) => MipOutcome,
): { values: Float64Array | null; free: number; columns: number; outcome: MipOutcome } {
  const { model, colStudent, colSite, xCount } = two;
  const nSites = inst.sites.length;
  const taken = new Set(lottery.map((p) => p.student * nSites + p.site));
  const picksOf = new Int32Array(inst.students.length);
  for (const p of lottery) picksOf[p.student]!++;
  // A student kept must find every lottery site among their columns; else they are timetabled too.
  const found = new Int32Array(inst.students.length);
  for (let c = 0; c < xCount; c++) if (taken.has(colStudent[c]! * nSites + colSite[c]!)) found[colStudent[c]!]!++;
  const free = new Set(changed);
  inst.students.forEach((st) => {
    if (found[st.index] !== picksOf[st.index]) free.add(st.index);
  });
  const lower = Float64Array.from(model.colLower);
  const upper = Float64Array.from(model.colUpper);
  for (let c = 0; c < xCount; c++) {
    if (free.has(colStudent[c]!)) continue;
    lower[c] = upper[c] = taken.has(colStudent[c]! * nSites + colSite[c]!) ? 1 : 0;
  }
  const reduced = withoutFixedColumns(model, lower, upper);
  // Nothing left to solve (no student moved): the whole stage 2 decides, as before.
  if (reduced.model.numCols === 0) return { values: null, free: free.size, columns: 0, outcome: { ...NO_SOLVE } };
  const outcome = solve(reduced.model);
  let values: Float64Array | null = null;
  if (outcome.values) {
    values = Float64Array.from(lower);
    reduced.kept.forEach((c, i) => (values![c] = outcome.values![i]!));
  }
  return { values, free: free.size, columns: reduced.model.numCols, outcome };
}

import { createContext } from '../../src/context';
import { type Instance } from '../../src/instance';
import { buildStageOne, stageOneStart } from '../../src/optimal/decomposed';
import { createSession, type Pick } from '../../src/optimal/session';
import { getHighs } from '../../src/solver/highs';

/**
 * A DECOMPOSED session warm-started from `start` (no floors), and its stage 1 at worst rank `w`
 * with the start's values: where the stage-1 searches' tests begin.
 */
export async function stageOneFrom(inst: Instance, start: Pick[], w = 2) {
  const session = createSession(
    await getHighs(),
    inst,
    createContext({ timeLimitSeconds: 120, strategy: 'DECOMPOSED' }),
    new Int32Array(inst.students.length),
    start,
  );
  const caps = session.capsAt(w);
  const one = buildStageOne(inst, caps);
  return { session, one, values: stageOneStart(inst, one, caps, start)! };
}

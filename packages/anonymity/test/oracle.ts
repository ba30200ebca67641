import { type Equation } from '../src/system';

/** Exact rational arithmetic, independent of the module's floating-point reduction. */
class Q {
  constructor(
    readonly n: bigint,
    readonly d: bigint = 1n,
  ) {}
  static of(n: bigint, d: bigint): Q {
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n < 0n ? -n : n, d);
    return new Q(n / g, d / g);
  }
  sub(o: Q): Q {
    return Q.of(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return Q.of(this.n * o.n, this.d * o.d);
  }
  div(o: Q): Q {
    return Q.of(this.n * o.d, this.d * o.n);
  }
  get zero(): boolean {
    return this.n === 0n;
  }
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a === 0n ? 1n : a) : gcd(b, a % b));

function rank(rows: Q[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && !row[c]!.zero);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i]![c]!.zero) continue;
      const f = m[i]![c]!.div(m[r]![c]!);
      m[i] = m[i]!.map((x, j) => x.sub(f.mul(m[r]![j]!)));
    }
    r++;
  }
  return r;
}

/**
 * The hidden positions a reader can work out: u is determined exactly when adding the unit
 * vector e_u to the equations (restricted to the hidden positions) does not raise their rank.
 */
export function exposedByOracle(equations: readonly Equation[], hidden: ReadonlySet<number>): number[] {
  const vars = [...hidden].sort((a, b) => a - b);
  if (!vars.length) return [];
  const rows = equations.map((e) => vars.map((v) => new Q(BigInt(e.get(v) ?? 0))));
  const base = rank(rows);
  return vars.filter((u) => rank([...rows, vars.map((v) => new Q(v === u ? 1n : 0n))]) === base);
}

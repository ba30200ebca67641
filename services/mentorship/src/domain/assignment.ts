/**
 * Optimal many-to-one assignment of students to mentors under seat limits, as a min-cost
 * flow (successive shortest paths with Bellman-Ford/SPFA). Pure and deterministic.
 *
 * Objective, lexicographic: first serve as many students as the seats and the eligible pairs
 * allow, then maximise the total weight. Both in one cost: every student-mentor arc costs
 * -(BIG + weight) with BIG > students * maxWeight, so one more assigned student always
 * outweighs any gain in scores among fewer students.
 */

export interface AssignmentArc {
  studentId: string;
  mentorId: string;
  /** Non-negative integer score of the pair. */
  weight: number;
}

export interface AssignmentProblem {
  studentIds: readonly string[];
  /** Seats each mentor has left (mentors absent or at 0 take nobody). */
  seats: ReadonlyMap<string, number>;
  /** The eligible pairs only. */
  arcs: readonly AssignmentArc[];
}

interface Edge {
  to: number;
  cap: number;
  cost: number;
  /** Index of the reverse edge in graph[to]. */
  rev: number;
}

class FlowGraph {
  readonly adj: Edge[][];
  constructor(size: number) {
    this.adj = Array.from({ length: size }, () => []);
  }
  add(from: number, to: number, cap: number, cost: number): void {
    const a = this.adj[from] as Edge[];
    const b = this.adj[to] as Edge[];
    a.push({ to, cap, cost, rev: b.length });
    b.push({ to: from, cap: 0, cost: -cost, rev: a.length - 1 });
  }
}

/** Shortest path by cost from `source` in the residual graph; negative arcs allowed, no negative cycles. */
function shortestPath(g: FlowGraph, source: number): { dist: number[]; prev: ({ node: number; edge: number } | null)[] } {
  const n = g.adj.length;
  const dist = new Array<number>(n).fill(Infinity);
  const prev = new Array<{ node: number; edge: number } | null>(n).fill(null);
  const inQueue = new Array<boolean>(n).fill(false);
  dist[source] = 0;
  const queue = [source];
  inQueue[source] = true;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as number;
    inQueue[u] = false;
    const edges = g.adj[u] as Edge[];
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i] as Edge;
      if (e.cap <= 0) continue;
      const candidate = (dist[u] as number) + e.cost;
      if (candidate < (dist[e.to] as number)) {
        dist[e.to] = candidate;
        prev[e.to] = { node: u, edge: i };
        if (!inQueue[e.to]) {
          inQueue[e.to] = true;
          queue.push(e.to);
        }
      }
    }
  }
  return { dist, prev };
}

export interface Assignment {
  studentId: string;
  mentorId: string;
  weight: number;
}

/** The optimal assignment (see the module comment); students left out had no seat to take. */
export function assignOptimal(problem: AssignmentProblem): Assignment[] {
  const students = [...new Set(problem.studentIds)].sort();
  const mentors = [...problem.seats.entries()]
    .filter(([, n]) => n > 0)
    .map(([id]) => id)
    .sort();
  const studentIndex = new Map(students.map((id, i) => [id, 1 + i]));
  const mentorIndex = new Map(mentors.map((id, i) => [id, 1 + students.length + i]));
  const source = 0;
  const sink = 1 + students.length + mentors.length;
  const g = new FlowGraph(sink + 1);

  const arcs = problem.arcs
    .filter((a) => studentIndex.has(a.studentId) && mentorIndex.has(a.mentorId))
    .sort((a, b) => a.studentId.localeCompare(b.studentId) || a.mentorId.localeCompare(b.mentorId));
  if (!arcs.length) return [];
  const maxWeight = Math.max(0, ...arcs.map((a) => a.weight));
  const big = students.length * maxWeight + 1;

  for (const id of students) g.add(source, studentIndex.get(id) as number, 1, 0);
  for (const id of mentors) g.add(mentorIndex.get(id) as number, sink, problem.seats.get(id) as number, 0);
  for (const a of arcs) g.add(studentIndex.get(a.studentId) as number, mentorIndex.get(a.mentorId) as number, 1, -(big + a.weight));

  // Each augmentation assigns one more student (or re-routes earlier ones); every path found
  // while one exists has negative cost, because it adds one arc more than it removes.
  for (;;) {
    const { dist, prev } = shortestPath(g, source);
    if (!Number.isFinite(dist[sink]) || (dist[sink] as number) >= 0) break;
    for (let v = sink; v !== source;) {
      const step = prev[v] as { node: number; edge: number };
      const e = (g.adj[step.node] as Edge[])[step.edge] as Edge;
      e.cap -= 1;
      ((g.adj[v] as Edge[])[e.rev] as Edge).cap += 1;
      v = step.node;
    }
  }

  const weightOf = new Map(arcs.map((a) => [`${a.studentId}|${a.mentorId}`, a.weight]));
  const result: Assignment[] = [];
  for (const studentId of students) {
    const edges = g.adj[studentIndex.get(studentId) as number] as Edge[];
    const used = edges.find((e) => e.to !== source && e.cap === 0 && e.cost < 0);
    if (!used) continue;
    const mentorId = mentors[used.to - 1 - students.length] as string;
    result.push({ studentId, mentorId, weight: weightOf.get(`${studentId}|${mentorId}`) as number });
  }
  return result;
}

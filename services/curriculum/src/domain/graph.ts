/**
 * Directed graphs of curriculum items: module prerequisites, competency parents. Pure.
 * Edges point from an item to the items it depends on (a module to its prerequisites, a
 * competency to its parent).
 */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Edges whose target is not a node of the graph, as [from, to] pairs. */
export function unknownTargets(graph: DependencyGraph): [string, string][] {
  const missing: [string, string][] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (!graph.has(to)) missing.push([from, to]);
  }
  return missing;
}

/**
 * The first cycle found, as the path that closes it (`[a, b, c, a]`), or null. Iterative
 * depth-first search (no recursion limit on long chains); nodes are visited in map order, so
 * the answer is deterministic. Edges to unknown nodes are ignored here.
 */
export function findCycle(graph: DependencyGraph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const cursors: number[] = [0];
    state.set(start, 'open');
    while (path.length) {
      const node = path[path.length - 1] as string;
      const targets = graph.get(node) ?? [];
      const index = cursors[cursors.length - 1] as number;
      if (index >= targets.length) {
        state.set(node, 'done');
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[cursors.length - 1] = index + 1;
      const next = targets[index] as string;
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'open') return [...path.slice(path.indexOf(next)), next];
      if (seen === 'done') continue;
      state.set(next, 'open');
      path.push(next);
      cursors.push(0);
    }
  }
  return null;
}

/** Every distinct cycle's node set found by repeated search after removing one edge of each; enough for reporting. */
export function findCycles(graph: DependencyGraph, limit = 20): string[][] {
  const working = new Map<string, string[]>([...graph].map(([k, v]) => [k, [...v]]));
  const cycles: string[][] = [];
  for (let cycle = findCycle(working); cycle && cycles.length < limit; cycle = findCycle(working)) {
    cycles.push(cycle);
    // Break the cycle at its closing edge so the next search finds another one.
    const from = cycle[cycle.length - 2] as string;
    const to = cycle[cycle.length - 1] as string;
    working.set(
      from,
      (working.get(from) ?? []).filter((t) => t !== to),
    );
  }
  return cycles;
}

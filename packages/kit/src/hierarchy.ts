/** Each id's children, from child → parent links: built once, then walked by {@link subtreeOf} for every root. */
export function childrenOf(parentOf: ReadonlyMap<string, string | null>): ReadonlyMap<string, readonly string[]> {
  const children = new Map<string, string[]>();
  for (const [id, parent] of parentOf) {
    if (!parent) continue;
    const siblings = children.get(parent);
    if (siblings) siblings.push(id);
    else children.set(parent, [id]);
  }
  return children;
}

/** Every id at or beneath `rootId`, from an index {@link childrenOf} built. */
export function subtreeOf(rootId: string, children: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop() as string;
    if (found.has(id)) continue;
    found.add(id);
    for (const child of children.get(id) ?? []) stack.push(child);
  }
  return found;
}

/**
 * Every id at or beneath `rootId`, from child → parent links (a competency framework's
 * hierarchy). Shared by assessment's readiness (evidence on a sub-competency serves its parent)
 * and quality's curriculum coverage (teaching a sub-competency covers its parent). Callers
 * asking for several roots build {@link childrenOf} once and use {@link subtreeOf}.
 */
export function subtree(rootId: string, parentOf: ReadonlyMap<string, string | null>): Set<string> {
  return subtreeOf(rootId, childrenOf(parentOf));
}

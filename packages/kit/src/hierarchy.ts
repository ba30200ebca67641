/**
 * Every id at or beneath `rootId`, from child → parent links (a competency framework's
 * hierarchy). Shared by assessment's readiness (evidence on a sub-competency serves its parent)
 * and quality's curriculum coverage (teaching a sub-competency covers its parent).
 */
export function subtree(rootId: string, parentOf: ReadonlyMap<string, string | null>): Set<string> {
  const children = new Map<string, string[]>();
  for (const [id, parent] of parentOf) if (parent) children.set(parent, [...(children.get(parent) ?? []), id]);
  const found = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop() as string;
    if (found.has(id)) continue;
    found.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return found;
}

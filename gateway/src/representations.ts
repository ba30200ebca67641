/**
 * One representation per entity in an entity fetch (issue 16, ADR 0063). @apollo/gateway sends a
 * representation for every place an entity appears in the answer so far: the block board's 200
 * placements become 600 representations for network (a student, a department and a hospital each),
 * most departments and hospitals repeated. The gateway serialises and signs them, the subgraph
 * parses, authorises and resolves each, and the gateway parses every copy of the answer again.
 * We send each distinct representation once and hand the gateway back its list in full.
 *
 * Two representations are the same entity when they serialise alike (a subgraph's answer depends on
 * the representation alone); key order counts, so a difference only costs a missed merge.
 */

/** Where each representation of the gateway's list went in the list sent. */
export interface DeduplicatedRepresentations {
  /** The variables with the distinct representations, in the order of their first appearance. */
  variables: Record<string, unknown>;
  /** For every representation of the gateway's list, its index in the list sent. */
  sentIndex: number[];
  /** How many were sent. */
  sent: number;
}

/** Undefined when there is nothing to merge (not an entity fetch, or every representation distinct). */
export function deduplicateRepresentations(variables: Record<string, unknown> | undefined): DeduplicatedRepresentations | undefined {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return undefined;
  const indexOf = new Map<string, number>();
  const distinct: unknown[] = [];
  const sentIndex = new Array<number>(representations.length);
  for (let i = 0; i < representations.length; i++) {
    const representation: unknown = representations[i];
    const key = keyOf(representation);
    let index = indexOf.get(key);
    if (index === undefined) {
      index = distinct.length;
      indexOf.set(key, index);
      distinct.push(representation);
    }
    sentIndex[i] = index;
  }
  if (distinct.length === representations.length) return undefined;
  return { variables: { ...variables, representations: distinct }, sentIndex, sent: distinct.length };
}

/** `Type:id` for the usual `{ __typename, id }` (no serialisation), the JSON text otherwise. */
function keyOf(representation: unknown): string {
  const r = representation as { __typename?: unknown; id?: unknown } | null;
  if (r !== null && typeof r === 'object' && typeof r.__typename === 'string' && typeof r.id === 'string') {
    const keys = Object.keys(r);
    if (keys.length === 2 && keys[0] === '__typename') return `${r.__typename}:${r.id}`;
  }
  return JSON.stringify(representation);
}

interface EntityError {
  path?: readonly (string | number)[];
  [key: string]: unknown;
}

interface EntitiesAnswer {
  data?: { _entities?: unknown[] } | null;
  errors?: EntityError[];
  [key: string]: unknown;
}

/**
 * The subgraph's answer as if every representation had been sent: each entity where the gateway
 * expects it, and an error about `_entities[j]` repeated, where it stands, for every place sent as
 * j. That is the order a subgraph gives when it resolves repeats together (network's loaders do: the
 * assessor inbox's refusals over the large world came grouped by student, not in list order, with
 * the gateway sending every repeat), so the client's answer keeps its bytes.
 * Each place gets its own copy of the entity's top level, which the gateway writes `__typename`
 * into; nested objects are shared, and the gateway only ever merges the same entity's fields into
 * them. An answer with another number of entities than sent is left as it is, for the gateway
 * to refuse as it would have.
 */
export function expandEntities<T extends EntitiesAnswer>(answer: T, { sentIndex, sent }: DeduplicatedRepresentations): T {
  const entities = answer.data?._entities;
  if (!Array.isArray(entities) || entities.length !== sent) return answer;
  const seen = new Array<boolean>(sent);
  const all = sentIndex.map((j) => {
    const entity = entities[j] as Record<string, unknown> | null;
    if (!seen[j] || entity === null || typeof entity !== 'object') {
      seen[j] = true;
      return entity;
    }
    return { ...entity };
  });
  const expanded: T = { ...answer, data: { ...answer.data, _entities: all } };
  if (!answer.errors?.length) return expanded;
  const places = new Map<number, number[]>();
  sentIndex.forEach((j, i) => {
    const list = places.get(j);
    if (list) list.push(i);
    else places.set(j, [i]);
  });
  expanded.errors = answer.errors.flatMap((error) => {
    const j = error.path?.[0] === '_entities' ? error.path[1] : undefined;
    const at = typeof j === 'number' ? places.get(j) : undefined;
    return at ? at.map((i) => ({ ...error, path: ['_entities', i, ...error.path!.slice(2)] })) : [error];
  });
  return expanded;
}

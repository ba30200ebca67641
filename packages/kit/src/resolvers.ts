/** A resolver map fragment: each resolver file contributes its own Query/Mutation fields and types. */
export type ResolverPart = Record<string, object>;

/** Merges resolver fragments type by type (a later fragment's field wins, which never happens by design). */
export function mergeResolvers(...parts: ResolverPart[]): ResolverPart {
  const merged: ResolverPart = {};
  for (const part of parts) {
    for (const [typeName, fields] of Object.entries(part)) {
      merged[typeName] = { ...(merged[typeName] ?? {}), ...fields };
    }
  }
  return merged;
}

/** The arguments of a field that takes one id. */
export interface IdArgs {
  id: string;
}

/** The arguments of a mutation: one input object, validated by its zod schema. */
export interface InputArgs {
  input: unknown;
}

/** A reference to an entity another subgraph owns (the gateway fetches its fields there). */
export const ref = (id: string): { id: string } => ({ id });
export const optionalRef = (id: string | null): { id: string } | null => (id ? { id } : null);

import { type ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  getNamedType,
  isCompositeType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '@medcollab/kit';
import { coercedVariables } from './variables';

/** Arguments that set how many items a list field returns (Relay connections and plain pages). */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];

export const COST_LIMIT_EXCEEDED = 'COST_LIMIT_EXCEEDED';

interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Coerced: defaults applied. */
  variables: Record<string, unknown>;
}

/**
 * How many values the answer to an operation can hold: every field counts one, and a field
 * that takes a page size (`first`/`last`) counts its whole subtree once per item. The page size
 * is read wherever the client put it: a literal, a variable (what the README asks clients to
 * send), the variable's default, the argument's default in the schema, or the subgraphs' own
 * default page size when the argument is left out. Lists without a page size are bounded by
 * their data (an instrument's items, a placement's tasks) and count once.
 */
export function operationCost({ schema, document, operation, variables }: CostInput): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const pageSize = (node: FieldNode, args: readonly GraphQLArgument[]): number => {
    const declared = args.find((arg) => PAGE_SIZE_ARGUMENTS.includes(arg.name));
    if (!declared) return 1;
    const given = node.arguments?.find((arg) => PAGE_SIZE_ARGUMENTS.includes(arg.name.value));
    let size: unknown = declared.defaultValue ?? DEFAULT_PAGE_SIZE;
    if (given) {
      const value = valueFromAST(given.value, declared.type, variables);
      if (value !== undefined && value !== null) size = value;
    }
    return typeof size === 'number' && Number.isFinite(size) ? Math.max(1, Math.floor(size)) : 1;
  };

  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, seen: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const def = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!selection.selectionSet) {
          total += 1;
          continue;
        }
        const child = def ? getNamedType(def.type) : undefined;
        const inner = child && isCompositeType(child) ? selectionCost(selection.selectionSet, child, seen) : 0;
        total += pageSize(selection, def?.args ?? []) * (1 + inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += on && isCompositeType(on) ? selectionCost(selection.selectionSet, on, seen) : 0;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on && isCompositeType(on)) total += selectionCost(fragment.selectionSet, on, new Set([...seen, fragment.name.value]));
      }
    }
    return total;
  };

  return selectionCost(operation.selectionSet, root, new Set());
}

/**
 * Refuses an operation whose answer could exceed `maxCost` values, after its variables are
 * known and before any query plan or subgraph call. Its own code, so clients can tell it from a
 * malformed document; the cost and the limit are in the extensions.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost({
            schema,
            document,
            operation,
            // Empty when they do not fit their types: request-input.ts refuses those.
            variables: coercedVariables(schema, operation, request).coerced ?? {},
          });
          if (cost <= maxCost) return;
          throw new GraphQLError(
            `Operation cost limit of ${maxCost} exceeded: this operation could return ${cost} values. Ask for smaller pages (first) or fewer nested lists.`,
            { extensions: { code: COST_LIMIT_EXCEEDED, cost, maxCost, http: { status: 400 } } },
          );
        },
      };
    },
  };
}

import { type Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import {
  astFromValue,
  getNamedType,
  isAbstractType,
  isEnumType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  valueFromAST,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

type PlanArgs = Parameters<Experimental_DidResolveQueryPlanCallback>[0];
type PlanNode = NonNullable<PlanArgs['queryPlan']['node']>;
export type FetchNode = Extract<PlanNode, { kind: 'Fetch' }>;

/**
 * What @apollo/gateway's result shaping (`computeResponse`) makes of a subgraph answer that has no
 * `data`: `null` when a root field is non-null, else every root field `null`; and, when the
 * subgraph sent no error either, the error it reports under `extensions.valueCompletion`.
 */
export interface EmptyAnswer {
  data: Record<string, null> | null;
  /** The response name of the first non-null root field (its "Cannot return null" error), if any. */
  firstNonNull?: string;
}

/**
 * An operation whose plan is one fetch from one subgraph and whose subgraph answer already is the
 * client's answer: the fetch asks for exactly the client's selection, so @apollo/gateway's
 * re-shaping of that answer would give it back unchanged (ADR 0039).
 */
export interface SingleFetchRoute {
  fetch: FetchNode;
  empty: EmptyAnswer;
}

/** Why an operation keeps the gateway's normal path (tests and logs read it). */
export type NotSingleFetch = { reason: string };

class NotAsIs extends Error {}
const refuse = (reason: string): never => {
  throw new NotAsIs(reason);
};

/**
 * Decides, once per document and operation name, whether the subgraph's answer can be passed on
 * as it is. Everything that @apollo/gateway's `computeResponse` could change is refused:
 * - a plan other than one root Fetch (entity fetches, `@requires`, rewrites, conditions, defer);
 * - a mutation or subscription (only reads take this path);
 * - root fields with directives or fragments, `__typename` or introspection at the root (the
 *   gateway answers those itself);
 * - any field of an interface or union type (the gateway picks fragments by `__typename`);
 * - an enum with values hidden from the API schema (`@inaccessible`: the gateway nulls them);
 * - a fetch whose selection is not exactly the client's (fields the planner added, removed,
 *   merged or reordered; arguments, aliases, directives or variable definitions that differ).
 * Nullability needs no check: a supergraph field is non-null only where every subgraph's is, so a
 * subgraph never sends `null` where the API schema forbids it.
 */
export function singleFetchRoute(
  plan: PlanArgs['queryPlan'],
  operationContext: PlanArgs['operationContext'],
  enumsWithHiddenValues: ReadonlySet<string>,
): SingleFetchRoute | NotSingleFetch {
  try {
    return analyse(plan, operationContext, enumsWithHiddenValues);
  } catch (error) {
    if (error instanceof NotAsIs) return { reason: error.message };
    return { reason: `analysis failed: ${(error as Error).message}` };
  }
}

function analyse(
  plan: PlanArgs['queryPlan'],
  { schema, operation, fragments }: PlanArgs['operationContext'],
  hiddenEnums: ReadonlySet<string>,
): SingleFetchRoute {
  const fetch = plan.node;
  if (fetch?.kind !== 'Fetch') return refuse('the plan is not one fetch');
  if (fetch.requires?.length) refuse('the fetch has @requires');
  if (fetch.inputRewrites?.length || fetch.outputRewrites?.length || fetch.contextRewrites?.length) refuse('the fetch has rewrites');
  if (fetch.hasDefers) refuse('the fetch has @defer');
  if (operation.operation !== 'query' || fetch.operationKind !== 'query') refuse('not a query');
  const root = schema.getQueryType();
  if (!root) return refuse('no query type');

  const empty: EmptyAnswer = { data: {} };
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return refuse('a fragment at the root');
    if (selection.directives?.length) refuse('a directive at the root');
    if (selection.name.value.startsWith('__')) refuse('__typename or introspection at the root');
    const field = root.getFields()[selection.name.value];
    if (!field) return refuse(`unknown root field ${selection.name.value}`);
    const responseName = selection.alias?.value ?? selection.name.value;
    if (isNonNullType(field.type)) {
      empty.firstNonNull ??= responseName;
      empty.data = null;
    } else if (empty.data) empty.data[responseName] = null;
  }
  if (empty.firstNonNull) empty.data = null;

  const clientFragments = new Map(Object.entries(fragments));
  const client = canonical(operation.selectionSet, root, { schema, fragments: clientFragments, hiddenEnums });
  const document: DocumentNode = fetch.operationDocumentNode ?? parse(fetch.operation);
  const fetchOperation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!fetchOperation) return refuse('the fetch has no operation');
  const fetchFragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d] as const),
  );
  const sent = canonical(fetchOperation.selectionSet, root, { schema, fragments: fetchFragments, hiddenEnums });
  if (client !== sent) refuse('the fetch selection differs from the client selection');

  const clientVariables = new Map((operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, print(v)] as const));
  const fetchVariables = fetchOperation.variableDefinitions ?? [];
  for (const definition of fetchVariables) {
    if (clientVariables.get(definition.variable.name.value) !== print(definition)) refuse('a variable is defined differently');
  }
  const usages = [...(fetch.variableUsages ?? [])].sort().join(',');
  if (
    usages !==
    fetchVariables
      .map((v) => v.variable.name.value)
      .sort()
      .join(',')
  )
    refuse('variable usages differ');
  return { fetch, empty };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  hiddenEnums: ReadonlySet<string>;
}

const directives = (nodes: readonly DirectiveNode[] | undefined) => (nodes ?? []).map((d) => ` ${print(d)}`).join('');

/**
 * A selection set as one string, in execution order: named fragments expanded in place, and a
 * fragment on the parent's own type without directives flattened into it (graphql-js and the
 * gateway both collect fields in that order), so the client's and the fetch's documents compare
 * equal exactly when they select the same fields the same way. Refuses what the route cannot take.
 */
function canonical(set: SelectionSetNode, parent: GraphQLObjectType, walk: Walk, seen: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const head = (args: string) => `${selection.alias?.value ?? name}=${name}(${args})${directives(selection.directives)}`;
      if (name === '__typename') {
        parts.push(head(''));
        continue;
      }
      if (name.startsWith('__')) refuse('introspection');
      const field = parent.getFields()[name];
      if (!field) return refuse(`unknown field ${parent.name}.${name}`);
      const args = (selection.arguments ?? []).map((a) => `${a.name.value}:${argumentValue(a, field.args)}`).join(',');
      const type = getNamedType(field.type);
      if (isAbstractType(type)) refuse(`${parent.name}.${name} is of the abstract type ${type.name}`);
      if (isEnumType(type) && walk.hiddenEnums.has(type.name)) refuse(`the enum ${type.name} has hidden values`);
      if (selection.selectionSet) {
        if (!isObjectType(type)) return refuse(`${parent.name}.${name} has a selection but no object type`);
        parts.push(`${head(args)}{${canonical(selection.selectionSet, type, walk, seen)}}`);
      } else parts.push(head(args));
      continue;
    }
    let typeName: string | undefined;
    let inner: SelectionSetNode;
    let dirs: readonly DirectiveNode[] | undefined = selection.directives;
    let next = seen;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      typeName = selection.typeCondition?.name.value;
      inner = selection.selectionSet;
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment) return refuse(`unknown fragment ${selection.name.value}`);
      if (seen.has(fragment.name.value)) return refuse('a fragment cycle');
      if (fragment.directives?.length) dirs = [...(dirs ?? []), ...fragment.directives];
      typeName = fragment.typeCondition.name.value;
      inner = fragment.selectionSet;
      next = new Set([...seen, fragment.name.value]);
    }
    if (typeName !== undefined && typeName !== parent.name) return refuse(`a fragment on ${typeName} inside ${parent.name}`);
    const body = canonical(inner, parent, walk, next);
    parts.push(dirs?.length ? `...${directives(dirs)}{${body}}` : body);
  }
  return parts.filter((p) => p !== '').join(' ');
}

/**
 * An argument as the subgraph will read it: a literal coerced to its type and printed back (the
 * planner writes `id: "1"` of an ID as `id: 1`, which the subgraph reads as "1"); a value with
 * variables as written (the variables are the client's own, sent unchanged).
 */
function argumentValue(arg: ArgumentNode, defs: readonly GraphQLArgument[]): string {
  const def = defs.find((d) => d.name === arg.name.value);
  if (!def) return refuse(`unknown argument ${arg.name.value}`);
  const value = valueFromAST(arg.value, def.type);
  const literal = value === undefined ? undefined : astFromValue(value, def.type);
  return print(literal ?? arg.value);
}

/**
 * Enums the API schema shows with fewer values than the supergraph defines (`@inaccessible`
 * values): a subgraph may return such a value, which the gateway turns into `null` and an error.
 */
export function enumsWithHiddenValues(supergraphSdl: string, apiSchema: GraphQLSchema): Set<string> {
  const hidden = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_EXTENSION) continue;
    const api = apiSchema.getType(definition.name.value);
    const values = definition.values?.length ?? 0;
    if (!api) continue;
    if (!isEnumType(api) || api.getValues().length < values) hidden.add(definition.name.value);
  }
  return hidden;
}

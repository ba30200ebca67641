import { type ASTNode, type DocumentNode, type EnumTypeDefinitionNode, Kind, visit } from 'graphql';

/** Nodes that must carry a docstring: integrators read the schema, not our code. */
const DOCUMENTED: string[] = [
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.FIELD_DEFINITION,
  Kind.INPUT_VALUE_DEFINITION,
  Kind.ENUM_VALUE_DEFINITION,
];

/** Dotted paths (Type.field.argument) of every type, field, argument, enum value and input field without a docstring. */
export function undocumentedSchemaNodes(doc: DocumentNode): string[] {
  const undocumented: string[] = [];
  const parents: string[] = [];
  visit(doc, {
    enter(node) {
      if (!DOCUMENTED.includes(node.kind)) return;
      const named = node as ASTNode & { description?: unknown; name?: { value: string } };
      if (!named.description) undocumented.push([...parents, named.name?.value].join('.'));
      parents.push(named.name?.value ?? '?');
    },
    leave(node) {
      if (DOCUMENTED.includes(node.kind)) parents.pop();
    },
  });
  return undocumented;
}

/** The values of an enum declared in `doc`, in order (empty when it is not declared). */
export function sdlEnumValues(doc: DocumentNode, name: string): string[] {
  const node = doc.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
  return node?.values?.map((v) => v.name.value) ?? [];
}

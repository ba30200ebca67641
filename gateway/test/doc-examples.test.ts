import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, type DocumentNode, parse, validate, visit } from 'graphql';

/**
 * docs/integration.md's GraphQL examples are true: every operation in docs/examples (the
 * .graphql files and the trusted-operations safelist) validates against the composed
 * supergraph's client-facing schema (fields marked @inaccessible removed), so a renamed field or
 * argument breaks this test rather than an institution's integration.
 */
const EXAMPLES = join(__dirname, '..', '..', 'docs', 'examples');

function apiSchema() {
  const supergraph = parse(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
  const inaccessible = (node: { directives?: readonly { name: { value: string } }[] }) =>
    node.directives?.some((d) => d.name.value === 'inaccessible') ? null : undefined;
  const visible = visit(supergraph, {
    FieldDefinition: inaccessible,
    InputValueDefinition: inaccessible,
    EnumValueDefinition: inaccessible,
  }) as DocumentNode;
  return buildASTSchema(visible, { assumeValidSDL: true });
}

describe('the GraphQL examples of docs/integration.md', () => {
  const schema = apiSchema();
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.graphql'));

  it.each(files)('%s validates against the supergraph', (file) => {
    const document = parse(readFileSync(join(EXAMPLES, file), 'utf8'));
    expect(document.definitions.length).toBeGreaterThan(0);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it("trusted-operations.json's registered operations validate against the supergraph", () => {
    const safelist = JSON.parse(readFileSync(join(EXAMPLES, 'trusted-operations.json'), 'utf8')) as {
      clients: { operations: string[] }[];
    };
    const operations = safelist.clients.flatMap((c) => c.operations);
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(validate(schema, parse(operation)).map((e) => e.message)).toEqual([]);
  });

  it('catches an example that names a field the supergraph does not have or hides from clients', () => {
    expect(validate(schema, parse('query { rosterImport(id: "x") { notAField } }')).map((e) => e.message)).toEqual([
      'Cannot query field "notAField" on type "RosterImport".',
    ]);
    // Fields only the subgraphs see (@inaccessible) are not the client's either.
    expect(validate(schema, parse('query { placements { edges { node { id studentId } } } }')).map((e) => e.message)).toEqual([
      'Cannot query field "studentId" on type "Placement". Did you mean "student"?',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { ROLES } from '@medcollab/kit';
import { type ASTNode, type EnumTypeDefinitionNode, Kind, visit } from 'graphql';
import { AGREEMENT_STATUSES, INSTITUTION_KINDS, SPECIALTIES } from '../src/domain/model';
import { networkSubgraph } from '../src/server';

const doc = networkSubgraph.typeDefs;

const enumValues = (name: string): string[] => {
  const node = doc.definitions.find((d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === name);
  return node?.values?.map((v) => v.name.value) ?? [];
};

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    const undocumented: string[] = [];
    const check = (node: ASTNode & { description?: unknown; name?: { value: string } }, where: string) => {
      if (!node.description) undocumented.push(where);
    };
    const parents: string[] = [];
    visit(doc, {
      enter(node) {
        const named = node as ASTNode & { name?: { value: string } };
        switch (node.kind) {
          case Kind.OBJECT_TYPE_DEFINITION:
          case Kind.INPUT_OBJECT_TYPE_DEFINITION:
          case Kind.ENUM_TYPE_DEFINITION:
          case Kind.SCALAR_TYPE_DEFINITION:
            check(node, named.name?.value ?? '?');
            parents.push(named.name?.value ?? '?');
            break;
          case Kind.FIELD_DEFINITION:
          case Kind.INPUT_VALUE_DEFINITION:
          case Kind.ENUM_VALUE_DEFINITION:
            check(node, `${parents.join('.')}.${named.name?.value}`);
            parents.push(named.name?.value ?? '?');
            break;
        }
      },
      leave(node) {
        if (
          [
            Kind.OBJECT_TYPE_DEFINITION,
            Kind.INPUT_OBJECT_TYPE_DEFINITION,
            Kind.ENUM_TYPE_DEFINITION,
            Kind.SCALAR_TYPE_DEFINITION,
            Kind.FIELD_DEFINITION,
            Kind.INPUT_VALUE_DEFINITION,
            Kind.ENUM_VALUE_DEFINITION,
          ].includes(node.kind as never)
        ) {
          parents.pop();
        }
      },
    });
    expect(undocumented).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(enumValues('Specialty')).toEqual([...SPECIALTIES]);
    expect(enumValues('Role')).toEqual([...ROLES]);
    expect(enumValues('InstitutionKind')).toEqual([...INSTITUTION_KINDS]);
    expect(enumValues('AgreementStatus')).toEqual([...AGREEMENT_STATUSES]);
  });

  it('links federation v2.7 or lower and keys every entity by id', () => {
    const sdl = doc.loc?.source.body ?? '';
    expect(sdl).toMatch(/specs\.apollo\.dev\/federation\/v2\.[0-7]"/);
    for (const entity of ['Institution', 'Department', 'Student', 'StaffMember', 'CollaborationAgreement']) {
      expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
    }
  });
});

describe('event log admin view', () => {
  it('is the current text of EVENT_ADMIN_SDL("network")', () => {
    const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');
    expect(sdl).toContain(EVENT_ADMIN_SDL('network'));
  });
});

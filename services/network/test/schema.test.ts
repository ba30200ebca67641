import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { ROLES } from '@medcollab/kit';
import { AGREEMENT_STATUSES, INSTITUTION_KINDS, PERSON_STATUSES, SPECIALTIES } from '../src/domain/model';
import { networkSubgraph } from '../src/server';

const doc = networkSubgraph.typeDefs;

const enumValues = (name: string): string[] => sdlEnumValues(doc, name);

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(enumValues('Specialty')).toEqual([...SPECIALTIES]);
    expect(enumValues('Role')).toEqual([...ROLES]);
    expect(enumValues('InstitutionKind')).toEqual([...INSTITUTION_KINDS]);
    expect(enumValues('AgreementStatus')).toEqual([...AGREEMENT_STATUSES]);
    expect(enumValues('PersonStatus')).toEqual([...PERSON_STATUSES]);
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

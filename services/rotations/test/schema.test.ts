import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { CALENDAR_OWNER_KINDS, PLACEMENT_STATUSES, SPECIALTIES, SWAP_STATUSES } from '../src/domain/model';
import { UNSUPERVISED_REASONS } from '../src/domain/supervisor-proposal';
import { rotationsSubgraph } from '../src/server';

const doc = rotationsSubgraph.typeDefs;
const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');

const enumValues = (name: string): string[] => sdlEnumValues(doc, name);

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code, and the Specialty block verbatim from the network', () => {
    expect(enumValues('Specialty')).toEqual([...SPECIALTIES]);
    expect(enumValues('PlacementStatus')).toEqual([...PLACEMENT_STATUSES]);
    expect(enumValues('SwapStatus')).toEqual([...SWAP_STATUSES]);
    expect(enumValues('CalendarFeedKind')).toEqual([...CALENDAR_OWNER_KINDS]);
    expect(enumValues('UnsupervisedReason')).toEqual([...UNSUPERVISED_REASONS]);
    const block = (text: string) =>
      text.slice(text.indexOf('"""A clinical specialty'), text.indexOf('# --- end of shared Specialty block'));
    expect(block(sdl)).toBe(block(readFileSync(join(__dirname, '../../network/schema.graphql'), 'utf8')));
  });

  it('links federation v2.7 or lower and keys its entities and the stubs it extends by id', () => {
    expect(sdl).toMatch(/specs\.apollo\.dev\/federation\/v2\.[0-7]"/);
    for (const entity of [
      'RotationBlock',
      'SiteCapacity',
      'RotationRequirement',
      'Placement',
      'RotationPreference',
      'SwapRequest',
      'Student',
      'Department',
      'StaffMember',
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
    }
  });

  it('carries the current event log admin view', () => {
    expect(sdl).toContain(EVENT_ADMIN_SDL('rotations'));
  });
});

import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { ROLES } from '@medcollab/kit';
import {
  COMPETENCY_DOMAINS,
  CURRICULUM_ITEM_TYPES,
  DELIVERY_MODES,
  DISCIPLINES,
  ENROLLMENT_STATUSES,
  INTEGRITY_ISSUE_KINDS,
  MENTORSHIP_FORMATS,
  MODULE_RESULT_STATUSES,
  ORGAN_SYSTEMS,
  SPECIALTIES,
  TEACHING_METHODS,
  TRACK_KINDS,
} from '../src/domain/model';
import { curriculumSubgraph } from '../src/server';

const doc = curriculumSubgraph.typeDefs;
const sdl = doc.loc?.source.body ?? '';

const enumValues = (name: string): string[] => sdlEnumValues(doc, name);

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(enumValues('CompetencyDomain')).toEqual([...COMPETENCY_DOMAINS]);
    expect(enumValues('TeachingMethod')).toEqual([...TEACHING_METHODS]);
    expect(enumValues('DeliveryMode')).toEqual([...DELIVERY_MODES]);
    expect(enumValues('OrganSystem')).toEqual([...ORGAN_SYSTEMS]);
    expect(enumValues('Discipline')).toEqual([...DISCIPLINES]);
    expect(enumValues('TrackKind')).toEqual([...TRACK_KINDS]);
    expect(enumValues('EnrollmentStatus')).toEqual([...ENROLLMENT_STATUSES]);
    expect(enumValues('MentorshipFormat')).toEqual([...MENTORSHIP_FORMATS]);
    expect(enumValues('ModuleResultStatus')).toEqual([...MODULE_RESULT_STATUSES]);
    expect(enumValues('IntegrityIssueKind')).toEqual([...INTEGRITY_ISSUE_KINDS]);
    expect(enumValues('CurriculumItemType')).toEqual([...CURRICULUM_ITEM_TYPES]);
    expect(enumValues('Specialty')).toEqual([...SPECIALTIES]);
    expect(ROLES.length).toBeGreaterThan(0);
  });

  it("copies the network's shared Specialty block and PageInfo verbatim", () => {
    const network = readFileSync(join(__dirname, '..', '..', 'network', 'schema.graphql'), 'utf8');
    const block = (text: string) =>
      text.slice(text.indexOf('# Specialty — shared enum'), text.indexOf('# --- end of shared Specialty block'));
    expect(block(sdl)).toBe(block(network));
    const pageInfo = (text: string) => /"""Where a page of a connection ends[\s\S]*?\n}/.exec(text)?.[0];
    expect(pageInfo(sdl)).toBe(pageInfo(network));
  });

  it('links federation v2.7 or lower and keys every entity by id', () => {
    expect(sdl).toMatch(/specs\.apollo\.dev\/federation\/v2\.[0-7]"/);
    for (const entity of [
      'CompetencyFramework',
      'Competency',
      'PostProfile',
      'Program',
      'Module',
      'LearningObjective',
      'TeachingSession',
      'Track',
      'Enrollment',
      'Student',
      'Institution',
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
    }
  });
});

describe('event log admin view', () => {
  it('is the current text of EVENT_ADMIN_SDL("curriculum")', () => {
    expect(readFileSync(join(__dirname, '../schema.graphql'), 'utf8')).toContain(EVENT_ADMIN_SDL('curriculum'));
  });
});

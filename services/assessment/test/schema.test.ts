import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import {
  ASSESSMENT_PURPOSES,
  COMPETENCY_DOMAINS,
  ENTRUSTMENT_MODES,
  INSTRUMENT_KINDS,
  LEVEL_RULES,
  PROGRESS_TRENDS,
  SAMPLING_REASONS,
  SCALE_TYPES,
  SUBMISSION_STATUSES,
  SUPPRESSION_REASONS,
  TASK_ROLES,
  TASK_STATUSES,
  WITHHELD_REASONS,
} from '../src/domain/model';
import { assessmentSubgraph } from '../src/server';

const doc = assessmentSubgraph.typeDefs;
const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');

const enumValues = (name: string): string[] => sdlEnumValues(doc, name);

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(enumValues('InstrumentKind')).toEqual([...INSTRUMENT_KINDS]);
    expect(enumValues('AssessmentPurpose')).toEqual([...ASSESSMENT_PURPOSES]);
    expect(enumValues('ScaleType')).toEqual([...SCALE_TYPES]);
    expect(enumValues('EntrustmentMode')).toEqual([...ENTRUSTMENT_MODES]);
    expect(enumValues('TaskStatus')).toEqual([...TASK_STATUSES]);
    expect(enumValues('TaskRole')).toEqual([...TASK_ROLES]);
    expect(enumValues('SubmissionStatus')).toEqual([...SUBMISSION_STATUSES]);
    expect(enumValues('SamplingReason')).toEqual([...SAMPLING_REASONS]);
    expect(enumValues('LevelRule')).toEqual([...LEVEL_RULES]);
    expect(enumValues('ProgressTrend')).toEqual([...PROGRESS_TRENDS]);
    expect(enumValues('CompetencyDomain')).toEqual([...COMPETENCY_DOMAINS]);
    expect(enumValues('WithheldReason')).toEqual([...WITHHELD_REASONS]);
    expect(enumValues('SuppressionReason')).toEqual([...SUPPRESSION_REASONS]);
  });

  it('copies the network PageInfo and the curriculum CompetencyDomain verbatim', () => {
    const read = (service: string) => readFileSync(join(__dirname, '..', '..', service, 'schema.graphql'), 'utf8');
    const pageInfo = (text: string) => /"""Where a page of a connection ends[\s\S]*?\n}/.exec(text)?.[0];
    expect(pageInfo(sdl)).toBe(pageInfo(read('network')));
    const domain = (text: string) => /"""Whether a competency is a technical[\s\S]*?\n}/.exec(text)?.[0];
    expect(domain(sdl)).toBe(domain(read('curriculum')));
  });

  it('links federation v2.7 or lower and keys its entities and the stubs it extends by id', () => {
    expect(sdl).toMatch(/specs\.apollo\.dev\/federation\/v2\.[0-7]"/);
    for (const entity of [
      'Instrument',
      'AssessmentTask',
      'Submission',
      'CompetencyProgress',
      'Student',
      'StaffMember',
      'Placement',
      'Department',
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
    }
  });

  it('carries the current event log admin view', () => {
    expect(sdl).toContain(EVENT_ADMIN_SDL('assessment'));
  });
});

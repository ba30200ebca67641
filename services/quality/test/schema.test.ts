import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { METRICS } from '../src/domain/metrics';
import { PERIOD_KINDS } from '../src/domain/periods';
import { qualitySubgraph } from '../src/server';

const doc = qualitySubgraph.typeDefs;
const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(sdlEnumValues(doc, 'QualityMetric')).toEqual([...METRICS]);
    expect(sdlEnumValues(doc, 'QualityPeriodKind')).toEqual([...PERIOD_KINDS]);
    expect(sdlEnumValues(doc, 'QualityScopeKind')).toEqual([
      'NETWORK',
      'INSTITUTION',
      'DEPARTMENT',
      'TEACHER',
      'PROGRAM',
      'COHORT',
      'MODULE',
      'SPECIALTY',
    ]);
  });

  it('carries the current text of EVENT_ADMIN_SDL("quality")', () => {
    expect(sdl).toContain(EVENT_ADMIN_SDL('quality'));
  });
});

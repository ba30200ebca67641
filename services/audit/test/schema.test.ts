import { undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { auditSubgraph } from '../src/server';

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(auditSubgraph.typeDefs)).toEqual([]);
  });

  it('carries the current text of EVENT_ADMIN_SDL("audit")', () => {
    expect(readFileSync(join(__dirname, '../schema.graphql'), 'utf8')).toContain(EVENT_ADMIN_SDL('audit'));
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { NOTIFICATION_KINDS } from '../src/domain/messages';
import { STEP_AUDIENCES, STEP_STATUSES } from '../src/entities';
import { notificationsSubgraph } from '../src/server';

const doc = notificationsSubgraph.typeDefs;
const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(sdlEnumValues(doc, 'ReminderAudience')).toEqual([...STEP_AUDIENCES]);
    expect(sdlEnumValues(doc, 'ReminderStepStatus')).toEqual([...STEP_STATUSES]);
    expect(sdlEnumValues(doc, 'NotificationKind')).toEqual([...NOTIFICATION_KINDS]);
  });

  it('extends AssessmentTask as an entity keyed by id and carries EVENT_ADMIN_SDL("notifications")', () => {
    expect(sdl).toMatch(/type AssessmentTask @key\(fields: "id"\)/);
    expect(sdl).toContain(EVENT_ADMIN_SDL('notifications'));
  });
});

import { sdlEnumValues, undocumentedSchemaNodes } from '@medcollab/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_ADMIN_SDL } from '@medcollab/events';
import {
  GOAL_EVIDENCE_KINDS,
  GOAL_STATUSES,
  MATCH_REASON_CODES,
  MATCHING_MECHANISMS,
  MATCHING_RUN_STATUSES,
  MENTORSHIP_FOCUSES,
  MENTORSHIP_FORMATS,
  MENTORSHIP_STATUSES,
  SPECIALTIES,
} from '../src/domain/model';
import { mentorshipSubgraph } from '../src/server';

const doc = mentorshipSubgraph.typeDefs;
const sdl = readFileSync(join(__dirname, '../schema.graphql'), 'utf8');
const networkSdl = readFileSync(join(__dirname, '../../network/schema.graphql'), 'utf8');

const enumValues = (name: string): string[] => sdlEnumValues(doc, name);

/** The text between two markers, both included. */
const block = (text: string, start: string, end: string): string =>
  text.slice(text.indexOf(start), text.indexOf(end, text.indexOf(start)) + end.length);

describe('schema.graphql', () => {
  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumentedSchemaNodes(doc)).toEqual([]);
  });

  it('keeps its enums in step with the code', () => {
    expect(enumValues('Specialty')).toEqual([...SPECIALTIES]);
    expect(enumValues('MentorshipFormat')).toEqual([...MENTORSHIP_FORMATS]);
    expect(enumValues('MentorshipFocus')).toEqual([...MENTORSHIP_FOCUSES]);
    expect(enumValues('MentorshipStatus')).toEqual([...MENTORSHIP_STATUSES]);
    expect(enumValues('DevelopmentGoalStatus')).toEqual([...GOAL_STATUSES]);
    expect(enumValues('GoalEvidenceKind')).toEqual([...GOAL_EVIDENCE_KINDS]);
    expect(enumValues('MatchingRunStatus')).toEqual([...MATCHING_RUN_STATUSES]);
    expect(enumValues('MatchingMechanism')).toEqual([...MATCHING_MECHANISMS]);
    expect(enumValues('MatchReasonCode')).toEqual([...MATCH_REASON_CODES]);
  });

  it("copies the network's Specialty block and PageInfo verbatim", () => {
    const start = '# Specialty';
    const end = '# --- end of shared Specialty block';
    expect(block(sdl, start, end)).toBe(block(networkSdl, start, end));
    const pageInfo = (text: string) => block(text, 'type PageInfo @shareable {', '}');
    expect(pageInfo(sdl)).toBe(pageInfo(networkSdl));
  });

  it('links federation v2.7 or lower and keys the entities it owns by id', () => {
    expect(sdl).toMatch(/specs\.apollo\.dev\/federation\/v2\.[0-7]"/);
    for (const entity of ['MentorProfile', 'Mentorship', 'MentorMeeting', 'DevelopmentGoal', 'MatchingRun', 'Student', 'StaffMember']) {
      expect(sdl).toMatch(new RegExp(`type ${entity} @key\\(fields: "id"\\)`));
    }
  });

  it('carries the current text of EVENT_ADMIN_SDL("mentorship")', () => {
    expect(sdl).toContain(EVENT_ADMIN_SDL('mentorship'));
  });
});

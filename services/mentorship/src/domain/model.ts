/**
 * The mentorship vocabulary, shared by the SDL, the validation schemas and the tables.
 * Each list mirrors an enum in schema.graphql (test/schema.test.ts keeps them in step).
 */
export { SPECIALTIES, type Specialty } from '@medcollab/kit';

export const MENTORSHIP_FORMATS = ['ONE_ON_ONE', 'SMALL_GROUP'] as const;
export type MentorshipFormat = (typeof MENTORSHIP_FORMATS)[number];

export const MENTORSHIP_FOCUSES = ['CLINICAL_PRACTICE', 'RESEARCH', 'CAREER'] as const;
export type MentorshipFocus = (typeof MENTORSHIP_FOCUSES)[number];

export const MENTORSHIP_STATUSES = ['ACTIVE', 'PAUSED', 'ENDED'] as const;
export type MentorshipStatus = (typeof MENTORSHIP_STATUSES)[number];
/** Mentorships whose mentees count against the mentor's capacity. */
export const OPEN_MENTORSHIP_STATUSES: readonly MentorshipStatus[] = ['ACTIVE', 'PAUSED'];

export const GOAL_STATUSES = ['OPEN', 'IN_PROGRESS', 'ACHIEVED', 'DROPPED'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_EVIDENCE_KINDS = ['ASSESSMENT_TASK', 'SUBMISSION'] as const;
export type GoalEvidenceKind = (typeof GOAL_EVIDENCE_KINDS)[number];
export interface GoalEvidence {
  kind: GoalEvidenceKind;
  id: string;
}

export const MATCHING_RUN_STATUSES = ['PROPOSED', 'ACCEPTED', 'REJECTED'] as const;
export type MatchingRunStatus = (typeof MATCHING_RUN_STATUSES)[number];

export const MATCHING_MECHANISMS = ['OPTIMAL'] as const;

export const MATCH_REASON_CODES = [
  'RESEARCH_ACTIVE',
  'RESEARCH_AREA_MATCH',
  'CLINICAL_INSTRUCTOR',
  'SPECIALTY_MATCH',
  'SAME_INSTITUTION',
  'PARTNER_HOSPITAL',
  'CAPACITY_LEFT',
  'FORMAT_MATCH',
] as const;
export type MatchReasonCode = (typeof MATCH_REASON_CODES)[number];
export interface MatchReason {
  code: MatchReasonCode;
  points: number;
  detail: string;
}

/** Track kinds as curriculum's EnrollmentChanged reports them. */
export type TrackKind = 'CLINICAL_PRACTICE' | 'RESEARCH' | 'SPECIALTY';

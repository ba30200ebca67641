/**
 * The network's vocabulary, shared by the SDL, the validation schemas and the tables.
 * Each list mirrors an enum in schema.graphql (a test keeps them in step).
 */

export const INSTITUTION_KINDS = ['SCHOOL', 'HOSPITAL'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const AGREEMENT_STATUSES = ['PROPOSED', 'ACTIVE', 'ENDED'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Shared with every subgraph; the SDL repeats the enum verbatim (federation needs it in each). */
export { SPECIALTIES, type Specialty } from '@medcollab/kit';

/** Whether a person takes part now; INACTIVE people keep their records and history. */
export const PERSON_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

import { z } from 'zod';
import { defineEvent } from '../contract';
import { instant, isoDate } from './scalars';

/**
 * A student's enrolment in a program changed: they were enrolled, moved to another track, or
 * withdrew. Aggregate: the enrolment (events of one enrolment arrive in order). The payload
 * carries the state after the change, so a consumer can apply it without asking back.
 */
export const EnrollmentChanged = defineEvent(
  'EnrollmentChanged',
  1,
  'Enrollment',
  z.object({
    enrollmentId: z.uuid(),
    studentId: z.uuid(),
    programId: z.uuid(),
    schoolId: z.uuid(),
    /** The track after the change; null while the student has none. */
    trackId: z.uuid().nullable(),
    trackKind: z.enum(['CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY']).nullable(),
    change: z.enum(['ENROLLED', 'TRACK_CHANGED', 'WITHDRAWN']),
  }),
);

/**
 * A student completed a module of their program (or its completion was re-dated: the event is
 * sent again with the new date). Aggregate: the enrolment the completion was recorded under,
 * like EnrollmentChanged, so a consumer of both sees an enrolment's start, its completions and
 * its withdrawal in the order they happened.
 */
export const ModuleCompleted = defineEvent(
  'ModuleCompleted',
  1,
  'Enrollment',
  z.object({
    enrollmentId: z.uuid(),
    studentId: z.uuid(),
    moduleId: z.uuid(),
    programId: z.uuid(),
    schoolId: z.uuid(),
    completedOn: isoDate,
  }),
);

/**
 * A competency framework was created or a competency added to it. Aggregate: the framework; the
 * payload lists every competency of the framework after the change (a consumer replaces what it
 * knew), with what readiness needs: the domain, and the parent that places it in the hierarchy.
 */
export const CompetencyFrameworkPublished = defineEvent(
  'CompetencyFrameworkPublished',
  1,
  'CompetencyFramework',
  z.object({
    frameworkId: z.uuid(),
    name: z.string(),
    version: z.string(),
    competencies: z.array(
      z.object({
        id: z.uuid(),
        code: z.string(),
        domain: z.enum(['TECHNICAL', 'NON_TECHNICAL']),
        parentId: z.uuid().nullable(),
      }),
    ),
  }),
);

/** A post profile was created: the scale its levels are stated on, and the level it requires of each competency. */
export const PostProfilePublished = defineEvent(
  'PostProfilePublished',
  1,
  'PostProfile',
  z.object({
    postProfileId: z.uuid(),
    title: z.string(),
    scale: z.object({ name: z.string(), min: z.number(), max: z.number() }),
    requirements: z.array(z.object({ competencyId: z.uuid(), level: z.number() })),
  }),
);

/**
 * A program's teaching content as it now stands, sent again, whole, whenever a learning
 * objective or a teaching session is added (a consumer replaces what it knew; the latest
 * sequence wins). Quality derives each program's teaching-method blend and how far it covers
 * each post profile's competencies, per program and per module, and keeps every publication (how
 * the figures changed). Aggregate: the program.
 */
export const ProgramPublished = defineEvent(
  'ProgramPublished',
  1,
  'Program',
  z.object({
    programId: z.uuid(),
    schoolId: z.uuid(),
    title: z.string(),
    /** The distinct competencies the program's learning objectives address. */
    competencyIds: z.array(z.uuid()),
    /** Scheduled teaching time per method (LECTURE, PBL, SIMULATION…), in minutes, over every session. */
    teachingMinutes: z.array(z.object({ method: z.string(), minutes: z.number().int().nonnegative() })),
    /**
     * The same per module (quality's drill-down program → module), in the program's order (year,
     * then creation). Optional: events written before it was added lack it.
     */
    modules: z
      .array(
        z.object({
          moduleId: z.uuid(),
          title: z.string(),
          competencyIds: z.array(z.uuid()),
          teachingMinutes: z.array(z.object({ method: z.string(), minutes: z.number().int().nonnegative() })),
          /**
           * The disciplines the module integrates (hours > 0), e.g. SURGERY, PHYSIOLOGY: a clinical
           * placement in a department of that specialty belongs to the first such module of the
           * student's program (assessment carries it on EvaluationSubmitted). Optional: older events lack it.
           */
          disciplines: z.array(z.string()).optional(),
        }),
      )
      .optional(),
    publishedAt: instant,
  }),
);

import { z } from 'zod';
import { defineEvent } from '../contract';
import { isoDate, instant } from './scalars';

/**
 * What every placement event says: who is placed where and when. Consumers key on
 * `placementId` and take the latest event's terms (a swap re-confirms a placement with new
 * terms). `accessUntil` is how long the hospital may see the student through this placement:
 * null while the placement runs (open-ended), an instant after it completed or was cancelled.
 * Rotations decides it (GRANT_DAYS_AFTER_COMPLETION) so every consumer agrees on the grant.
 */
const placementPayload = z.object({
  placementId: z.uuid(),
  studentId: z.uuid(),
  schoolId: z.uuid(),
  hospitalId: z.uuid(),
  departmentId: z.uuid(),
  blockId: z.uuid(),
  /** The block's name in the school's calendar (e.g. "Block 3"), so consumers can name it; absent in older events. */
  blockName: z.string().min(1).max(200).optional(),
  supervisorId: z.uuid().nullable(),
  /**
   * The department's specialty as rotations knew it when the event was written (quality counts
   * placements, cancellations and swaps per specialty, ADR 0047); absent while unknown and in
   * older events.
   */
  specialty: z.string().min(1).max(100).optional(),
  startsOn: isoDate,
  endsOn: isoDate,
  /** When the transition happened. */
  at: instant,
  accessUntil: instant.nullable(),
  /**
   * Present when the placement is one part of a rotation longer than one block (an 8-week
   * surgery is published as one placement per 4-week block, ADR 0027 §8); absent otherwise and
   * in older events. Assessment assesses the rotation once, when its last part completes.
   */
  rotation: z
    .object({
      /** Shared by every part of the rotation. */
      rotationId: z.uuid(),
      /** This placement's part, 1-based, in calendar order. */
      part: z.int().min(1),
      /** How many live parts the rotation has: 1 once its other parts were cancelled (ADR 0035). */
      parts: z.int().min(1),
      /** The rotation as people read it: "Surgery at St Mary's (Central), Block 3 – Block 4". */
      name: z.string().min(1).max(500),
      /** The whole rotation's first and last day. */
      startsOn: isoDate,
      endsOn: isoDate,
    })
    .refine((r) => r.part <= r.parts, { message: 'part must not exceed parts' })
    .optional(),
});

/** A school coordinator confirmed a placement (or a swap gave a confirmed placement new terms). */
export const PlacementConfirmed = defineEvent('PlacementConfirmed', 1, 'Placement', placementPayload);

/** The hospital started the placement: the student is on site. */
export const PlacementStarted = defineEvent('PlacementStarted', 1, 'Placement', placementPayload);

/** The hospital completed the placement; end-of-rotation assessment can begin. */
export const PlacementCompleted = defineEvent('PlacementCompleted', 1, 'Placement', placementPayload);

/** The school cancelled the placement; the hospital's access through it ends at `accessUntil`. */
export const PlacementCancelled = defineEvent(
  'PlacementCancelled',
  1,
  'Placement',
  placementPayload.extend({ reason: z.string().min(1).max(500) }),
);

/**
 * The hospital named (or changed) the clinical instructor who supervises a placement that is
 * already confirmed or running (a proposal has no event: its supervisor travels with
 * PlacementConfirmed). The whole placement as it stands, like every placement event, plus its
 * `status`, so a consumer that keys on `placementId` and takes the latest terms needs nothing
 * else; the end-of-placement assessment then goes to this supervisor (PlacementCompleted carries
 * it too).
 */
export const PlacementSupervisorAssigned = defineEvent(
  'PlacementSupervisorAssigned',
  1,
  'Placement',
  placementPayload.extend({
    supervisorId: z.uuid(),
    status: z.enum(['CONFIRMED', 'IN_PROGRESS']),
    /** The supervisor before the change (null: there was none). */
    previousSupervisorId: z.uuid().nullable(),
  }),
);

/**
 * A school opened (or moved) its students' preference window for an academic year. Aggregate:
 * the window; consumers take the latest event's times. Notifications reminds the school's
 * students who have not ranked, 48 h before it closes.
 */
export const PreferenceWindowOpened = defineEvent(
  'PreferenceWindowOpened',
  1,
  'PreferenceWindow',
  z.object({
    windowId: z.uuid(),
    schoolId: z.uuid(),
    academicYear: z.string(),
    opensAt: instant,
    closesAt: instant,
    at: instant,
  }),
);

/** A student submitted (or replaced) their ranking in a preference window. Aggregate: the window. */
export const PreferencesSubmitted = defineEvent(
  'PreferencesSubmitted',
  1,
  'PreferenceWindow',
  z.object({
    windowId: z.uuid(),
    schoolId: z.uuid(),
    academicYear: z.string(),
    studentId: z.uuid(),
    submittedAt: instant,
  }),
);

/**
 * A swap request was made or moved on. Aggregate: the swap request; consumers take the latest
 * event. AWAITING_PEER waits for the other student's answer, AWAITING_COORDINATOR for the
 * school's coordinators; DECLINED, APPROVED and REJECTED are final. It names both placements'
 * departments and start dates, so a reminder can say what is at stake.
 */
export const SwapRequestChanged = defineEvent(
  'SwapRequestChanged',
  1,
  'SwapRequest',
  z.object({
    swapId: z.uuid(),
    schoolId: z.uuid(),
    status: z.enum(['AWAITING_PEER', 'AWAITING_COORDINATOR', 'DECLINED', 'APPROVED', 'REJECTED']),
    studentId: z.uuid(),
    placementId: z.uuid(),
    departmentId: z.uuid(),
    /** The placement's hospital (quality counts approved swaps per hospital); absent in older events. */
    hospitalId: z.uuid().optional(),
    /** The placement's block (quality counts approved swaps per block); absent in older events. */
    blockId: z.uuid().optional(),
    /** The specialty of the placement's department (quality counts approved swaps per specialty); absent while unknown and in older events. */
    specialty: z.string().min(1).max(100).optional(),
    startsOn: isoDate,
    /** The other student's placement (an exchange), else null (a move to `toDepartmentId`). */
    withStudentId: z.uuid().nullable(),
    withPlacementId: z.uuid().nullable(),
    withDepartmentId: z.uuid().nullable(),
    toDepartmentId: z.uuid().nullable(),
    at: instant,
  }),
);

/**
 * A coordinator published an allocation run (issue 13: seats offered vs filled, preference
 * satisfaction per run). Aggregate: the run. `sites` are the seats the run offered, per
 * department and block (its frozen snapshot), with how many of them this run's placements fill;
 * `placements` are the run's assignments, each with the student's preference rank for it (null:
 * a site the student did not rank). Per student so a consumer can count distinct students (k
 * rule) — the same people placement events already name.
 */
export const AllocationRunPublished = defineEvent(
  'AllocationRunPublished',
  1,
  'AllocationRun',
  z.object({
    runId: z.uuid(),
    schoolId: z.uuid(),
    academicYear: z.string().nullable(),
    variation: z.enum(['OPTIMAL', 'LOTTERY']),
    /** Earlier runs this publication replaced (AllocationRunSuperseded follows for each). */
    supersededRunIds: z.array(z.uuid()),
    sites: z.array(
      z.object({
        hospitalId: z.uuid(),
        departmentId: z.uuid(),
        specialty: z.string(),
        blockId: z.uuid(),
        startsOn: isoDate,
        seatsOffered: z.number().int().nonnegative(),
        seatsFilled: z.number().int().nonnegative(),
      }),
    ),
    placements: z.array(
      z.object({
        studentId: z.uuid(),
        hospitalId: z.uuid(),
        departmentId: z.uuid(),
        specialty: z.string(),
        blockId: z.uuid(),
        startsOn: isoDate,
        /** 1 = first choice; null = a site the student did not rank. */
        rank: z.number().int().positive().nullable(),
      }),
    ),
    at: instant,
  }),
);

/** A later run's publication replaced this published run (its figures no longer stand). Aggregate: the run. */
export const AllocationRunSuperseded = defineEvent(
  'AllocationRunSuperseded',
  1,
  'AllocationRun',
  z.object({ runId: z.uuid(), schoolId: z.uuid(), supersededBy: z.uuid(), at: instant }),
);

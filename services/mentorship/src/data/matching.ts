import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { acceptanceConflicts, planMatching } from '../domain/matching-plan';
import { focusForTrack, MAX_GROUP_SIZE, MIN_GROUP_SIZE } from '../domain/mentorship-rules';
import { type MentorshipFocus } from '../domain/model';
import { type CohortSelector } from '../domain/validation';
import { MatchingProposal, MatchingRun } from '../entities';
import { type EventMeta } from '../outbox';
import { loadSchoolReach, loadStudentFacts, partnerHospitals } from './candidates';
import { insertMentorship } from './mentorships';
import { lockMentors, openMentorIds } from './reach';

/**
 * Matching runs: compute and store a proposal for a cohort, then accept it (creating every
 * mentorship in one transaction, re-checking capacities under the mentors' row locks) or
 * reject it. Planning is pure (src/domain/matching-plan.ts); this module gathers and writes.
 */

/** The school a cohort belongs to (for the access check before anything runs). */
export async function cohortSchool(em: EntityManager, cohort: CohortSelector): Promise<string> {
  if (cohort.kind === 'cohort') return cohort.schoolId;
  const rows = (await em.query('SELECT DISTINCT school_id FROM known_enrollment WHERE program_id = $1', [cohort.programId])) as {
    school_id: string;
  }[];
  if (!rows[0]) throw new NotFoundError('Program with enrolled students', cohort.programId);
  return rows[0].school_id;
}

/** Students of the cohort without an open mentorship. */
async function unmatchedCohort(em: EntityManager, cohort: CohortSelector): Promise<string[]> {
  const source =
    cohort.kind === 'program'
      ? {
          sql: 'SELECT DISTINCT student_id AS id FROM known_enrollment WHERE program_id = $1 AND NOT withdrawn',
          params: [cohort.programId],
        }
      : { sql: 'SELECT id FROM known_student WHERE school_id = $1 AND cohort_year = $2', params: [cohort.schoolId, cohort.cohortYear] };
  const rows = (await em.query(
    `SELECT c.id FROM (${source.sql}) c
      WHERE NOT EXISTS (SELECT 1 FROM mentorship_mentee mm JOIN mentorship m ON m.id = mm.mentorship_id
                         WHERE mm.student_id = c.id AND m.status IN ('ACTIVE', 'PAUSED'))
      ORDER BY c.id`,
    source.params,
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

export async function startMatchingRun(em: EntityManager, cohort: CohortSelector, schoolId: string, actorId: string): Promise<MatchingRun> {
  const studentIds = await unmatchedCohort(em, cohort);
  const students = await loadStudentFacts(em, studentIds);
  const { partners, mentors } = await loadSchoolReach(em, schoolId);
  const plan = planMatching(students, mentors, partners);
  const run = await em.getRepository(MatchingRun).save(
    em.getRepository(MatchingRun).create({
      id: randomUUID(),
      schoolId,
      programId: cohort.kind === 'program' ? cohort.programId : null,
      cohortYear: cohort.kind === 'cohort' ? cohort.cohortYear : null,
      mechanism: 'OPTIMAL',
      status: 'PROPOSED',
      totalScore: plan.totalScore,
      unmatchedStudentIds: plan.unmatchedStudentIds,
      createdById: actorId,
      createdAt: new Date(),
      decidedById: null,
      decidedAt: null,
      decisionReason: null,
    }),
  );
  if (plan.proposals.length) {
    await em.getRepository(MatchingProposal).insert(plan.proposals.map((p) => ({ runId: run.id, ...p })));
  }
  return run;
}

/** Locks a run and checks it still waits for a decision. */
async function proposedRun(em: EntityManager, runId: string): Promise<MatchingRun> {
  const run = await em.getRepository(MatchingRun).findOne({ where: { id: runId }, lock: { mode: 'pessimistic_write' } });
  if (!run) throw new NotFoundError('Matching run', runId);
  if (run.status !== 'PROPOSED')
    throw new ConflictError(`This matching run was already ${run.status.toLowerCase()}`, { status: run.status });
  return run;
}

/** One-on-one per student where the mentor offers it; otherwise small groups per focus. */
function mentorshipsFor(mentorId: string, formats: string[], capacity: number, students: { id: string; focus: MentorshipFocus }[]) {
  if (formats.includes('ONE_ON_ONE')) {
    return students.map((s) => ({ mentorId, format: 'ONE_ON_ONE' as const, focus: s.focus, groupSizeLimit: null, menteeIds: [s.id] }));
  }
  const limit = Math.max(MIN_GROUP_SIZE, Math.min(MAX_GROUP_SIZE, capacity));
  const groups = [];
  for (const focus of [...new Set(students.map((s) => s.focus))]) {
    const ids = students.filter((s) => s.focus === focus).map((s) => s.id);
    for (let i = 0; i < ids.length; i += limit) {
      groups.push({ mentorId, format: 'SMALL_GROUP' as const, focus, groupSizeLimit: limit, menteeIds: ids.slice(i, i + limit) });
    }
  }
  return groups;
}

export async function acceptMatchingRun(em: EntityManager, runId: string, actorId: string, meta: EventMeta): Promise<MatchingRun> {
  const run = await proposedRun(em, runId);
  const proposals = await em.getRepository(MatchingProposal).find({ where: { runId }, order: { studentId: 'ASC' } });
  const mentors = await lockMentors(
    em,
    proposals.map((p) => p.mentorId),
  );
  const matched = await openMentorIds(
    em,
    proposals.map((p) => p.studentId),
  );
  const partners = await partnerHospitals(em, run.schoolId);
  const mentorsNow = new Map(
    [...mentors].map(([id, m]) => [id, { ...m, reachable: m.institutionId === run.schoolId || partners.has(m.institutionId) }]),
  );
  const conflicts = acceptanceConflicts(proposals, mentorsNow, new Set(matched.keys()));
  if (conflicts) {
    throw new ConflictError(
      'The matching run no longer fits: capacities or students changed since it was computed; reject it and run matching again',
      { ...conflicts },
    );
  }
  const facts = new Map(
    (
      await loadStudentFacts(
        em,
        proposals.map((p) => p.studentId),
      )
    ).map((s) => [s.id, s]),
  );
  for (const [mentorId, mentor] of mentors) {
    const students = proposals
      .filter((p) => p.mentorId === mentorId)
      .map((p) => ({ id: p.studentId, focus: focusForTrack(facts.get(p.studentId)?.trackKind ?? null) }));
    for (const m of mentorshipsFor(mentorId, mentor.formats, mentor.capacity, students)) {
      await insertMentorship(em, { ...m, schoolId: run.schoolId, matchingRunId: run.id }, meta);
    }
  }
  return decide(em, run, 'ACCEPTED', actorId, null);
}

export async function rejectMatchingRun(em: EntityManager, runId: string, actorId: string, reason: string): Promise<MatchingRun> {
  return decide(em, await proposedRun(em, runId), 'REJECTED', actorId, reason);
}

async function decide(
  em: EntityManager,
  run: MatchingRun,
  status: 'ACCEPTED' | 'REJECTED',
  actorId: string,
  reason: string | null,
): Promise<MatchingRun> {
  const changes = { status, decidedById: actorId, decidedAt: new Date(), decisionReason: reason };
  await em.getRepository(MatchingRun).update({ id: run.id }, changes);
  return { ...run, ...changes };
}

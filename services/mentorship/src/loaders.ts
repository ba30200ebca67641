import DataLoader from 'dataloader';
import { loaderById, loaderByParent, plainRowReader } from '@medcollab/kit';
import { type DataSource, type ObjectLiteral } from 'typeorm';
import { isUuid } from './domain/validation';
import {
  DevelopmentGoal,
  KnownStaff,
  KnownStudent,
  MatchingProposal,
  MatchingRun,
  MenteePreferences,
  MentorMeeting,
  MentorProfile,
  Mentorship,
  MentorshipMentee,
} from './entities';
import { activePartnersOf, menteeCounts } from './data/reach';

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, so
 * nested fields and `_entities` cost a constant number of queries, not one per row.
 */
export interface MeetingStats {
  count: number;
  lastOn: string | null;
}

/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
const wellFormed = (ids: readonly string[]): string[] => ids.filter(isUuid);

/**
 * Rows by one column, in plain SQL (the kit's plainRowReader, ADR 0036): the statement
 * TypeORM's `find` sent, without rebuilding it and transforming rows on every request.
 */
function byColumn<T extends ObjectLiteral>(
  ds: DataSource,
  entity: new () => T,
  column: keyof T & string,
  order?: Record<string, 'ASC' | 'DESC'>,
) {
  return (ids: readonly string[]): Promise<T[]> => {
    const valid = wellFormed(ids);
    return valid.length ? plainRowReader(ds, entity).by(column, valid, { order: order as never }) : Promise.resolve([]);
  };
}

/** A loader of one row per key (`column` unique), null when missing. */
function oneBy<T extends object>(fetch: (ids: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const byKey = new Map((await fetch(ids)).map((row) => [keyOf(row), row]));
    return ids.map((id) => byKey.get(id) ?? null);
  });
}

export function createLoaders(ds: DataSource) {
  const loaders = {
    knownStudent: loaderById(byColumn(ds, KnownStudent, 'id')),
    knownStaff: loaderById(byColumn(ds, KnownStaff, 'id')),
    profile: loaderById(byColumn(ds, MentorProfile, 'id')),
    profileByStaff: oneBy(byColumn(ds, MentorProfile, 'staffId'), (p) => p.staffId),
    preferences: oneBy(byColumn(ds, MenteePreferences, 'studentId'), (p) => p.studentId),
    mentorship: loaderById(byColumn(ds, Mentorship, 'id')),
    meeting: loaderById(byColumn(ds, MentorMeeting, 'id')),
    goal: loaderById(byColumn(ds, DevelopmentGoal, 'id')),
    run: loaderById(byColumn(ds, MatchingRun, 'id')),
    /** Mentee ids of each mentorship, in the order they joined. */
    menteesByMentorship: new DataLoader<string, string[]>(async (ids) => {
      const rows = await byColumn(ds, MentorshipMentee, 'mentorshipId', { position: 'ASC' })(ids);
      return ids.map((id) => rows.filter((r) => r.mentorshipId === id).map((r) => r.studentId));
    }),
    /**
     * Every mentorship a student is (or was) a mentee of, newest first. Two statements for
     * the whole batch: all mentee links of those mentorships (which also fill
     * menteesByMentorship), then the mentorships (which also fill `mentorship`).
     */
    mentorshipsByStudent: new DataLoader<string, Mentorship[]>(async (ids) => {
      const valid = wellFormed(ids);
      const links = valid.length
        ? await plainRowReader(ds, MentorshipMentee).where(
            'mentorship_id IN (SELECT x.mentorship_id FROM mentorship_mentee x WHERE x.student_id = ANY($1::uuid[])) ORDER BY position ASC',
            [valid],
          )
        : [];
      const menteesOf = new Map<string, string[]>();
      for (const l of links) menteesOf.set(l.mentorshipId, [...(menteesOf.get(l.mentorshipId) ?? []), l.studentId]);
      const mentorships = menteesOf.size
        ? await plainRowReader(ds, Mentorship).by('id', [...menteesOf.keys()], { order: { createdAt: 'DESC', id: 'ASC' } })
        : [];
      for (const m of mentorships) {
        loaders.mentorship.prime(m.id, m);
        loaders.menteesByMentorship.prime(m.id, menteesOf.get(m.id) ?? []);
      }
      return ids.map((id) => mentorships.filter((m) => menteesOf.get(m.id)?.includes(id)));
    }),
    mentorshipsByMentor: loaderByParent(byColumn(ds, Mentorship, 'mentorId', { createdAt: 'DESC', id: 'ASC' }), (m) => m.mentorId),
    mentorshipsByRun: loaderByParent(
      byColumn(ds, Mentorship, 'matchingRunId', { createdAt: 'ASC', id: 'ASC' }),
      (m) => m.matchingRunId as string,
    ),
    proposalsByRun: loaderByParent(byColumn(ds, MatchingProposal, 'runId', { studentId: 'ASC' }), (p) => p.runId),
    goalsByStudent: loaderByParent(byColumn(ds, DevelopmentGoal, 'studentId', { targetDate: 'ASC', createdAt: 'ASC' }), (g) => g.studentId),
    /** Students in each mentor's open mentorships. */
    menteeCount: new DataLoader<string, number>(async (ids) => {
      const counts = await menteeCounts(ds.manager, wellFormed(ids));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    /** Schools with an agreement active today with each institution (a hospital). */
    partnerSchools: new DataLoader<string, string[]>(async (ids) => {
      const pairs = await activePartnersOf(ds.manager, wellFormed(ids), 'hospital');
      return ids.map((id) => pairs.filter((p) => p.hospitalId === id).map((p) => p.schoolId));
    }),
    meetingStats: new DataLoader<string, MeetingStats>(async (ids) => {
      const valid = wellFormed(ids);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT mentorship_id, count(*)::int AS n, max(met_on)::text AS last FROM mentor_meeting
              WHERE mentorship_id = ANY($1::uuid[]) GROUP BY mentorship_id`,
            [valid],
          )) as { mentorship_id: string; n: number; last: string }[])
        : [];
      const byId = new Map(rows.map((r) => [r.mentorship_id, { count: r.n, lastOn: r.last }]));
      return ids.map((id) => byId.get(id) ?? { count: 0, lastOn: null });
    }),
  };
  return loaders;
}

export type MentorshipLoaders = ReturnType<typeof createLoaders>;

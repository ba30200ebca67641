import { type EntityManager } from 'typeorm';

/**
 * Who is "close by" and how full mentors are: the two facts every mentoring decision
 * needs, read from mentorship's own tables.
 */

export interface Partnership {
  schoolId: string;
  hospitalId: string;
}

/** Agreements ACTIVE today (status and dates) for the given schools or hospitals. */
export async function activePartnersOf(em: EntityManager, ids: readonly string[], side: 'school' | 'hospital'): Promise<Partnership[]> {
  if (!ids.length) return [];
  const column = side === 'school' ? 'school_id' : 'hospital_id';
  const rows = (await em.query(
    `SELECT DISTINCT school_id, hospital_id FROM known_agreement
      WHERE ${column} = ANY($1::uuid[]) AND status = 'ACTIVE' AND starts_on <= current_date AND ends_on >= current_date`,
    [ids],
  )) as { school_id: string; hospital_id: string }[];
  return rows.map((r) => ({ schoolId: r.school_id, hospitalId: r.hospital_id }));
}

/** Distinct students in each mentor's open (ACTIVE or PAUSED) mentorships. */
export async function menteeCounts(em: EntityManager, mentorIds: readonly string[]): Promise<Map<string, number>> {
  if (!mentorIds.length) return new Map();
  const rows = (await em.query(
    `SELECT m.mentor_id, count(DISTINCT mm.student_id)::int AS n
       FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id
      WHERE m.mentor_id = ANY($1::uuid[]) AND m.status IN ('ACTIVE', 'PAUSED')
      GROUP BY m.mentor_id`,
    [mentorIds],
  )) as { mentor_id: string; n: number }[];
  return new Map(rows.map((r) => [r.mentor_id, r.n]));
}

/** Mentors of each student's open mentorships. */
export async function openMentorIds(em: EntityManager, studentIds: readonly string[]): Promise<Map<string, string[]>> {
  if (!studentIds.length) return new Map();
  const rows = (await em.query(
    `SELECT DISTINCT mm.student_id, m.mentor_id
       FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id
      WHERE mm.student_id = ANY($1::uuid[]) AND m.status IN ('ACTIVE', 'PAUSED')`,
    [studentIds],
  )) as { student_id: string; mentor_id: string }[];
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.student_id, [...(map.get(r.student_id) ?? []), r.mentor_id]);
  return map;
}

/**
 * Locks the mentors' profiles (in id order, so two transactions never deadlock) and returns
 * them with their current mentee counts: capacity decisions made under these locks hold.
 */
export async function lockMentors(em: EntityManager, mentorIds: readonly string[]) {
  const ids = [...new Set(mentorIds)].sort();
  if (!ids.length)
    return new Map<
      string,
      { capacity: number; acceptingMentees: boolean; menteeCount: number; institutionId: string; formats: string[] }
    >();
  const rows = (await em.query(
    `SELECT staff_id, capacity, accepting_mentees, institution_id, formats FROM mentor_profile WHERE staff_id = ANY($1::uuid[]) ORDER BY staff_id FOR UPDATE`,
    [ids],
  )) as { staff_id: string; capacity: number; accepting_mentees: boolean; institution_id: string; formats: string[] }[];
  const counts = await menteeCounts(em, ids);
  return new Map(
    rows.map((r) => [
      r.staff_id,
      {
        capacity: r.capacity,
        acceptingMentees: r.accepting_mentees,
        institutionId: r.institution_id,
        formats: r.formats,
        menteeCount: counts.get(r.staff_id) ?? 0,
      },
    ]),
  );
}

import { type EntityManager } from 'typeorm';
import { type DigestNotice } from '../domain/digest';
import { displayName } from '../domain/messages';

type Name = { givenName: string | null; familyName: string | null };
const person = (given: string | null, family: string | null): Name => ({ givenName: given, familyName: family });

interface Carried {
  step_id: string;
  /** Null while its subject still waits (the step fires with the digest), else why it is cancelled. */
  closed: string | null;
}

/**
 * The placement-starting, window-closing and swap-awaiting steps a digest carries, as notices with
 * every name resolved (one statement per kind of subject, however many steps). A step whose
 * subject no longer waits (the placement started or was cancelled, the student ranked, the window
 * closed, the swap was answered) is cancelled and not listed; the others are FIRED with the digest.
 * Runs inside fireDigest's transaction, after the digest row is locked.
 */
export async function carryNotices(em: EntityManager, digestId: string, now: Date): Promise<DigestNotice[]> {
  const placements = (await em.query(
    `SELECT s.id AS step_id, s.audience, p.starts_on::text AS starts_on, p.ends_on::text AS ends_on, p.block_name,
            CASE WHEN p.status = 'CONFIRMED' THEN NULL ELSE p.status END AS closed,
            st.given_name AS s_given, st.family_name AS s_family, sup.given_name AS v_given, sup.family_name AS v_family,
            p.supervisor_id, d.name AS department_name, h.name AS hospital_name
       FROM reminder_step s
       JOIN reminder_placement p ON p.placement_id = s.placement_id
       LEFT JOIN known_person st ON st.id = p.student_id
       LEFT JOIN known_person sup ON sup.id = p.supervisor_id
       LEFT JOIN known_department d ON d.id = p.department_id
       LEFT JOIN known_institution h ON h.id = p.hospital_id
      WHERE s.digest_id = $1 AND s.status = 'DIGEST' AND s.placement_id IS NOT NULL
      ORDER BY p.starts_on, s.id`,
    [digestId],
  )) as (Carried & {
    audience: 'STUDENT' | 'SUPERVISOR';
    starts_on: string;
    ends_on: string;
    block_name: string | null;
    s_given: string | null;
    s_family: string | null;
    v_given: string | null;
    v_family: string | null;
    supervisor_id: string | null;
    department_name: string | null;
    hospital_name: string | null;
  })[];
  const windows = (await em.query(
    `SELECT s.id AS step_id, w.academic_year, w.closes_at, i.name AS school_name,
            CASE WHEN x.student_id IS NOT NULL THEN 'SUBMITTED' WHEN w.closes_at <= $2 THEN 'CLOSED' END AS closed
       FROM reminder_step s
       JOIN reminder_preference_window w ON w.window_id = s.preference_window_id
       LEFT JOIN reminder_preference_submission x ON x.window_id = w.window_id AND x.student_id = s.recipient_id
       LEFT JOIN known_institution i ON i.id = w.school_id
      WHERE s.digest_id = $1 AND s.status = 'DIGEST' AND s.preference_window_id IS NOT NULL
      ORDER BY w.closes_at, s.id`,
    [digestId, now],
  )) as (Carried & { academic_year: string; closes_at: Date; school_name: string | null })[];
  const swaps = (await em.query(
    `SELECT s.id AS step_id, s.audience, w.starts_on::text AS starts_on, w.with_student_id,
            CASE WHEN (s.audience = 'STUDENT' AND w.status = 'AWAITING_PEER')
                   OR (s.audience = 'COORDINATORS' AND w.status = 'AWAITING_COORDINATOR') THEN NULL ELSE w.status END AS closed,
            a.given_name AS a_given, a.family_name AS a_family, b.given_name AS b_given, b.family_name AS b_family,
            d.name AS department_name, wd.name AS with_department_name, td.name AS to_department_name
       FROM reminder_step s
       JOIN reminder_swap w ON w.swap_id = s.swap_id
       LEFT JOIN known_person a ON a.id = w.student_id
       LEFT JOIN known_person b ON b.id = w.with_student_id
       LEFT JOIN known_department d ON d.id = w.department_id
       LEFT JOIN known_department wd ON wd.id = w.with_department_id
       LEFT JOIN known_department td ON td.id = w.to_department_id
      WHERE s.digest_id = $1 AND s.status = 'DIGEST' AND s.swap_id IS NOT NULL
      ORDER BY w.updated_at, s.id`,
    [digestId],
  )) as (Carried & {
    audience: 'STUDENT' | 'COORDINATORS';
    starts_on: string;
    with_student_id: string | null;
    a_given: string | null;
    a_family: string | null;
    b_given: string | null;
    b_family: string | null;
    department_name: string | null;
    with_department_name: string | null;
    to_department_name: string | null;
  })[];

  const all: Carried[] = [...placements, ...windows, ...swaps];
  const open = all.filter((c) => c.closed === null).map((c) => c.step_id);
  if (open.length) await em.query(`UPDATE reminder_step SET status = 'FIRED', fired_at = $2 WHERE id = ANY($1::uuid[])`, [open, now]);
  const closed = all.filter((c) => c.closed !== null);
  if (closed.length)
    await em.query(
      `UPDATE reminder_step s SET status = 'CANCELLED', cancel_reason = c.reason
         FROM unnest($1::uuid[], $2::text[]) AS c(id, reason) WHERE s.id = c.id`,
      [closed.map((c) => c.step_id), closed.map((c) => c.closed)],
    );

  return [
    ...placements
      .filter((p) => p.closed === null)
      .map((p): DigestNotice => ({
        kind: 'PLACEMENT_STARTING',
        audience: p.audience,
        studentName: displayName(person(p.s_given, p.s_family), 'a student'),
        supervisorName: p.supervisor_id ? displayName(person(p.v_given, p.v_family), 'your supervisor') : null,
        departmentName: p.department_name ?? 'the department',
        hospitalName: p.hospital_name ?? 'the hospital',
        startsOn: p.starts_on,
        endsOn: p.ends_on,
        blockName: p.block_name,
      })),
    ...windows
      .filter((x) => x.closed === null)
      .map((x): DigestNotice => ({
        kind: 'PREFERENCE_WINDOW_CLOSING',
        schoolName: x.school_name ?? 'your school',
        academicYear: x.academic_year,
        closesAt: new Date(x.closes_at),
      })),
    ...swaps
      .filter((x) => x.closed === null)
      .map((x): DigestNotice => ({
        kind: 'SWAP_AWAITING_ANSWER',
        audience: x.audience,
        requesterName: displayName(person(x.a_given, x.a_family), 'A student'),
        departmentName: x.department_name ?? 'another department',
        startsOn: x.starts_on,
        peerName: x.with_student_id ? displayName(person(x.b_given, x.b_family), 'another student') : null,
        peerDepartmentName: x.with_department_name,
        toDepartmentName: x.to_department_name,
      })),
  ];
}

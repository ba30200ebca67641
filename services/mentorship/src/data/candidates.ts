import { type EntityManager } from 'typeorm';
import { type MentorFacts, type StudentFacts } from '../domain/matching-score';
import { type MentorshipFormat, type Specialty, type TrackKind } from '../domain/model';
import { activePartnersOf, menteeCounts, openMentorIds } from './reach';

/**
 * The facts the scoring function needs, gathered in a few set-based statements (a whole
 * cohort at once): students with track, preferences and current mentors; mentors with
 * roles, profile and mentee counts.
 */

export async function loadStudentFacts(em: EntityManager, studentIds: readonly string[]): Promise<StudentFacts[]> {
  if (!studentIds.length) return [];
  // The track of each student's most recently changed enrolment that is not withdrawn.
  const rows = (await em.query(
    `SELECT s.id, s.school_id, s.prior_clinical_years, e.track_kind,
            p.specialty_interests, p.research_interests, p.preferred_format
       FROM known_student s
       LEFT JOIN LATERAL (SELECT track_kind FROM known_enrollment
                           WHERE student_id = s.id AND NOT withdrawn ORDER BY changed_at DESC, id LIMIT 1) e ON true
       LEFT JOIN mentee_preferences p ON p.student_id = s.id
      WHERE s.id = ANY($1::uuid[])
      ORDER BY s.id`,
    [studentIds],
  )) as {
    id: string;
    school_id: string;
    prior_clinical_years: number;
    track_kind: TrackKind | null;
    specialty_interests: Specialty[] | null;
    research_interests: string[] | null;
    preferred_format: MentorshipFormat | null;
  }[];
  const mentors = await openMentorIds(em, studentIds);
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    priorClinicalYears: r.prior_clinical_years,
    trackKind: r.track_kind,
    specialtyInterests: r.specialty_interests ?? [],
    researchInterests: r.research_interests ?? [],
    preferredFormat: r.preferred_format,
    currentMentorIds: mentors.get(r.id) ?? [],
  }));
}

/** Hospitals under an agreement active today with `schoolId`. */
export async function partnerHospitals(em: EntityManager, schoolId: string): Promise<Set<string>> {
  return new Set((await activePartnersOf(em, [schoolId], 'school')).map((p) => p.hospitalId));
}

/** Every mentor profile at the given institutions, as scoring facts (mentor order: by id). */
export async function loadMentorFacts(em: EntityManager, institutionIds: readonly string[]): Promise<MentorFacts[]> {
  if (!institutionIds.length) return [];
  const rows = (await em.query(
    `SELECT p.staff_id, p.institution_id, p.capacity, p.accepting_mentees, p.research_active, p.specialties,
            p.research_areas, p.formats, COALESCE(k.roles, '{}') AS roles
       FROM mentor_profile p LEFT JOIN known_staff k ON k.id = p.staff_id
      WHERE p.institution_id = ANY($1::uuid[])
      ORDER BY p.staff_id`,
    [institutionIds],
  )) as {
    staff_id: string;
    institution_id: string;
    capacity: number;
    accepting_mentees: boolean;
    research_active: boolean;
    specialties: Specialty[];
    research_areas: string[];
    formats: MentorshipFormat[];
    roles: string[];
  }[];
  const counts = await menteeCounts(
    em,
    rows.map((r) => r.staff_id),
  );
  return rows.map((r) => ({
    id: r.staff_id,
    institutionId: r.institution_id,
    isMentor: r.roles.includes('MENTOR'),
    isClinicalInstructor: r.roles.includes('CLINICAL_INSTRUCTOR'),
    capacity: r.capacity,
    menteeCount: counts.get(r.staff_id) ?? 0,
    acceptingMentees: r.accepting_mentees,
    researchActive: r.research_active,
    specialties: r.specialties,
    researchAreas: r.research_areas,
    formats: r.formats,
  }));
}

/** What matching for one school needs besides its students: partners and candidate mentors. */
export async function loadSchoolReach(em: EntityManager, schoolId: string): Promise<{ partners: Set<string>; mentors: MentorFacts[] }> {
  const partners = await partnerHospitals(em, schoolId);
  return { partners, mentors: await loadMentorFacts(em, [schoolId, ...partners]) };
}

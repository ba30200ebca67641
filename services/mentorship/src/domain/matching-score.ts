import { type MatchReason, type MentorshipFormat, type Specialty, type TrackKind } from './model';

/**
 * Who may mentor whom, and how well they fit: the one scoring function behind
 * mentorSuggestions and matching runs. Pure; the data layer gathers the facts.
 *
 * Hard rules (eligibility) come from the training model (docs/architecture.md §1): research-track
 * students need a research-active mentor; clinical-practice students without clinical
 * experience need a clinical instructor; every mentor must be "close by" (the student's
 * own school, or a hospital under an ACTIVE agreement with it). The score then ranks the
 * eligible mentors; points are integers so optimal matching works on exact sums.
 */

export interface StudentFacts {
  id: string;
  schoolId: string;
  priorClinicalYears: number;
  /** Track of the student's latest active enrolment; null when curriculum reported none. */
  trackKind: TrackKind | null;
  specialtyInterests: readonly Specialty[];
  researchInterests: readonly string[];
  preferredFormat: MentorshipFormat | null;
  /** Mentors the student already has in an open (ACTIVE/PAUSED) mentorship. */
  currentMentorIds: readonly string[];
}

export interface MentorFacts {
  /** The mentor's staff id. */
  id: string;
  institutionId: string;
  /** Holds the MENTOR role (StaffRegistered). */
  isMentor: boolean;
  /** Holds the CLINICAL_INSTRUCTOR role. */
  isClinicalInstructor: boolean;
  capacity: number;
  /** Mentees now in the mentor's open mentorships. */
  menteeCount: number;
  acceptingMentees: boolean;
  researchActive: boolean;
  specialties: readonly Specialty[];
  researchAreas: readonly string[];
  formats: readonly MentorshipFormat[];
}

/** Hospitals under an ACTIVE agreement with the student's school, today. */
export type PartnerHospitals = ReadonlySet<string>;

/** What the student needs from a mentor, derived from track and experience. */
export type StudentNeed = 'RESEARCH' | 'CLINICAL_NOVICE' | 'GENERAL';

export function studentNeed(s: Pick<StudentFacts, 'trackKind' | 'priorClinicalYears'>): StudentNeed {
  if (s.trackKind === 'RESEARCH') return 'RESEARCH';
  if (s.trackKind === 'CLINICAL_PRACTICE' && s.priorClinicalYears === 0) return 'CLINICAL_NOVICE';
  return 'GENERAL';
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

const no = (reason: string): Eligibility => ({ eligible: false, reason });

/** The hard rules; `capacityLeft` lets a matching run ask with the seats it has left. */
export function eligibility(
  student: StudentFacts,
  mentor: MentorFacts,
  partners: PartnerHospitals,
  capacityLeft = mentor.capacity - mentor.menteeCount,
): Eligibility {
  if (!mentor.isMentor) return no('not a MENTOR');
  if (!mentor.acceptingMentees) return no('not accepting new mentees');
  if (capacityLeft <= 0) return no('no capacity left');
  if (student.currentMentorIds.includes(mentor.id)) return no('already mentors this student');
  if (mentor.institutionId !== student.schoolId && !partners.has(mentor.institutionId)) {
    return no("neither at the student's school nor at a partner hospital under an active agreement");
  }
  const need = studentNeed(student);
  if (need === 'RESEARCH' && !mentor.researchActive) return no('research-track students need a research-active mentor');
  if (need === 'CLINICAL_NOVICE' && !mentor.isClinicalInstructor) {
    return no('students without clinical experience on the clinical-practice track need a clinical instructor');
  }
  return { eligible: true };
}

export const POINTS = {
  researchActive: 40,
  experiencedToResearch: 10,
  researchArea: 15,
  clinicalInstructor: 40,
  specialty: 15,
  sameInstitution: 15,
  partnerHospital: 10,
  capacityMax: 10,
  format: 5,
} as const;

/** Highest score any pair can reach: 40 (track need) + 15 + 15 + 15 + 10 + 5 = 100. */
export const MAX_SCORE =
  POINTS.researchActive + POINTS.researchArea + POINTS.specialty + POINTS.sameInstitution + POINTS.capacityMax + POINTS.format;

const norm = (s: string) => s.trim().toLowerCase();
const overlap = <T>(a: readonly T[], b: readonly T[], key: (x: T) => unknown = (x) => x): T[] => {
  const keys = new Set(b.map(key));
  return a.filter((x) => keys.has(key(x)));
};

export interface Score {
  score: number;
  /** Strongest first. */
  reasons: MatchReason[];
}

/** Scores an eligible pair; `capacityLeft` as in eligibility. */
export function scoreMatch(
  student: StudentFacts,
  mentor: MentorFacts,
  partners: PartnerHospitals,
  capacityLeft = mentor.capacity - mentor.menteeCount,
): Score {
  const reasons: MatchReason[] = [];
  const add = (code: MatchReason['code'], points: number, detail: string) => points > 0 && reasons.push({ code, points, detail });
  const need = studentNeed(student);
  const areas = overlap(mentor.researchAreas, student.researchInterests, norm);
  const specialties = overlap(mentor.specialties, student.specialtyInterests);

  if (need === 'RESEARCH') add('RESEARCH_ACTIVE', POINTS.researchActive, 'Research-active mentor for a research-track student');
  if (need === 'CLINICAL_NOVICE')
    add('CLINICAL_INSTRUCTOR', POINTS.clinicalInstructor, 'Clinical instructor for a student new to clinical work');
  if (need === 'GENERAL' && mentor.researchActive && student.priorClinicalYears > 0) {
    add('RESEARCH_ACTIVE', POINTS.experiencedToResearch, 'Research-active mentor for a student with clinical experience');
  }
  if (areas.length) add('RESEARCH_AREA_MATCH', POINTS.researchArea, `Shared research interests: ${areas.join(', ')}`);
  if (specialties.length) add('SPECIALTY_MATCH', POINTS.specialty, `Shared specialty interest: ${specialties.join(', ')}`);
  if (mentor.institutionId === student.schoolId) add('SAME_INSTITUTION', POINTS.sameInstitution, "At the student's own school");
  else if (partners.has(mentor.institutionId))
    add('PARTNER_HOSPITAL', POINTS.partnerHospital, 'At a partner hospital under an active agreement');
  const left = Math.max(0, Math.min(capacityLeft, mentor.capacity));
  add('CAPACITY_LEFT', Math.round((POINTS.capacityMax * left) / Math.max(1, mentor.capacity)), `${left} of ${mentor.capacity} places free`);
  if (student.preferredFormat && mentor.formats.includes(student.preferredFormat))
    add('FORMAT_MATCH', POINTS.format, `Offers ${student.preferredFormat}`);

  reasons.sort((a, b) => b.points - a.points);
  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

export interface Suggestion extends Score {
  mentorId: string;
}

/** Eligible mentors for one student, best first (ties by mentor id, so the order is stable). */
export function rankMentors(
  student: StudentFacts,
  mentors: readonly MentorFacts[],
  partners: PartnerHospitals,
  limit = Infinity,
): Suggestion[] {
  return mentors
    .filter((m) => eligibility(student, m, partners).eligible)
    .map((m) => ({ mentorId: m.id, ...scoreMatch(student, m, partners) }))
    .sort((a, b) => b.score - a.score || a.mentorId.localeCompare(b.mentorId))
    .slice(0, limit);
}

import { assignOptimal } from './assignment';
import { eligibility, type MentorFacts, type PartnerHospitals, scoreMatch, type StudentFacts } from './matching-score';
import { type MatchReason } from './model';

/**
 * A matching run's proposal: every eligible pair scored once with the mentors' seats as
 * they are now, then the optimal assignment within those seats. Pure.
 */
export interface Proposal {
  studentId: string;
  mentorId: string;
  score: number;
  reasons: MatchReason[];
}

export interface MatchingPlan {
  proposals: Proposal[];
  /** Students with no eligible mentor that still had a seat. */
  unmatchedStudentIds: string[];
  totalScore: number;
}

export function planMatching(students: readonly StudentFacts[], mentors: readonly MentorFacts[], partners: PartnerHospitals): MatchingPlan {
  const seats = new Map(mentors.map((m) => [m.id, Math.max(0, m.capacity - m.menteeCount)]));
  const scored = new Map<string, Proposal>();
  for (const s of students) {
    for (const m of mentors) {
      if (!eligibility(s, m, partners).eligible) continue;
      scored.set(`${s.id}|${m.id}`, { studentId: s.id, mentorId: m.id, ...scoreMatch(s, m, partners) });
    }
  }
  const assignment = assignOptimal({
    studentIds: students.map((s) => s.id),
    seats,
    arcs: [...scored.values()].map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, weight: p.score })),
  });
  const proposals = assignment.map((a) => scored.get(`${a.studentId}|${a.mentorId}`) as Proposal);
  const matched = new Set(proposals.map((p) => p.studentId));
  return {
    proposals,
    unmatchedStudentIds: students
      .map((s) => s.id)
      .filter((id) => !matched.has(id))
      .sort(),
    totalScore: proposals.reduce((sum, p) => sum + p.score, 0),
  };
}

export interface MentorNow {
  capacity: number;
  menteeCount: number;
  acceptingMentees: boolean;
  /** Still at the school or a hospital under an agreement active today. */
  reachable: boolean;
}

export interface AcceptanceConflicts {
  /** Mentors whose open mentees plus the run's would exceed their capacity now. */
  overCapacityMentorIds: string[];
  /** Mentors who lost their profile, stopped accepting mentees or whose agreement ended since the run. */
  unavailableMentorIds: string[];
  /** Students who got a mentor since the run. */
  alreadyMatchedStudentIds: string[];
}

/**
 * The re-check when a coordinator accepts a run, against the state inside the accepting
 * transaction (mentor rows locked). Any conflict refuses the whole run.
 */
export function acceptanceConflicts(
  proposals: readonly Pick<Proposal, 'studentId' | 'mentorId'>[],
  mentorsNow: ReadonlyMap<string, MentorNow>,
  matchedStudentIds: ReadonlySet<string>,
): AcceptanceConflicts | null {
  const added = new Map<string, number>();
  for (const p of proposals) added.set(p.mentorId, (added.get(p.mentorId) ?? 0) + 1);
  const overCapacity: string[] = [];
  const unavailable: string[] = [];
  for (const [mentorId, n] of added) {
    const now = mentorsNow.get(mentorId);
    if (!now || !now.acceptingMentees || !now.reachable) unavailable.push(mentorId);
    else if (now.menteeCount + n > now.capacity) overCapacity.push(mentorId);
  }
  const alreadyMatched = proposals.map((p) => p.studentId).filter((id) => matchedStudentIds.has(id));
  if (!overCapacity.length && !unavailable.length && !alreadyMatched.length) return null;
  return {
    overCapacityMentorIds: overCapacity.sort(),
    unavailableMentorIds: unavailable.sort(),
    alreadyMatchedStudentIds: alreadyMatched.sort(),
  };
}

import { DEMO_MENTORING, DEMO_SCHOOLS, type DemoInstitution, demoId, type DemoNetworkSummary, demoStudents } from '@medcollab/demo-world';
import { parseInput } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { loadSchoolReach } from '../data/candidates';
import { setDevelopmentGoal, updateDevelopmentGoal } from '../data/goals';
import { createMentorship, logMeeting } from '../data/mentorships';
import { openMentorIds } from '../data/reach';
import { createMentorshipSchema, logMeetingSchema, setDevelopmentGoalSchema, updateDevelopmentGoalSchema } from '../domain/validation';

/**
 * The demo's mentoring (DEMO_MENTORING): mentorships, meetings and development goals for one
 * cohort of the first school, made through mentorship's own commands — the same rules
 * (capacity, reach, meeting dates, goal transitions) and the same events (MentorshipChanged,
 * MentorshipMeetingLogged, DevelopmentGoalChanged) as through the API, so quality's worker rolls
 * them up and the demo's mentorship figures show. Run after `seedDemoMentorship` (it needs the
 * mentor profiles). Mentors are taken from the school's partner hospitals first (one-to-one, by
 * id), so the school's own mentors stay free for the coordinator's matching run. Students who
 * already have an open mentorship are left alone: running it again adds nothing.
 */
export interface DemoMentoringSummary {
  mentorshipsCreated: number;
  meetingsLogged: number;
  goalsSet: number;
  goalsAchieved: number;
  schoolId: string;
  menteeIds: string[];
}

const day = (d: Date, offset: number): string => new Date(d.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoMentoring(ds: DataSource, network: DemoNetworkSummary, now = new Date()): Promise<DemoMentoringSummary> {
  const school = DEMO_SCHOOLS[DEMO_MENTORING.schoolIndex] as DemoInstitution;
  const schoolId = demoId(`institution:${school.key}`);
  const menteeIds = demoStudents(school, DEMO_MENTORING.schoolIndex)
    .filter((s) => s.cohortYear === DEMO_MENTORING.cohortYear)
    .map((s) => demoId(`student:${s.key}`));
  const summary: DemoMentoringSummary = { mentorshipsCreated: 0, meetingsLogged: 0, goalsSet: 0, goalsAchieved: 0, schoolId, menteeIds };
  return ds.transaction(async (em) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('mentorship.demo-mentoring'))`);
    const open = await openMentorIds(em, menteeIds);
    const { mentors } = await loadSchoolReach(em, schoolId);
    const candidates = mentors
      .filter((m) => m.acceptingMentees && m.formats.includes('ONE_ON_ONE'))
      .sort((a, b) => Number(a.institutionId === schoolId) - Number(b.institutionId === schoolId) || a.id.localeCompare(b.id));
    const places = new Map(candidates.map((m) => [m.id, m.capacity - m.menteeCount]));
    const coordinator = { actorId: network.coordinator.id };
    for (const [i, studentId] of menteeIds.entries()) {
      if (open.get(studentId)?.length) continue;
      const mentor = candidates.find((m) => (places.get(m.id) ?? 0) > 0);
      if (!mentor) throw new Error('The demo network has too few mentor places for the demo mentoring');
      places.set(mentor.id, (places.get(mentor.id) ?? 0) - 1);
      const mentorship = await createMentorship(
        em,
        parseInput(createMentorshipSchema, { mentorId: mentor.id, menteeIds: [studentId], format: 'ONE_ON_ONE', focus: 'CAREER' }),
        schoolId,
        coordinator,
      );
      summary.mentorshipsCreated++;
      const meetings = DEMO_MENTORING.meetings[i % DEMO_MENTORING.meetings.length] ?? 1;
      for (let k = 0; k < meetings; k++) {
        const input = parseInput(logMeetingSchema, {
          mentorshipId: mentorship.id,
          date: day(now, -k),
          attendeeIds: [mentor.id, studentId],
        });
        await logMeeting(em, input, mentor.id, { actorId: mentor.id }, now);
        summary.meetingsLogged++;
      }
      const title = DEMO_MENTORING.goalTitles[i % DEMO_MENTORING.goalTitles.length]!;
      const goal = await setDevelopmentGoal(
        em,
        parseInput(setDevelopmentGoalSchema, { studentId, title }),
        { kind: 'own' },
        { actorId: studentId },
      );
      summary.goalsSet++;
      if (i < DEMO_MENTORING.achieved) {
        const evidence = [{ kind: 'SUBMISSION', id: demoId(`mentoring-evidence:${studentId}`) }];
        await updateDevelopmentGoal(em, parseInput(updateDevelopmentGoalSchema, { id: goal.id, status: 'ACHIEVED', evidence }), true, {
          actorId: studentId,
        });
        summary.goalsAchieved++;
      }
    }
    return summary;
  });
}

import { DEMO_MENTORING, type DemoNetworkSummary } from '@medcollab/demo-world';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { createTestDatabase, type SubgraphHarness, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { seedDemoMentoring } from '../src/seed/demo-mentoring';
import { seedDemoMentorship } from '../src/seed/demo-mentorship';
import { startMentorship } from './support/harness';

/**
 * The demo's mentoring: mentorships, meetings and goals for a cohort of the first school, made
 * through mentorship's commands, so the events quality rolls up are in the outbox — enough
 * mentees (at least five, quality's smallest released cell) that the demo's figures show.
 */
let h: SubgraphHarness;
let networkDb: TestDatabase;
let network: DataSource;
let demo: DemoNetworkSummary;

beforeAll(async () => {
  h = await startMentorship();
  networkDb = await createTestDatabase('network', { entities: networkSubgraph.entities, migrations: networkSubgraph.migrations });
  network = createDataSource({
    url: networkDb.url,
    entities: networkSubgraph.entities,
    migrations: networkSubgraph.migrations,
    poolSize: 2,
  });
  await initializeDataSource(network, { migrate: false });
  demo = await seedDemoNetwork(network);
  await seedDemoMentorship(h.dataSource, demo);
});
afterAll(async () => {
  await network?.destroy();
  await networkDb?.drop();
  await h?.stop();
});

type Row = { event_type: string; payload: Record<string, unknown> };
const outbox = async (): Promise<Row[]> =>
  (await h.dataSource.query(
    `SELECT event_type, payload FROM outbox WHERE event_type IN ('MentorshipChanged', 'MentorshipMeetingLogged', 'DevelopmentGoalChanged') ORDER BY position`,
  )) as Row[];

describe('the demo mentoring', () => {
  it("mentors a cohort of at least five students, each meeting their mentor and setting a goal, through mentorship's events", async () => {
    // Meetings are dated today and yesterday: a mentorship created now cannot have met earlier.
    const now = new Date();
    const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const s = await seedDemoMentoring(h.dataSource, demo, now);
    expect(s.menteeIds.length).toBeGreaterThanOrEqual(5);
    const meetings = DEMO_MENTORING.meetings.slice(0, s.menteeIds.length).reduce((a, b) => a + b, 0);
    expect(s).toMatchObject({
      mentorshipsCreated: s.menteeIds.length,
      meetingsLogged: meetings,
      goalsSet: s.menteeIds.length,
      goalsAchieved: 3,
    });

    const events = await outbox();
    const changed = events.filter((e) => e.event_type === 'MentorshipChanged');
    expect(
      changed
        .map((e) => e.payload.menteeIds)
        .flat()
        .sort(),
    ).toEqual([...s.menteeIds].sort());
    expect(changed.every((e) => e.payload.status === 'ACTIVE' && e.payload.schoolId === s.schoolId)).toBe(true);
    const met = events.filter((e) => e.event_type === 'MentorshipMeetingLogged');
    expect(met).toHaveLength(meetings);
    // Every mentee attended at least one meeting, dated today or yesterday.
    expect(new Set(met.flatMap((e) => e.payload.attendingMenteeIds as string[]))).toEqual(new Set(s.menteeIds));
    expect(new Set(met.map((e) => e.payload.metOn))).toEqual(new Set([day(0), day(-1)]));
    const goals = events.filter((e) => e.event_type === 'DevelopmentGoalChanged');
    expect(goals.filter((e) => e.payload.status === 'ACHIEVED' && e.payload.pendingAcceptance === false)).toHaveLength(3);
    expect(new Set(goals.map((e) => e.payload.studentId))).toEqual(new Set(s.menteeIds));
  });

  it('adds nothing when run again', async () => {
    const before = await outbox();
    const again = await seedDemoMentoring(h.dataSource, demo);
    expect(again).toMatchObject({ mentorshipsCreated: 0, meetingsLogged: 0, goalsSet: 0 });
    expect(await outbox()).toEqual(before);
  });
});

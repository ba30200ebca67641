import { randomUUID } from 'node:crypto';
import { AssessmentTaskAssigned, AssessmentTaskSubmitted } from '@medcollab/events';
import { evaluateAlertRules } from '../src/data/alerts';
import { envelope } from './support/events';
import { actor, agreements, codes, ok, type QualityHarness, startQuality } from './support/harness';
import { makeNetwork, placementHistory, prng } from './support/generate';
import { BLOCK, scenario, YEAR } from './support/scenario';

let h: QualityHarness;
const { ids, events } = scenario();
// A second, generated network of six surgery departments, for the peer benchmark.
const peers = makeNetwork('peers', { schools: 1, hospitals: 2, departmentsPer: 3, teachersPer: 1, blocks: 2 });

beforeAll(async () => {
  h = await startQuality();
  await h.deliver(events);
  const rand = prng(42);
  await h.deliver([
    ...agreements(peers, 'SURGERY'),
    ...Array.from({ length: 30 }, (_, n) => placementHistory(peers, n, rand, 'peers')).flat(),
  ]);
});
afterAll(() => h.stop());

const h1Officer = actor(ids.H1, 'QUALITY_OFFICER');
const CREATE = `mutation($input: CreateQualityAlertRuleInput!) { createQualityAlertRule(input: $input) { id metric threshold } }`;
const ALERTS = `query($i: ID!) { qualityAlerts(institutionId: $i) { value teacherId scope { kind id department { id } } period { kind id } rule { metric direction threshold } } }`;

describe('alert rules', () => {
  it('fire once per scope and period on released figures only, and publish QualityAlertRaised', async () => {
    const rule = (input: Record<string, unknown>) => h.call(h1Officer, CREATE, { input: { institutionId: ids.H1, ...input } });
    // T1 (mean 4) is hidden to protect T2: a teacher rule must not fire on either.
    ok(await rule({ metric: 'TEACHER_SCORE', scopeKind: 'TEACHER', periodKind: 'YEAR', direction: 'BELOW', threshold: 4.5 }));
    ok(await rule({ metric: 'TEACHER_SCORE', scopeKind: 'DEPARTMENT', periodKind: 'YEAR', direction: 'BELOW', threshold: 4 }));
    ok(await rule({ metric: 'TASKS_ON_TIME', scopeKind: 'DEPARTMENT', periodKind: 'BLOCK', direction: 'BELOW', threshold: 0.7 }));
    expect(
      codes(
        await h.call(actor(ids.H2, 'QUALITY_OFFICER'), CREATE, {
          input: {
            institutionId: ids.H1,
            metric: 'SITE_SCORE',
            scopeKind: 'DEPARTMENT',
            periodKind: 'YEAR',
            direction: 'BELOW',
            threshold: 3,
          },
        }),
      ),
    ).toEqual(['FORBIDDEN']);

    // A new rule is judged at once against the figures already there: both alerts are raised already.
    expect(await evaluateAlertRules(h.dataSource, h.settings.minEvaluators, new Date())).toBe(0);

    const alerts = ok(await h.call(h1Officer, ALERTS, { i: ids.H1 })).qualityAlerts;
    expect(
      alerts.map((a: { rule: { metric: string }; scope: { id: string }; value: number }) => [a.rule.metric, a.scope.id, a.value]).sort(),
    ).toEqual(
      [
        ['TASKS_ON_TIME', ids.D1, 0.5],
        ['TEACHER_SCORE', ids.D1, 3.333],
      ].sort(),
    );
    const published = await h.dataSource.query(
      `SELECT payload FROM outbox WHERE event_type = 'QualityAlertRaised' ORDER BY payload->>'metric'`,
    );
    expect(
      published.map((p: { payload: { metric: string; departmentId: string; periodId: string } }) => [
        p.payload.metric,
        p.payload.departmentId,
        p.payload.periodId,
      ]),
    ).toEqual([
      ['TASKS_ON_TIME', ids.D1, BLOCK],
      ['TEACHER_SCORE', ids.D1, YEAR],
    ]);
    expect(codes(await h.call(actor(ids.H2, 'QUALITY_OFFICER'), ALERTS, { i: ids.H1 }))).toEqual(['FORBIDDEN']);
  });
});

describe('alerts as rollups change', () => {
  it('fire in the transaction of the event that crosses the threshold, once per rule and period, with no polling', async () => {
    ok(
      await h.call(h1Officer, CREATE, {
        input: {
          institutionId: ids.H1,
          metric: 'TASKS_LATE',
          scopeKind: 'DEPARTMENT',
          periodKind: 'BLOCK',
          direction: 'ABOVE',
          threshold: 0.5,
        },
      }),
    );
    const late = async () =>
      (
        await h.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox WHERE event_type = 'QualityAlertRaised' AND payload->>'metric' = 'TASKS_LATE'`,
        )
      )[0].n as number;
    // D1: one late task of two (0.5) is not above 0.5.
    expect(await late()).toBe(0);
    // A third task of D1's, submitted late: 2 of 3.
    const taskId = randomUUID();
    const facts = {
      taskId,
      assessorId: ids.T1,
      role: 'SUPERVISOR_ASSESSMENT' as const,
      instrumentId: randomUUID(),
      instrumentKind: 'MINI_CEX' as const,
      instrumentTitle: 'Mini-CEX',
      purpose: 'FORMATIVE' as const,
      studentId: randomUUID(),
      schoolId: ids.S1,
      subjectStaffId: null,
      departmentId: ids.D1,
      placementId: randomUUID(),
      hospitalId: ids.H1,
      blockId: BLOCK,
      dueAt: '2026-10-15T00:00:00.000Z',
    };
    await h.deliver([
      envelope(AssessmentTaskAssigned, taskId, { ...facts, assignedAt: '2026-10-01T00:00:00.000Z' }, 1),
      envelope(AssessmentTaskSubmitted, taskId, { ...facts, submittedAt: '2026-10-25T00:00:00.000Z' }, 2),
    ]);
    expect(await late()).toBe(1);
    const alerts = ok(await h.call(h1Officer, ALERTS, { i: ids.H1 })).qualityAlerts;
    expect(alerts.find((a: { rule: { metric: string } }) => a.rule.metric === 'TASKS_LATE')).toMatchObject({
      value: 0.6666666666666666,
      scope: { kind: 'DEPARTMENT', id: ids.D1 },
      period: { kind: 'BLOCK', id: BLOCK },
    });
    // Redelivery and further changes in the same period raise nothing more.
    await h.deliver([envelope(AssessmentTaskSubmitted, taskId, { ...facts, submittedAt: '2026-10-25T00:00:00.000Z' }, 2)]);
    expect(await late()).toBe(1);
  });
});

describe('trends and the peer benchmark', () => {
  const TREND = `query($scope: QualityScopeInput!, $metric: QualityMetric!, $periods: [QualityPeriodInput!]!) {
    qualityTrend(scope: $scope, metric: $metric, periods: $periods) { period { kind id } figure { released count mean } } }`;

  it('follows a metric across fixed periods, each protected as in its report', async () => {
    const trend = ok(
      await h.call(h1Officer, TREND, {
        scope: { kind: 'DEPARTMENT', id: ids.D1 },
        metric: 'TEACHER_SCORE',
        periods: [
          { kind: 'TERM', id: `${YEAR}/T1` },
          { kind: 'TERM', id: `${YEAR}/T2` },
          { kind: 'YEAR', id: YEAR },
        ],
      }),
    ).qualityTrend;
    expect(trend.map((p: { figure: { count: number | null } }) => p.figure.count)).toEqual([9, 0, 9]);
  });

  const PEER = `query($reps: [_Any!]!, $metric: QualityMetric!, $period: QualityPeriodInput!) {
    _entities(representations: $reps) { ... on Department { peerPercentile(metric: $metric, period: $period) } } }`;

  it('places a department among its specialty as a percentile, and says nothing with too few peers', async () => {
    const dept = peers.departments[0]!;
    const officer = actor(dept.hospitalId, 'QUALITY_OFFICER');
    const year = { kind: 'YEAR', id: YEAR };
    const answer = ok(
      await h.call(officer, PEER, { reps: [{ __typename: 'Department', id: dept.id }], metric: 'TASKS_ON_TIME', period: year }),
    );
    const p = answer._entities[0].peerPercentile;
    expect(typeof p).toBe('number');
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(100);
    // D1's specialty (surgery) has the peers too, but evaluation scores need k evaluators per peer: too few qualify.
    const few = ok(
      await h.call(h1Officer, PEER, { reps: [{ __typename: 'Department', id: ids.D1 }], metric: 'TEACHER_SCORE', period: year }),
    );
    expect(few._entities[0].peerPercentile).toBeNull();
    expect(
      codes(await h.call(h1Officer, PEER, { reps: [{ __typename: 'Department', id: dept.id }], metric: 'TASKS_ON_TIME', period: year })),
    ).toEqual(['FORBIDDEN']);
  });
});

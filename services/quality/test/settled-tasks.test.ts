import { randomUUID } from 'node:crypto';
import { AssessmentTaskAssigned, AssessmentTaskCancelled, AssessmentTaskWithdrawn } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Tasks assessment withdraws (displaced by the burden cap) or cancels (no one could take them
 * over) are settled: counted as such and no longer open, whatever order their events arrive
 * in, and the same after a rebuild.
 */
const ids = { S: randomUUID(), H: randomUUID(), D: randomUUID(), T: randomUUID() };
const YEAR = { kind: 'YEAR', id: '2026-2027' };

const facts = (taskId: string) => ({
  taskId,
  assessorId: ids.T,
  role: 'SUPERVISOR_ASSESSMENT' as const,
  instrumentId: randomUUID(),
  instrumentKind: 'MINI_CEX' as const,
  instrumentTitle: 'Mini-CEX',
  purpose: 'FORMATIVE' as const,
  studentId: randomUUID(),
  schoolId: ids.S,
  subjectStaffId: null,
  departmentId: ids.D,
  placementId: randomUUID(),
  hospitalId: ids.H,
  blockId: null,
  dueAt: '2026-11-20T12:00:00.000Z',
});
const assigned = (taskId: string) =>
  envelope(AssessmentTaskAssigned, taskId, { ...facts(taskId), assignedAt: '2026-11-06T12:00:00.000Z' }, 1);

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const [t1, t2, t3] = [randomUUID(), randomUUID(), randomUUID()];
  const withdrawn = envelope(
    AssessmentTaskWithdrawn,
    t1,
    { ...facts(t1), withdrawnAt: '2026-11-06T12:00:01.000Z', reason: 'DISPLACED' },
    2,
  );
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [ids.D], agreementId),
    // The withdrawal before the assignment, and again.
    withdrawn,
    assigned(t1),
    withdrawn,
    assigned(t2),
    envelope(AssessmentTaskCancelled, t2, { ...facts(t2), cancelledAt: '2026-11-08T12:00:00.000Z', reason: 'Assessor left' }, 2),
    assigned(t3),
  ]);
});
afterAll(() => h.stop());

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) { rows { key figures { metric count } } } }`;
const METRICS = ['TASKS_ASSIGNED', 'TASKS_WITHDRAWN', 'TASKS_CANCELLED', 'TASKS_OPEN', 'TASKS_EXPIRED'];

async function counts(): Promise<[string, number][]> {
  const rows = ok(
    await h.call(actor(ids.H, 'QUALITY_OFFICER'), REPORT, { scope: { kind: 'DEPARTMENT', id: ids.D }, period: YEAR, metrics: METRICS }),
  ).qualityReport.rows as { key: string; figures: { metric: string; count: number }[] }[];
  return rows.find((r) => r.key === `DEPARTMENT:${ids.D}`)!.figures.map((f) => [f.metric, f.count]);
}

describe('withdrawn and cancelled tasks', () => {
  it('are settled: counted as withdrawn or cancelled, not open', async () => {
    expect(await counts()).toEqual([
      ['TASKS_ASSIGNED', 3],
      ['TASKS_WITHDRAWN', 1],
      ['TASKS_CANCELLED', 1],
      ['TASKS_OPEN', 1],
      ['TASKS_EXPIRED', 0],
    ]);
  });

  it('stay settled after a rebuild', async () => {
    const before = await counts();
    await rebuildRollups(h.dataSource, h.settings);
    expect(await counts()).toEqual(before);
  });
});

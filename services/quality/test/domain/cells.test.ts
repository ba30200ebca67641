import fc from 'fast-check';
import { accumulate, type CellDelta, diff, medianOf, meanOf } from '../../src/domain/cells';
import { type Contribution, evaluationContributions, type StoredEvent, taskContributions } from '../../src/domain/contributions';
import { academicYearOf, isPeriodId, periodsOf, termOf } from '../../src/domain/periods';

const SETTINGS = { academicYearStartMonth: 9 };
const key = (item: string) =>
  ({
    metric: 'SITE_SCORE',
    school: '*',
    scopeKind: 'NETWORK',
    scopeId: 'network',
    periodKind: 'YEAR',
    periodId: '2026-2027',
    item,
    parent: null,
  }) as const;
const c = (item: string, value: number | null, evaluator: string | null = null): Contribution => ({ key: key(item), value, evaluator });
const only = (m: Map<string, CellDelta>) => [...m.values()];

describe('periods', () => {
  it('places dates in academic years and terms from the start month', () => {
    expect(academicYearOf('2026-09-01', 9)).toBe('2026-2027');
    expect(academicYearOf('2027-08-31', 9)).toBe('2026-2027');
    expect(termOf('2027-02-28', 9)).toBe('2026-2027/T1');
    expect(termOf('2027-03-01', 9)).toBe('2026-2027/T2');
    expect(periodsOf('2026-10-01', null, 9).map((p) => p.kind)).toEqual(['TERM', 'YEAR']);
    expect(isPeriodId('YEAR', '2026-2027')).toBe(true);
    expect(isPeriodId('YEAR', '2026-2028')).toBe(false);
    expect(isPeriodId('TERM', '2026-2027/T3')).toBe(false);
  });
});

describe('cell arithmetic', () => {
  it('counts, sums (exactly, in thousandths), distributes and counts each evaluator', () => {
    const [d] = only(accumulate(new Map(), [c('', 4, 'a'), c('', 5, 'a'), c('', 2.5, 'b')], 1));
    expect(d).toMatchObject({ n: 3, totalMilli: 11_500, histogram: { '4': 1, '5': 1, '2.5': 1 }, evaluators: { a: 2, b: 1 } });
    expect(meanOf(d!.n, d!.totalMilli)).toBeCloseTo(3.833, 3);
  });

  it('counts a weighted contribution (a department’s seats) as that many, and retracts it whole', () => {
    const seats: Contribution = { ...c('', null, null), weight: 4 };
    expect(only(accumulate(new Map(), [seats, c('', null, null)], 1))[0]).toMatchObject({ n: 5, totalMilli: 0, histogram: {} });
    expect(diff([seats], [{ ...seats, weight: 3 }])[0]).toMatchObject({ n: -1 });
    expect(diff([seats], [seats])).toEqual([]);
  });

  it('retracting what was added leaves nothing, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('', 'x', 'y'), fc.option(fc.integer({ min: 1, max: 5 })), fc.option(fc.constantFrom('a', 'b'))), {
          maxLength: 20,
        }),
        (raw) => {
          const cs = raw.map(([i, v, e]) => c(i, v, e));
          expect(diff(cs, [...cs].reverse())).toEqual([]);
        },
      ),
    );
  });

  it('takes the median of a distribution', () => {
    expect(medianOf({ '1': 2, '3': 1, '9': 1 })).toBe(1);
    expect(medianOf({ '2': 1, '7': 2 })).toBe(7);
    expect(medianOf({})).toBeNull();
  });
});

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const taskEvent = (type: string, sequence: number, extra: Record<string, unknown>): StoredEvent => ({
  id: uuid(sequence),
  type,
  sequence,
  occurredAt: '2026-10-01T00:00:00Z',
  payload: {
    taskId: uuid(99),
    assessorId: uuid(7),
    role: 'SUPERVISOR_ASSESSMENT',
    schoolId: uuid(1),
    hospitalId: uuid(2),
    departmentId: uuid(3),
    blockId: uuid(4),
    dueAt: '2026-10-15T00:00:00Z',
    ...extra,
  },
});

describe('task contributions', () => {
  const assigned = taskEvent('AssessmentTaskAssigned', 1, { assignedAt: '2026-10-01T00:00:00Z' });
  const submitted = taskEvent('AssessmentTaskSubmitted', 2, { submittedAt: '2026-10-04T12:00:00Z' });
  const metrics = (cs: Contribution[]) => [...new Set(cs.map((x) => x.key.metric))].sort();

  it('counts an on-time submission with its days to submit, in every scope and period', () => {
    const cs = taskContributions([assigned, submitted], SETTINGS);
    expect(metrics(cs)).toEqual(['DAYS_TO_SUBMIT', 'ESCALATIONS_PER_TASK', 'REMINDERS_PER_TASK', 'TASKS_ASSIGNED', 'TASKS_ON_TIME']);
    // 2 cohorts (all schools, the school) × 5 scopes (network, hospital, department, teacher in department, staff) × 3 periods.
    expect(cs.filter((x) => x.key.metric === 'TASKS_ASSIGNED')).toHaveLength(30);
    expect(cs.find((x) => x.key.metric === 'DAYS_TO_SUBMIT')?.value).toBe(3);
  });

  it('depends on the events, not on the order they arrived in', () => {
    expect(taskContributions([submitted, assigned], SETTINGS)).toEqual(taskContributions([assigned, submitted], SETTINGS));
  });

  it('counts a late submission as late', () => {
    const late = taskEvent('AssessmentTaskSubmitted', 2, { submittedAt: '2026-10-20T00:00:00Z' });
    expect(metrics(taskContributions([assigned, late], SETTINGS))).toEqual([
      'DAYS_TO_SUBMIT',
      'ESCALATIONS_PER_TASK',
      'REMINDERS_PER_TASK',
      'TASKS_ASSIGNED',
      'TASKS_LATE',
    ]);
  });

  it("counts a completed task's reminders and escalations, each step once, in any order; an open task's not at all", () => {
    const nudge = (n: number, kind: string): StoredEvent => ({
      id: uuid(200 + n),
      type: 'AssessmentReminderSent',
      sequence: 1,
      occurredAt: '2026-10-16T00:00:00Z',
      payload: { stepId: uuid(300 + n), taskId: uuid(99), kind, stepKey: 'OVERDUE', sentAt: '2026-10-16T00:00:00Z' },
    });
    const nudges = [nudge(1, 'REMINDER'), nudge(2, 'REMINDER'), nudge(3, 'ESCALATION')];
    const valueOf = (cs: Contribution[], metric: string) => cs.find((x) => x.key.metric === metric && x.key.scopeKind === 'NETWORK')?.value;
    // A reminder first, then the task's own events, and a redelivered step (another event id, the same step).
    const cs = taskContributions([nudges[0]!, assigned, ...nudges.slice(1), submitted, { ...nudges[1]!, id: uuid(250) }], SETTINGS);
    expect(valueOf(cs, 'REMINDERS_PER_TASK')).toBe(2);
    expect(valueOf(cs, 'ESCALATIONS_PER_TASK')).toBe(1);
    // The task's own facts still come from its own events, not from the later reminders.
    expect(metrics(cs)).toContain('TASKS_ON_TIME');
    expect(metrics(taskContributions([assigned, ...nudges], SETTINGS))).toEqual(['TASKS_ASSIGNED', 'TASKS_OPEN']);
    expect(taskContributions(nudges, SETTINGS)).toEqual([]);
  });
});

describe('evaluation contributions', () => {
  it('counts each rated item and the evaluation as a whole, under the pseudonym, never under a teacher for a site', () => {
    const e: StoredEvent = {
      id: uuid(1),
      type: 'EvaluationSubmitted',
      sequence: 1,
      occurredAt: '2026-10-01T00:00:00Z',
      payload: {
        kind: 'SITE_EVALUATION',
        evaluatorPseudonym: 'f'.repeat(64),
        schoolId: uuid(1),
        hospitalId: uuid(2),
        departmentId: uuid(3),
        teacherId: null,
        blockId: null,
        submittedAt: '2026-10-01T00:00:00Z',
        itemScores: [
          { itemKey: 'a', value: 4 },
          { itemKey: 'b', value: 5 },
        ],
      },
    };
    const cs = evaluationContributions([e], SETTINGS);
    expect(new Set(cs.map((x) => x.key.scopeKind))).toEqual(new Set(['NETWORK', 'INSTITUTION', 'DEPARTMENT']));
    expect(cs.find((x) => x.key.item === '')?.value).toBe(4.5);
    expect(cs.every((x) => x.evaluator === 'f'.repeat(64))).toBe(true);
  });
});

import { checkGoalEditable, checkGoalStatusChange, gapGoalTitle } from '../../src/domain/goal-rules';
import {
  checkAttendees,
  checkCanAddMentee,
  checkInitialMentees,
  checkMeetingDate,
  focusForTrack,
  nextStatus,
} from '../../src/domain/mentorship-rules';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('mentorship rules', () => {
  it('moves ACTIVE ⇄ PAUSED and to ENDED, which is final', () => {
    expect(nextStatus('ACTIVE', 'PAUSE')).toBe('PAUSED');
    expect(nextStatus('PAUSED', 'RESUME')).toBe('ACTIVE');
    expect(nextStatus('ACTIVE', 'END')).toBe('ENDED');
    expect(nextStatus('PAUSED', 'END')).toBe('ENDED');
    expect(code(() => nextStatus('ACTIVE', 'RESUME'))).toBe('CONFLICT');
    expect(code(() => nextStatus('PAUSED', 'PAUSE'))).toBe('CONFLICT');
    expect(code(() => nextStatus('ENDED', 'RESUME'))).toBe('CONFLICT');
    expect(code(() => nextStatus('ENDED', 'END'))).toBe('CONFLICT');
  });

  it('holds one mentee one-on-one and up to the limit in a group', () => {
    expect(code(() => checkInitialMentees({ format: 'ONE_ON_ONE', groupSizeLimit: null }, 1))).toBeUndefined();
    expect(code(() => checkInitialMentees({ format: 'ONE_ON_ONE', groupSizeLimit: null }, 2))).toBe('BAD_USER_INPUT');
    expect(code(() => checkInitialMentees({ format: 'SMALL_GROUP', groupSizeLimit: 3 }, 3))).toBeUndefined();
    expect(code(() => checkInitialMentees({ format: 'SMALL_GROUP', groupSizeLimit: 3 }, 4))).toBe('BAD_USER_INPUT');
  });

  it('adds mentees only to active groups with room', () => {
    const group = { format: 'SMALL_GROUP' as const, groupSizeLimit: 3, status: 'ACTIVE' as const };
    expect(code(() => checkCanAddMentee(group, 2))).toBeUndefined();
    expect(code(() => checkCanAddMentee(group, 3))).toBe('CONFLICT');
    expect(code(() => checkCanAddMentee({ ...group, status: 'PAUSED' }, 1))).toBe('CONFLICT');
    expect(code(() => checkCanAddMentee({ format: 'ONE_ON_ONE', groupSizeLimit: null, status: 'ACTIVE' }, 1))).toBe('CONFLICT');
  });

  it('accepts only the mentor and the mentees as attendees', () => {
    expect(code(() => checkAttendees(['m', 's1'], 'm', ['s1', 's2']))).toBeUndefined();
    expect(code(() => checkAttendees(['s2', 'x'], 'm', ['s1', 's2']))).toBe('BAD_USER_INPUT');
  });

  it('logs meetings within the mentorship, not in the future (one day of slack for time zones)', () => {
    expect(code(() => checkMeetingDate('2026-03-10', '2026-03-01', '2026-03-10'))).toBeUndefined();
    expect(code(() => checkMeetingDate('2026-03-11', '2026-03-01', '2026-03-10'))).toBeUndefined();
    expect(code(() => checkMeetingDate('2026-03-12', '2026-03-01', '2026-03-10'))).toBe('BAD_USER_INPUT');
    expect(code(() => checkMeetingDate('2026-02-28', '2026-03-01', '2026-03-10'))).toBeUndefined();
    expect(code(() => checkMeetingDate('2026-02-27', '2026-03-01', '2026-03-10'))).toBe('BAD_USER_INPUT');
  });

  it('derives a focus from the track', () => {
    expect(focusForTrack('RESEARCH')).toBe('RESEARCH');
    expect(focusForTrack('CLINICAL_PRACTICE')).toBe('CLINICAL_PRACTICE');
    expect(focusForTrack('SPECIALTY')).toBe('CAREER');
    expect(focusForTrack(null)).toBe('CAREER');
  });
});

describe('goal rules', () => {
  const evidence = [{ kind: 'SUBMISSION' as const, id: 'x' }];
  const goal = (status: 'OPEN' | 'IN_PROGRESS' | 'ACHIEVED' | 'DROPPED', pendingAcceptance = false) => ({
    status,
    evidence: [],
    pendingAcceptance,
  });

  it('moves forward, needs evidence to be achieved, and stops at ACHIEVED or DROPPED', () => {
    expect(code(() => checkGoalStatusChange(goal('OPEN'), 'IN_PROGRESS', []))).toBeUndefined();
    expect(code(() => checkGoalStatusChange(goal('IN_PROGRESS'), 'ACHIEVED', evidence))).toBeUndefined();
    expect(code(() => checkGoalStatusChange(goal('IN_PROGRESS'), 'ACHIEVED', []))).toBe('BAD_USER_INPUT');
    expect(code(() => checkGoalStatusChange(goal('ACHIEVED'), 'OPEN', evidence))).toBe('CONFLICT');
    expect(code(() => checkGoalStatusChange(goal('DROPPED'), 'OPEN', []))).toBe('CONFLICT');
    expect(code(() => checkGoalEditable(goal('ACHIEVED')))).toBe('CONFLICT');
    expect(code(() => checkGoalEditable(goal('IN_PROGRESS')))).toBeUndefined();
  });

  it('lets a pending proposal only be declined until the student accepts it', () => {
    expect(code(() => checkGoalStatusChange(goal('OPEN', true), 'IN_PROGRESS', []))).toBe('CONFLICT');
    expect(code(() => checkGoalStatusChange(goal('OPEN', true), 'DROPPED', []))).toBeUndefined();
  });

  it('titles a gap goal with its levels', () => {
    expect(gapGoalTitle(4, 2)).toBe('Raise competency level from 2 to 4');
    expect(gapGoalTitle(3.5, 2.25)).toBe('Raise competency level from 2.3 to 3.5');
  });
});

import { dailyDigest, type DigestNotice, digestSlot } from '../../src/domain/digest';
import { placementReminderAt } from '../../src/domain/placement-plan';
import { DEFAULT_POLICY } from '../../src/domain/policy';

const paris = { timeZone: 'Europe/Paris', ...DEFAULT_POLICY };

describe('digestSlot', () => {
  it('is 08:00 local the same morning when the reminder falls due before it, else the next morning', () => {
    // Wednesday 16 Dec 2026, 07:30 Paris (06:30Z) → 08:00 Paris the same day.
    expect(digestSlot(new Date('2026-12-16T06:30:00Z'), paris).toISOString()).toBe('2026-12-16T07:00:00.000Z');
    // Wednesday 12:00 Paris → Thursday 08:00 Paris.
    expect(digestSlot(new Date('2026-12-16T11:00:00Z'), paris).toISOString()).toBe('2026-12-17T07:00:00.000Z');
  });

  it('skips weekends when the policy does, and never comes before quiet hours end', () => {
    // Friday 18 Dec 12:00 Paris → Monday 21 Dec 08:00 Paris.
    expect(digestSlot(new Date('2026-12-18T11:00:00Z'), paris).toISOString()).toBe('2026-12-21T07:00:00.000Z');
    expect(digestSlot(new Date('2026-12-18T11:00:00Z'), { ...paris, skipWeekends: false }).toISOString()).toBe('2026-12-19T07:00:00.000Z');
    expect(digestSlot(new Date('2026-12-16T11:00:00Z'), { ...paris, quietUntilHour: 9 }).toISOString()).toBe('2026-12-17T08:00:00.000Z');
  });

  it('follows the local clock across a DST change', () => {
    // Saturday 28 Mar 2026 noon Paris (winter time); Monday 30 Mar 08:00 is summer time (06:00Z).
    expect(digestSlot(new Date('2026-03-28T11:00:00Z'), paris).toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });
});

describe('dailyDigest', () => {
  it('lists overdue tasks first, names the assessor only on tasks that are not the reader’s own, in both languages', () => {
    const lines = [
      {
        instrumentTitle: 'DOPS',
        studentName: 'Lina Martin',
        departmentName: 'Cardiology',
        assessorName: null,
        dueAt: new Date('2026-12-20T10:00:00Z'),
        overdue: false,
      },
      {
        instrumentTitle: 'Mini-CEX',
        studentName: 'Tom Blanc',
        departmentName: null,
        assessorName: 'Wei Zhang',
        dueAt: new Date('2026-12-10T10:00:00Z'),
        overdue: true,
      },
    ];
    const en = dailyDigest(lines, 'Europe/Paris');
    expect(en.kind).toBe('DAILY_DIGEST');
    expect(en.title).toBe('Your daily digest: 2 assessment tasks to complete (1 overdue)');
    expect(en.body.split('\n')).toEqual([
      '- OVERDUE Mini-CEX for Tom Blanc, due 10 Dec 2026, 11:00, assessor Wei Zhang',
      '- DOPS for Lina Martin (Cardiology), due 20 Dec 2026, 11:00',
    ]);
    const zh = dailyDigest(lines, 'Asia/Shanghai', 'zh-CN');
    expect(zh.title).toContain('2 项评估任务待完成（1 项已逾期）');
    expect(zh.body).toContain('Lina Martin（Cardiology） 的 DOPS');
  });
});

describe('dailyDigest with other reminders', () => {
  const notices: DigestNotice[] = [
    {
      kind: 'SWAP_AWAITING_ANSWER',
      audience: 'COORDINATORS',
      requesterName: 'Noé Garnier',
      departmentName: 'Cardiology',
      startsOn: '2027-01-11',
      peerName: null,
      peerDepartmentName: null,
      toDepartmentName: 'Neurology',
    },
    {
      kind: 'PLACEMENT_STARTING',
      audience: 'SUPERVISOR',
      studentName: 'Lina Martin',
      supervisorName: null,
      departmentName: 'Cardiology',
      hospitalName: 'Shanghai General',
      startsOn: '2026-12-17',
      endsOn: '2027-01-14',
      blockName: null,
    },
  ];
  const task = {
    instrumentTitle: 'DOPS',
    studentName: 'Lina Martin',
    departmentName: 'Cardiology',
    assessorName: null,
    dueAt: new Date('2026-12-20T10:00:00Z'),
    overdue: false,
  };

  it('lists them after the tasks, naming the students, departments and block, and counts them in the title', () => {
    const en = dailyDigest([task], 'Europe/Paris', 'en', notices);
    expect(en.title).toBe('Your daily digest: 1 assessment task to complete and 2 other reminders');
    expect(en.body.split('\n')).toEqual([
      '- DOPS for Lina Martin (Cardiology), due 20 Dec 2026, 11:00',
      "- SWAP AWAITING YOUR DECISION: Noé Garnier's Cardiology placement (from 2027-01-11) moved to Neurology",
      '- PLACEMENT STARTING: Lina Martin in Cardiology at Shanghai General, block 2026-12-17 to 2027-01-14',
    ]);
    const named = dailyDigest([], 'Europe/Paris', 'en', [
      { ...(notices[1] as Extract<DigestNotice, { kind: 'PLACEMENT_STARTING' }>), blockName: 'Block 3' },
    ]);
    expect(named.title).toBe('Your daily digest: 1 reminder');
    expect(named.body).toBe('- PLACEMENT STARTING: Lina Martin in Cardiology at Shanghai General, Block 3 (2026-12-17 to 2027-01-14)');
    const zh = dailyDigest([], 'Asia/Shanghai', 'zh-CN', notices);
    expect(zh.title).toBe('今日摘要：2 项其他提醒');
    expect(zh.body).toContain('交换请求待审批：Noé Garnier 将 Cardiology（2027-01-11 开始）的轮转调至 Neurology');
  });
});

describe('placementReminderAt', () => {
  it('is 09:00 local the day before the start', () => {
    expect(placementReminderAt('2026-12-17', paris, new Date('2026-12-01T00:00:00Z'))?.toISOString()).toBe('2026-12-16T08:00:00.000Z');
  });

  it('announces a Monday start on the Friday before when weekends are quiet', () => {
    expect(placementReminderAt('2026-12-21', paris, new Date('2026-12-01T00:00:00Z'))?.toISOString()).toBe('2026-12-18T08:00:00.000Z');
    expect(placementReminderAt('2026-12-21', { ...paris, skipWeekends: false }, new Date('2026-12-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-12-20T08:00:00.000Z',
    );
  });

  it('confirmed the afternoon before: told at once; confirmed too late for an allowed time before the start: not at all', () => {
    const afternoon = new Date('2026-12-16T14:00:00Z'); // Wednesday 15:00 Paris, start Thursday
    expect(placementReminderAt('2026-12-17', paris, afternoon)?.toISOString()).toBe(afternoon.toISOString());
    expect(placementReminderAt('2026-12-17', paris, new Date('2026-12-16T21:30:00Z'))).toBeNull();
    expect(placementReminderAt('2026-12-17', paris, new Date('2026-12-17T10:00:00Z'))).toBeNull();
  });
});

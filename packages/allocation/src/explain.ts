import { type Instance, type Site } from './instance';
import { placedRotations } from './rotation-runs';
import { type AssignmentExplanation, type MissedChoice, type StudentExplanation } from './types';

/**
 * Per-student explanations in plain English, built from the solution and the input only. For
 * every block where the student did not get a rank-1 site, the better-ranked sites of that block
 * are listed with why they were not given: closed to the student (bar, prerequisite, school
 * reservation, requirement), full (with who took the seats: students who ranked them higher, as
 * high or lower, or who drew earlier in the lottery), or open but not compatible with the rest
 * of the student's schedule.
 */

interface Pick {
  student: number;
  site: number;
}

export type ExplainMode = { kind: 'OPTIMAL' } | { kind: 'LOTTERY'; turn: Int32Array; seatsAtTurn: Map<number, number>[]; students: number };

const MAX_MISSED = 3;

export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const siteName = (site: Site) => `${site.departmentName} (${site.hospitalName})`;

function choice(inst: Instance, rank: number): string {
  return rank >= inst.unrankedRank ? 'a site you did not rank' : `your ${ordinal(rank)} choice`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function missedText(inst: Instance, student: number, site: Site, m: MissedChoice, mode: ExplainMode): string {
  const what = `${siteName(site)} (your ${ordinal(m.rank)} choice)`;
  switch (m.reason) {
    case 'BARRED': {
      const note = inst.barNote(student, site);
      return `${what} is closed to you${note ? ` (${note})` : ''}.`;
    }
    case 'UNAVAILABLE': {
      const note = inst.unavailableNote(student, site.block);
      return `${what} falls in a block you are not available${note ? ` (${note})` : ''}.`;
    }
    case 'PREREQUISITE':
      return `${what} is open to you only from ${inst.blocks[inst.notBefore(student, site.specialty)]!.label} on, once its prerequisite is done.`;
    case 'OTHER_SCHOOL':
      return `${what} is reserved for another school's students.`;
    case 'SPECIALTY_NOT_ALLOWED':
      return `${what} is in ${site.specialty}, which your requirement does not allow.`;
    case 'PAIR':
      return `${what} could not take you together with the students you are placed with.`;
    case 'SCHEDULE':
      if (inst.students[student]!.duration[site.spec]! > 1)
        return `${what} had a free seat in this block, but a rotation of ${site.specialty} lasts ${inst.students[student]!.duration[site.spec]} consecutive blocks at one department, and the blocks around it had no seat for you there or were needed for the rest of your requirement.`;
      return `${what} had a free seat, but taking it in this block would have broken your requirement (its specialties, or how often one department may repeat) or pushed another of your blocks to a worse choice.`;
    case 'STAFFING': {
      const entry = inst.staffed[inst.staffedOf[site.index]!]!;
      return `${what} needs at least ${entry.min} students in a block or none, and not enough could be placed there together, so it stays empty.`;
    }
    case 'HOSPITAL_LIMIT':
      return `${what} had a free seat, but your other blocks already reach the limit of ${plural(inst.hospitalMax[site.hospital]!, 'block')} per student at ${site.hospitalName}.`;
    case 'FULL': {
      if (m.seats === 0) return `${what} offers no seats in this block.`;
      if (mode.kind === 'LOTTERY') {
        return `${what} was full when your turn came (you drew position ${mode.turn[student]! + 1} of ${mode.students}): capacity at ${site.departmentName} was binding, its ${plural(m.seats, 'seat')} went to students who drew earlier.`;
      }
      const groups = [
        [m.rankedHigher, 'higher'],
        [m.rankedSame, 'as high'],
        [m.rankedLower, 'lower'],
      ].filter(([n]) => (n as number) > 0) as [number, string][];
      const n = m.rankedHigher + m.rankedSame + m.rankedLower;
      const who =
        groups.length === 1
          ? `${plural(n, 'student')} who ranked it ${groups[0]![1]}`
          : `${n} students: ${groups
              .map(([k, how]) => `${k} who ranked it ${how}`)
              .join(', ')
              .replace(/, ([^,]*)$/, ' and $1')}`;
      const tail = m.rankedLower
        ? ' Giving you one of those seats would have left another student worse off than this allocation allows (it protects the worst-off student first, then the total).'
        : '';
      return `${what} was full: capacity at ${site.departmentName} was binding, its ${plural(m.seats, 'seat')} went to ${who}.${tail}`;
    }
  }
}

export function explainAll(inst: Instance, picks: readonly Pick[], unplaced: Map<number, string>, mode: ExplainMode): StudentExplanation[] {
  const occupants: number[][] = inst.sites.map(() => []);
  const byStudent: Pick[][] = inst.students.map(() => []);
  for (const p of picks) {
    occupants[p.site]!.push(p.student);
    byStudent[p.student]!.push(p);
  }
  return inst.students.map((st) => {
    const s = st.index;
    const why = unplaced.get(s);
    if (why !== undefined) {
      return { studentId: st.id, text: `${st.name} could not be placed: ${why}.`, assignments: [] };
    }
    const pinned = new Set(inst.pinsByStudent[s]!.map((p) => p.site));
    const mine = byStudent[s]!.map((p) => ({ site: inst.sites[p.site]!, rank: inst.rankOf(s, inst.sites[p.site]!) })).sort(
      (a, b) => a.site.block - b.site.block,
    );
    const atHospital = (h: number) => mine.filter((m) => m.site.hospital === h).length;
    // Rotations longer than one block, named once per block they span.
    const rotations = st.longRotations.length ? placedRotations(inst, byStudent[s]!) : [];
    const rotationOf = new Map(rotations.flatMap((r) => r.blocks.map((b) => [b, r] as const)));
    const assignments: AssignmentExplanation[] = mine.map(({ site, rank }) => {
      const block = inst.blocks[site.block]!;
      const r = rotationOf.get(site.block);
      const part = r ? ` Part of one rotation: ${r.label}.` : '';
      const head = `${block.label}: ${siteName(site)}, ${choice(inst, rank)}.${part}`;
      const extra = r ? { rotation: r.label } : {};
      if (pinned.has(site.index))
        return {
          blockId: block.id,
          departmentId: site.departmentId,
          rank,
          ...extra,
          missed: [],
          text: `${head} This placement was fixed by hand.`,
        };
      if (rank === 1) return { blockId: block.id, departmentId: site.departmentId, rank, ...extra, missed: [], text: head };
      const better = inst.sitesByBlock[site.block]!.filter((x) => x.index !== site.index && inst.rankOf(s, x) < rank)
        .map((x) => ({ x, r: inst.rankOf(s, x) }))
        .sort((a, b) => a.r - b.r || a.x.index - b.x.index)
        .slice(0, MAX_MISSED);
      const missed: MissedChoice[] = better.map(({ x, r }) => {
        const counts = { rankedHigher: 0, rankedSame: 0, rankedLower: 0 };
        for (const o of occupants[x.index]!) {
          const theirs = inst.rankOf(o, x);
          if (theirs < r) counts.rankedHigher++;
          else if (theirs === r) counts.rankedSame++;
          else counts.rankedLower++;
        }
        const closed = inst.ineligibility(s, x);
        let reason: MissedChoice['reason'];
        if (closed) reason = closed;
        else if (mode.kind === 'LOTTERY') {
          const open = mode.seatsAtTurn[s]!.get(x.index) ?? x.seats;
          const size = inst.groupOf[s]! === -1 ? 1 : inst.groups[inst.groupOf[s]!]!.length;
          reason = x.seats === 0 || open < size ? 'FULL' : size > 1 ? 'PAIR' : 'SCHEDULE';
        } else if (x.seats === 0 || occupants[x.index]!.length >= x.seats) reason = 'FULL';
        else reason = inst.groupOf[s]! !== -1 ? 'PAIR' : 'SCHEDULE';
        // An empty department that needs more students than could be placed there together.
        if ((reason === 'SCHEDULE' || reason === 'PAIR') && occupants[x.index]!.length === 0 && inst.staffedOf[x.index] !== -1)
          reason = 'STAFFING';
        // An open seat at a hospital where the student already spends its limit of blocks.
        if (reason === 'SCHEDULE' && x.hospital !== site.hospital && atHospital(x.hospital) >= inst.hospitalMax[x.hospital]!)
          reason = 'HOSPITAL_LIMIT';
        const earlier = mode.kind === 'LOTTERY' ? occupants[x.index]!.filter((o) => mode.turn[o]! < mode.turn[s]!).length : undefined;
        return {
          rank: r,
          departmentId: x.departmentId,
          reason,
          seats: x.seats,
          ...counts,
          ...(earlier === undefined ? {} : { earlierInLottery: earlier }),
        };
      });
      const lines = missed.map((m, i) => missedText(inst, s, better[i]!.x, m, mode));
      return { blockId: block.id, departmentId: site.departmentId, rank, ...extra, missed, text: [head, ...lines].join(' ') };
    });
    const counts = new Map<number, number>();
    for (const a of assignments) counts.set(a.rank, (counts.get(a.rank) ?? 0) + 1);
    const summary = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([r, n]) => `${n} at ${r >= inst.unrankedRank ? 'sites you did not rank' : `your ${ordinal(r)} choice`}`)
      .join(', ');
    const head = assignments.length
      ? `${st.name} is placed in ${plural(assignments.length, 'block')}: ${summary}.`
      : `${st.name} has no blocks to fill.`;
    const detail = assignments.filter((a) => a.rank > 1 || a.text.includes('fixed by hand')).map((a) => a.text);
    const spans = rotations.map((r) => `Rotation: ${r.label}.`);
    return { studentId: st.id, text: [head, ...spans, ...detail].join('\n'), assignments };
  });
}

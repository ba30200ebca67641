import { type AllocationInput, type MissedReason } from './types';

/**
 * The snapshot turned into arrays and indexes the mechanisms work on: students, blocks and sites
 * by position, each student's eligible sites with their ranks, pair groups and pins. Built once
 * per run from the canonical input, so every mechanism sees the same numbering.
 */

export interface Site {
  index: number;
  departmentId: string;
  hospitalId: string;
  specialty: string;
  spec: number;
  block: number;
  seats: number;
  schoolId: string | null;
  departmentName: string;
  hospitalName: string;
  /** Department + school reservation: the same seats across blocks (used by the decomposition). */
  family: number;
  /** Index of the department in `Instance.departments`. */
  department: number;
  /** Index of the hospital in `Instance.hospitals`. */
  hospital: number;
}

export interface Student {
  index: number;
  id: string;
  schoolId: string;
  priority: number;
  name: string;
  blocksToFill: number;
  /** Per specialty index: minimum and maximum number of blocks. */
  min: Int32Array;
  max: Int32Array;
  /** Specialties named in the requirement (the others are electives). */
  listed: Uint8Array;
  /** Per specialty index: blocks one rotation lasts (1 unless the requirement says more). */
  duration: Int32Array;
  /** Specialty indexes whose rotations last more than one block and that the student may take. */
  longRotations: number[];
  /**
   * Most blocks at any one department (blocksToFill when the requirement sets no cap), for
   * one-block specialties; see `Instance.departmentCap` for the cap of a given department.
   */
  departmentMax: number;
  /** "before" specialty index → "after" specialty index pairs that apply to this student. */
  precedences: [number, number][];
  /** Requirement groups: specialty indexes with the blocks the group needs. */
  groups: { specs: number[]; min: number; max: number; label: string }[];
}

export interface Candidate {
  site: number;
  rank: number;
}

export interface Pin {
  student: number;
  departmentId: string;
  block: number;
  /** The site the pin resolves to for this student's school, or -1 when there is none. */
  site: number;
}

/** A department in one block that needs at least `min` students, or none. */
export interface Staffed {
  department: number;
  block: number;
  min: number;
  /** Its sites (one per school reservation) and their seats in total. */
  sites: number[];
  seats: number;
  /** Why it stays empty whatever the allocation (too few seats or students), or null. */
  closed: string | null;
}

export interface Instance {
  input: AllocationInput;
  blocks: { id: string; label: string }[];
  /**
   * True when blocks b .. b + d - 1 exist and follow each other without a calendar break
   * (`BlockInput.gapBefore`): a rotation of d blocks may start in block b.
   */
  spans(b: number, d: number): boolean;
  specialties: string[];
  students: Student[];
  sites: Site[];
  sitesByBlock: Site[][];
  families: { departmentId: string; schoolId: string | null; sites: number[] }[];
  /** Department ids, in order of first site. */
  departments: string[];
  /** Hospitals with sites, in order of first site, with their names. */
  hospitals: { id: string; name: string }[];
  /**
   * Per hospital index, the most blocks one student may spend there (`hospitalLimits`), or
   * the number of blocks when it sets no limit.
   */
  hospitalMax: Int32Array;
  /** Departments and blocks with a minimum staffing (2 or more students, or none). */
  staffed: Staffed[];
  /** Per site, its index in `staffed`, or -1. */
  staffedOf: Int32Array;
  /** Eligible sites with at least one seat, per student, in site order. */
  candidates: Candidate[][];
  unrankedRank: number;
  /** Pair groups (two or more students), members in index order; groupOf[s] = -1 when alone. */
  groups: number[][];
  groupOf: Int32Array;
  pins: Pin[];
  pinsByStudent: Pin[][];
  studentIndex: Map<string, number>;
  blockIndex: Map<string, number>;
  /** available[s][b] = 1 when student s may be placed in block b at all. */
  available: Uint8Array[];
  /** The reason given with the student's unavailability in a block, if any. */
  unavailableNote(student: number, block: number): string | undefined;
  /** Why `site` is closed to `student`, or null when eligible. */
  ineligibility(student: number, site: Site): MissedReason | null;
  /** The reason given with the bar that closes `site` to `student`, if any. */
  barNote(student: number, site: Site): string | undefined;
  /** First block index from which `student` may take `specialty` (0 when unrestricted). */
  notBefore(student: number, specialty: string): number;
  rankOf(student: number, site: Site): number;
  /**
   * Most blocks `student` may spend at `department` (index): `departmentMaxBlocks` counts
   * rotations, so a department whose specialty lasts d blocks for the student takes d times it
   * (with a cap of 1, one 2-block surgery rotation, not two).
   */
  departmentCap(student: number, department: number): number;
}

interface RankLine {
  rank: number;
  block: number;
}

function unionFind(n: number) {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  return {
    find,
    union(a: number, b: number) {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    },
  };
}

/** Expects a validated, canonical input (see parseAllocationInput and canonicalizeInput). */
export function buildInstance(input: AllocationInput): Instance {
  const blockIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const blocks = input.blocks.map((b, i) => ({ id: b.id, label: b.label ?? `block ${i + 1}` }));
  const specSet = new Set<string>();
  for (const x of input.sites) specSet.add(x.specialty);
  for (const st of input.students) for (const r of st.requirement.specialties) specSet.add(r.specialty);
  for (const st of input.students) for (const g of st.requirement.groups ?? []) for (const k of g.specialties) specSet.add(k);
  for (const p of input.precedences ?? []) for (const k of [p.before, p.after]) specSet.add(k);
  const specialties = [...specSet].sort();
  const specIndex = new Map(specialties.map((s, i) => [s, i]));

  const departmentIndex = new Map<string, number>();
  const departments: string[] = [];
  const hospitalIndex = new Map<string, number>();
  const hospitals: Instance['hospitals'] = [];
  const familyIndex = new Map<string, number>();
  const families: Instance['families'] = [];
  const sites: Site[] = input.sites.map((x, index) => {
    const key = `${x.departmentId}\u0000${x.schoolId ?? ''}`;
    let family = familyIndex.get(key);
    if (family === undefined) {
      family = families.length;
      familyIndex.set(key, family);
      families.push({ departmentId: x.departmentId, schoolId: x.schoolId ?? null, sites: [] });
    }
    families[family]!.sites.push(index);
    let department = departmentIndex.get(x.departmentId);
    if (department === undefined) {
      department = departments.length;
      departmentIndex.set(x.departmentId, department);
      departments.push(x.departmentId);
    }
    let hospital = hospitalIndex.get(x.hospitalId);
    if (hospital === undefined) {
      hospital = hospitals.length;
      hospitalIndex.set(x.hospitalId, hospital);
      hospitals.push({ id: x.hospitalId, name: x.hospitalName ?? x.hospitalId });
    }
    return {
      index,
      departmentId: x.departmentId,
      hospitalId: x.hospitalId,
      specialty: x.specialty,
      spec: specIndex.get(x.specialty)!,
      block: blockIndex.get(x.blockId)!,
      seats: x.seats,
      schoolId: x.schoolId ?? null,
      departmentName: x.departmentName ?? x.departmentId,
      hospitalName: x.hospitalName ?? x.hospitalId,
      family,
      department,
      hospital,
    };
  });
  const hospitalMax = new Int32Array(hospitals.length).fill(blocks.length);
  for (const l of input.hospitalLimits ?? []) {
    const h = hospitalIndex.get(l.hospitalId);
    if (h !== undefined) hospitalMax[h] = Math.min(blocks.length, l.maxBlocksPerStudent);
  }
  const sitesByBlock: Site[][] = blocks.map(() => []);
  for (const x of sites) sitesByBlock[x.block]!.push(x);

  const nSpec = specialties.length;
  const students: Student[] = input.students.map((st, index) => {
    const elective = st.requirement.electiveMaxBlocks;
    const min = new Int32Array(nSpec);
    const max = new Int32Array(nSpec).fill(elective);
    const listed = new Uint8Array(nSpec);
    const duration = new Int32Array(nSpec).fill(1);
    for (const r of st.requirement.specialties) {
      const k = specIndex.get(r.specialty)!;
      min[k] = r.minBlocks;
      max[k] = r.maxBlocks ?? r.minBlocks;
      listed[k] = 1;
      duration[k] = r.durationBlocks ?? 1;
    }
    return {
      index,
      id: st.id,
      schoolId: st.schoolId,
      priority: st.priority ?? 0,
      name: st.name ?? st.id,
      blocksToFill: st.requirement.blocksToFill,
      min,
      max,
      listed,
      duration,
      longRotations: [...duration.keys()].filter((k) => duration[k]! > 1 && max[k]! > 0),
      departmentMax: st.requirement.departmentMaxBlocks ?? st.requirement.blocksToFill,
      precedences: [
        ...new Set(
          (input.precedences ?? [])
            .filter((p) => !p.studentId || p.studentId === st.id)
            .map((p) => `${specIndex.get(p.before)!}:${specIndex.get(p.after)!}`),
        ),
      ].map((k) => k.split(':').map(Number) as [number, number]),
      groups: (st.requirement.groups ?? []).map((g) => ({
        specs: [...new Set(g.specialties)].map((k) => specIndex.get(k)!),
        min: g.minBlocks,
        max: g.maxBlocks ?? g.minBlocks,
        label: g.label ?? `${g.minBlocks} of ${[...new Set(g.specialties)].join(', ')}`,
      })),
    };
  });
  const studentIndex = new Map(students.map((s) => [s.id, s.index]));

  // Preferences, bars and prerequisites indexed per student.
  const byDept = students.map(() => new Map<string, RankLine[]>());
  const bySpec = students.map(() => new Map<string, RankLine[]>());
  let maxRank = 0;
  for (const p of input.preferences) {
    const s = studentIndex.get(p.studentId)!;
    const line = { rank: p.rank, block: p.blockId ? blockIndex.get(p.blockId)! : -1 };
    const [map, key] = p.departmentId ? [byDept[s]!, p.departmentId] : [bySpec[s]!, p.specialty!];
    const list = map.get(key);
    if (list) list.push(line);
    else map.set(key, [line]);
    maxRank = Math.max(maxRank, p.rank);
  }
  const unrankedRank = input.unrankedRank ?? maxRank + 1;
  const bars = students.map(() => [] as { departmentId?: string; hospitalId?: string; block: number; reason?: string }[]);
  for (const b of input.bars ?? []) {
    bars[studentIndex.get(b.studentId)!]!.push({
      departmentId: b.departmentId ?? undefined,
      hospitalId: b.hospitalId ?? undefined,
      block: b.blockId ? blockIndex.get(b.blockId)! : -1,
      reason: b.reason,
    });
  }
  const barMatch = (s: number, site: Site) =>
    bars[s]!.find(
      (b) => (b.block === -1 || b.block === site.block) && (b.departmentId === site.departmentId || b.hospitalId === site.hospitalId),
    );
  const available = students.map(() => new Uint8Array(blocks.length).fill(1));
  const unavailableNotes = students.map(() => new Map<number, string>());
  for (const u of input.unavailable ?? []) {
    const s = studentIndex.get(u.studentId)!;
    const b = blockIndex.get(u.blockId)!;
    available[s]![b] = 0;
    if (u.reason && !unavailableNotes[s]!.has(b)) unavailableNotes[s]!.set(b, u.reason);
  }
  const notBefore = students.map(() => new Map<string, number>());
  for (const p of input.prerequisites ?? []) {
    const m = notBefore[studentIndex.get(p.studentId)!]!;
    m.set(p.specialty, Math.max(m.get(p.specialty) ?? 0, blockIndex.get(p.notBeforeBlockId)!));
  }

  const best = (lines: RankLine[] | undefined, block: number, current: number): number => {
    if (!lines) return current;
    for (const l of lines) if (l.rank < current && (l.block === -1 || l.block === block)) current = l.rank;
    return current;
  };
  const rankOf = (s: number, site: Site): number =>
    best(bySpec[s]!.get(site.specialty), site.block, best(byDept[s]!.get(site.departmentId), site.block, unrankedRank));

  const ineligibility = (s: number, site: Site): MissedReason | null => {
    const st = students[s]!;
    if (!available[s]![site.block]) return 'UNAVAILABLE';
    if (site.schoolId !== null && site.schoolId !== st.schoolId) return 'OTHER_SCHOOL';
    if (barMatch(s, site)) return 'BARRED';
    const nb = notBefore[s]!.get(site.specialty);
    if (nb !== undefined && site.block < nb) return 'PREREQUISITE';
    if (st.max[site.spec] === 0) return 'SPECIALTY_NOT_ALLOWED';
    if (staffedOf[site.index] !== -1 && staffed[staffedOf[site.index]!]!.closed) return 'STAFFING';
    return null;
  };

  // Minimum staffing per department and block (a line for one block overrides the department's).
  const staffed: Staffed[] = [];
  const staffedOf = new Int32Array(sites.length).fill(-1);
  const minimumOf = new Map<string, number>();
  for (const m of input.staffingMinimums ?? [])
    minimumOf.set(`${m.departmentId}\u0000${m.blockId ? blockIndex.get(m.blockId)! : -1}`, m.minStudents);
  if (minimumOf.size) {
    const byKey = new Map<string, Staffed>();
    const entryIndex = new Map<Staffed, number>();
    for (const site of sites) {
      const min = minimumOf.get(`${site.departmentId}\u0000${site.block}`) ?? minimumOf.get(`${site.departmentId}\u0000-1`) ?? 0;
      if (min < 2) continue;
      const key = `${site.department}:${site.block}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = { department: site.department, block: site.block, min, sites: [], seats: 0, closed: null };
        byKey.set(key, entry);
        entryIndex.set(entry, staffed.length);
        staffed.push(entry);
      }
      entry.sites.push(site.index);
      entry.seats += site.seats;
      staffedOf[site.index] = entryIndex.get(entry)!;
    }
  }

  const openCandidates = students.map((st) => {
    const list: Candidate[] = [];
    for (const site of sites) {
      if (site.seats > 0 && ineligibility(st.index, site) === null) list.push({ site: site.index, rank: rankOf(st.index, site) });
    }
    return list;
  });
  // A minimum that no allocation can meet closes the department in that block (it stays empty,
  // and the result says so) instead of making the instance infeasible.
  // Students who may go to each staffed department and block: one pass over the candidates
  // (a scan of every student per entry took minutes at 1,000 students × 24 blocks).
  const eligibleAt = new Int32Array(staffed.length);
  if (staffed.length) {
    const seen = new Int32Array(staffed.length).fill(-1);
    for (const st of students) {
      for (const c of openCandidates[st.index]!) {
        const at = staffedOf[c.site]!;
        if (at === -1 || seen[at] === st.index) continue;
        seen[at] = st.index;
        eligibleAt[at]! += 1;
      }
    }
  }
  staffed.forEach((entry, at) => {
    const eligible = eligibleAt[at]!;
    if (entry.seats < entry.min) entry.closed = `it offers ${entry.seats} seat${entry.seats === 1 ? '' : 's'}`;
    else if (eligible < entry.min) entry.closed = `only ${eligible} student${eligible === 1 ? '' : 's'} may go there`;
  });
  const candidates = openCandidates.map((list) => list.filter((c) => staffedOf[c.site] === -1 || !staffed[staffedOf[c.site]!]!.closed));

  const uf = unionFind(students.length);
  for (const pair of input.pairs ?? []) {
    const [first, ...rest] = pair.studentIds.map((sid) => studentIndex.get(sid)!);
    for (const other of rest) uf.union(first!, other);
  }
  const groupMembers = new Map<number, number[]>();
  for (const st of students) {
    const root = uf.find(st.index);
    const list = groupMembers.get(root);
    if (list) list.push(st.index);
    else groupMembers.set(root, [st.index]);
  }
  const groups = [...groupMembers.values()].filter((g) => g.length > 1);
  const groupOf = new Int32Array(students.length).fill(-1);
  groups.forEach((g, i) => g.forEach((s) => (groupOf[s] = i)));

  const pinsByStudent: Pin[][] = students.map(() => []);
  const pins: Pin[] = (input.pins ?? []).map((p) => {
    const s = studentIndex.get(p.studentId)!;
    const block = blockIndex.get(p.blockId)!;
    const schoolId = students[s]!.schoolId;
    const options = sitesByBlock[block]!.filter(
      (x) => x.departmentId === p.departmentId && (x.schoolId === null || x.schoolId === schoolId),
    );
    // A seat reserved for the student's school is used before an open one.
    const site = options.find((x) => x.schoolId === schoolId) ?? options[0];
    const pin = { student: s, departmentId: p.departmentId, block, site: site ? site.index : -1 };
    pinsByStudent[s]!.push(pin);
    return pin;
  });

  const specOfDepartment = new Int32Array(departments.length);
  for (const site of sites) specOfDepartment[site.department] = site.spec;
  // breakAt[b]: number of calendar breaks before or at block b (a span crosses none).
  const breakAt = new Int32Array(blocks.length);
  input.blocks.forEach((b, i) => (breakAt[i] = (i > 0 ? breakAt[i - 1]! : 0) + (i > 0 && b.gapBefore ? 1 : 0)));
  return {
    input,
    blocks,
    spans: (b, d) => b >= 0 && b + d <= blocks.length && breakAt[b + d - 1] === breakAt[b],
    specialties,
    students,
    sites,
    sitesByBlock,
    families,
    departments,
    hospitals,
    hospitalMax,
    staffed,
    staffedOf,
    candidates,
    unrankedRank,
    groups,
    groupOf,
    pins,
    pinsByStudent,
    studentIndex,
    blockIndex,
    available,
    unavailableNote: (s, b) => unavailableNotes[s]!.get(b),
    ineligibility,
    barNote: (s, site) => barMatch(s, site)?.reason,
    notBefore: (s, specialty) => notBefore[s]!.get(specialty) ?? 0,
    rankOf,
    departmentCap: (s, d) => students[s]!.departmentMax * students[s]!.duration[specOfDepartment[d]!]!,
  };
}

/**
 * Deterministic generator of realistic rotation-allocation instances for bench/allocation.ts.
 *
 * Clerkship year: 12 blocks; each student fills 11 (one free block) with 9 core blocks
 * (internal medicine 2, surgery 2, paediatrics, obstetrics, psychiatry, family medicine,
 * emergency medicine) and 2 electives from 5 elective specialties. Hospitals have a popularity
 * drawn from a Zipf-like law (weight 1/k^s for the k-th most popular), a bit more for the
 * students of the school they are close to. Each student ranks, for each core specialty, up to 3
 * departments (rank 1..3 within the specialty, sampled without replacement by popularity),
 * and 3 elective specialties in order; one student in ten also wishes one core rotation in a
 * particular pair of blocks (block-specific rank 1). Seats per department are the same in every block, sized so
 * that the seats of each specialty are `capacity` × the expected demand (1.05 tight, 1.5 loose).
 * A few pins, bars, pairs and prerequisites make it look like a real year.
 *
 * `mssInstance` is shaped like the public medical-student-scheduling benchmark: 80 students,
 * 12 disciplines, 5 hospitals, 12 periods; every student does every discipline once, and ranks
 * the hospitals (translated to each discipline's departments).
 */
import { type AllocationInput, createRng, type RequirementInput, type Rng, shuffle } from '@medcollab/allocation';

const CORE: [string, number][] = [
  ['INTERNAL_MEDICINE', 2],
  ['SURGERY', 2],
  ['PEDIATRICS', 1],
  ['OBSTETRICS_GYNECOLOGY', 1],
  ['PSYCHIATRY', 1],
  ['FAMILY_MEDICINE', 1],
  ['EMERGENCY_MEDICINE', 1],
];
const ELECTIVES = ['CARDIOLOGY', 'NEUROLOGY', 'ANESTHESIOLOGY', 'RADIOLOGY', 'ONCOLOGY'];
const MSS_DISCIPLINES = [...CORE.map(([s]) => s), ...ELECTIVES];

export interface GeneratorOptions {
  students: number;
  /** Seats ÷ expected demand per specialty: 1.05 tight, 1.5 loose. */
  capacity: number;
  seed: string;
  /**
   * Blocks in the year (default 12). A multiple of 12 shortens the blocks instead: 24 blocks are
   * two-week blocks, so every requirement counts twice as many blocks (internal medicine 4,
   * surgery 4, paediatrics 2…, "4 of the electives" with each at most 2, one free block per 12).
   */
  blocks?: number;
  /** Zipf exponent of hospital popularity. */
  zipf?: number;
  /** Add pins, bars, pairs and prerequisites (default true). */
  extras?: boolean;
  /**
   * This share of students is away for one block (leave, exams), stated as availability or, the
   * old way, as a bar per hospital in that block. Drawn from a separate stream: both forms give
   * the same instance otherwise.
   */
  absences?: { share: number; as: 'availability' | 'bars' };
  /** Every student's cap on blocks at one department (issue #14: no accidental repeats). */
  departmentMaxBlocks?: number;
  /**
   * A clerkship year's rules (issue #14): the electives as a requirement group ("2 of the
   * electives", each at most once) and surgery before anaesthesia for every student
   * without a pin.
   */
  clerkship?: boolean;
  /** Issue #14: every hospital takes one student for at most this many blocks. */
  hospitalLimit?: number;
  /** Issue #14: every department with more seats than this needs at least this many students in a block, or none. */
  staffingMin?: number;
  /** Issue #14: surgery's blocks are 2-block rotations (consecutive blocks, one department). */
  surgeryRotation?: boolean;
}

/** What a family adds to the generator's base instance (everything but size, seed and capacity). */
export type FamilyOptions = Omit<GeneratorOptions, 'students' | 'seed' | 'capacity'>;

/**
 * The bench's instance families, each issue 14's features layered on the one before, so that
 * one parameterised generator builds them all:
 * - features: 30 % of students away one block (availability), no department twice;
 * - clerkship: + electives as a "2 of" group and surgery before anaesthesia;
 * - staffed: + at most 6 blocks per student at one hospital, "2 students or none" staffing;
 * - rotations: + surgery's blocks as 2-block rotations;
 * - year: the rotations year in 24 two-week blocks (2 blocks per department, 12 per hospital).
 */
const features: FamilyOptions = { absences: { share: 0.3, as: 'availability' }, departmentMaxBlocks: 1 };
const clerkship: FamilyOptions = { ...features, clerkship: true };
const staffed: FamilyOptions = { ...clerkship, hospitalLimit: 6, staffingMin: 2 };
const rotations: FamilyOptions = { ...staffed, surgeryRotation: true };
export const FAMILIES: Record<string, FamilyOptions> = {
  features,
  clerkship,
  staffed,
  rotations,
  year: { ...rotations, blocks: 24, departmentMaxBlocks: 2, hospitalLimit: 12 },
};

/** Seats ÷ expected demand: tight and loose. */
export const CAPACITY: Record<string, number> = { tight: 1.05, loose: 1.5 };

/** A family's instance of `students` students, tight unless said otherwise. */
export function familyInstance(family: string, students: number, seed: string, capacity = CAPACITY.tight!): AllocationInput {
  const options = FAMILIES[family];
  if (!options) throw new Error(`unknown instance family ${family} (${Object.keys(FAMILIES).join(', ')})`);
  return generateInstance({ ...options, students, seed, capacity });
}

/** Blocks of the year per block of the 12-block year: 2 for the issue's 24 two-week blocks. */
const scaleOf = (options: GeneratorOptions) => {
  const n = options.blocks ?? 12;
  return n % 12 === 0 ? n / 12 : 1;
};

const float = (rng: Rng) => rng.nextUint32() / 2 ** 32;

/** Weighted sampling without replacement (Efraimidis–Spirakis keys), deterministic from rng. */
function weightedOrder<T>(items: readonly T[], weight: (t: T) => number, rng: Rng): T[] {
  return items
    .map((item) => ({ item, key: Math.log(Math.max(1e-12, float(rng))) / weight(item) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.item);
}

/** Splits `total` seats over departments in proportion to weights (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((t, w) => t + w, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const base = raw.map(Math.floor);
  let left = total - base.reduce((t, v) => t + v, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    base[i]!++;
  }
  return base;
}

export function generateInstance(options: GeneratorOptions): AllocationInput {
  const base = baseInstance(options);
  const cap = options.departmentMaxBlocks;
  const input = cap ? withRequirements(base, (r) => ({ ...r, departmentMaxBlocks: cap })) : base;
  const withRotation = options.surgeryRotation ? surgeryRotation(input) : input;
  const withRules = options.clerkship ? clerkshipRules(withRotation, scaleOf(options)) : withRotation;
  const withAway = options.absences ? withAbsences(withRules, options) : withRules;
  const hospitals = [...new Set(withAway.sites.map((x) => x.hospitalId))].sort();
  // Minimum staffing where a department can meet it with room to spare: more seats than that in every block.
  const departments = [...new Set(withAway.sites.map((x) => x.departmentId))]
    .filter((d) => withAway.sites.every((x) => x.departmentId !== d || x.seats > (options.staffingMin ?? 0)))
    .sort();
  return {
    ...withAway,
    ...(options.hospitalLimit
      ? { hospitalLimits: hospitals.map((hospitalId) => ({ hospitalId, maxBlocksPerStudent: options.hospitalLimit! })) }
      : {}),
    ...(options.staffingMin
      ? { staffingMinimums: departments.map((departmentId) => ({ departmentId, minStudents: options.staffingMin! })) }
      : {}),
  };
}

/** The input with every student's requirement changed by `change` (one feature of a family). */
function withRequirements(input: AllocationInput, change: (r: RequirementInput) => RequirementInput): AllocationInput {
  return { ...input, students: input.students.map((st) => ({ ...st, requirement: change(st.requirement) })) };
}

/** Surgery's blocks (2, or 4 in a 24-block year) as rotations of 2 consecutive blocks at one department. */
function surgeryRotation(input: AllocationInput): AllocationInput {
  return withRequirements(input, (req) => ({
    ...req,
    specialties: req.specialties.map((r) => (r.specialty === 'SURGERY' && r.minBlocks % 2 === 0 ? { ...r, durationBlocks: 2 } : r)),
  }));
}

function clerkshipRules(input: AllocationInput, scale: number): AllocationInput {
  const pinned = new Set((input.pins ?? []).map((p) => p.studentId));
  return {
    ...withRequirements(input, (req) => ({
      ...req,
      specialties: [...req.specialties, ...ELECTIVES.map((specialty) => ({ specialty, minBlocks: 0, maxBlocks: scale }))],
      electiveMaxBlocks: 0,
      groups: [
        { specialties: ELECTIVES, minBlocks: 2 * scale, label: scale === 1 ? '2 of the electives' : `${2 * scale} blocks of electives` },
      ],
    })),
    precedences: input.students
      .filter((st) => !pinned.has(st.id))
      .map((st) => ({ studentId: st.id, before: 'SURGERY', after: 'ANESTHESIOLOGY' })),
  };
}

function withAbsences(input: AllocationInput, options: GeneratorOptions): AllocationInput {
  const rng = createRng(`bench-away:${options.seed}:${options.students}`);
  const hospitals = [...new Set(input.sites.map((x) => x.hospitalId))].sort();
  const paired = new Set((input.pairs ?? []).flatMap((p) => p.studentIds));
  const away = input.students
    .filter((st) => !paired.has(st.id) && float(rng) < options.absences!.share)
    .map((st) => ({ studentId: st.id, blockId: input.blocks[rng.int(input.blocks.length)]!.id }))
    .filter((u) => !(input.pins ?? []).some((p) => p.studentId === u.studentId && p.blockId === u.blockId));
  if (options.absences!.as === 'availability') return { ...input, unavailable: away.map((u) => ({ ...u, reason: 'leave' })) };
  const bars = away.flatMap((u) => hospitals.map((hospitalId) => ({ ...u, hospitalId, reason: 'leave' })));
  return { ...input, bars: [...(input.bars ?? []), ...bars] };
}

function baseInstance(options: GeneratorOptions): AllocationInput {
  const nBlocks = options.blocks ?? 12;
  const scale = scaleOf(options);
  // The 12-block instances keep their stream (and so their figures); other years draw their own.
  const rng = createRng(`bench:${options.seed}:${options.students}:${options.capacity}${nBlocks === 12 ? '' : `:${nBlocks}`}`);
  const zipf = options.zipf ?? 1;
  const nHospitals = 6 + Math.floor(options.students / 200);
  const schools = ['school-a', 'school-b', 'school-c'];
  const blocks = Array.from({ length: nBlocks }, (_, i) => ({ id: `b${String(i + 1).padStart(2, '0')}`, label: `block ${i + 1}` }));
  const hospitals = shuffle(
    Array.from({ length: nHospitals }, (_, i) => `h${i + 1}`),
    rng,
  ).map((id, k) => ({ id, popularity: 1 / (k + 1) ** zipf, school: schools[k % schools.length]!, size: 0.5 + float(rng) }));
  const specialties = [...CORE.map(([s]) => s), ...ELECTIVES];
  // Demand per specialty and block decides how many hospitals run a department in it: about 4
  // seats per department and block, at least 2 departments (and at least 2 seats each, so that
  // pairs can be placed together).
  const expectedElective = (options.students * 2 * scale) / ELECTIVES.length;
  const departments: { id: string; hospital: (typeof hospitals)[number]; specialty: string }[] = [];
  const seatsPerBlock = new Map<string, number>();
  for (const specialty of specialties) {
    const core = CORE.find(([s]) => s === specialty);
    const perBlock = Math.ceil((options.capacity * (core ? core[1] * scale * options.students : expectedElective)) / nBlocks);
    seatsPerBlock.set(specialty, perBlock);
    const count = Math.max(2, Math.min(nHospitals, Math.round(perBlock / 4)));
    for (const h of shuffle(hospitals, rng).slice(0, count))
      departments.push({ id: `${h.id}-${specialty.toLowerCase()}`, hospital: h, specialty });
  }

  const students = Array.from({ length: options.students }, (_, i) => ({
    id: `s${String(i + 1).padStart(4, '0')}`,
    schoolId: schools[rng.int(schools.length)]!,
  }));
  const preferences: AllocationInput['preferences'] = [];
  for (const st of students) {
    const appeal = (d: (typeof departments)[number]) => d.hospital.popularity * (d.hospital.school === st.schoolId ? 2 : 1);
    // One student in ten wants one core rotation at a particular time (e.g. paediatrics in
    // block 4 or 5): their favourite department of that specialty is rank 1 in those two blocks
    // and rank 2 otherwise, the others follow.
    const wish = options.extras !== false && float(rng) < 0.1 ? CORE[rng.int(CORE.length)]![0] : null;
    for (const [specialty] of CORE) {
      const ranked = weightedOrder(
        departments.filter((d) => d.specialty === specialty),
        appeal,
        rng,
      ).slice(0, 3);
      if (specialty === wish) {
        const first = rng.int(nBlocks - 1);
        for (const b of [first, first + 1])
          preferences.push({ studentId: st.id, rank: 1, departmentId: ranked[0]!.id, blockId: blocks[b]!.id });
        ranked.forEach((d, i) => preferences.push({ studentId: st.id, rank: i + 2, departmentId: d.id }));
      } else {
        ranked.forEach((d, i) => preferences.push({ studentId: st.id, rank: i + 1, departmentId: d.id }));
      }
    }
    const electives = weightedOrder(ELECTIVES, (s) => 1 / (ELECTIVES.indexOf(s) + 1) ** 0.5, rng).slice(0, 3);
    electives.forEach((specialty, i) => preferences.push({ studentId: st.id, rank: i + 1, specialty }));
  }

  const sites: AllocationInput['sites'] = [];
  for (const specialty of specialties) {
    const depts = departments.filter((d) => d.specialty === specialty);
    const seats = apportion(
      seatsPerBlock.get(specialty)!,
      depts.map((d) => d.hospital.size),
    ).map((n) => Math.max(2, n));
    depts.forEach((d, i) => {
      for (const block of blocks) {
        sites.push({
          departmentId: d.id,
          hospitalId: d.hospital.id,
          specialty,
          blockId: block.id,
          seats: seats[i]!,
          departmentName: `${specialty.toLowerCase().replace(/_/g, ' ')} ${d.hospital.id}`,
          hospitalName: `hospital ${d.hospital.id}`,
        });
      }
    });
  }

  const input: AllocationInput = {
    blocks,
    students: students.map((st) => ({
      ...st,
      requirement: {
        blocksToFill: nBlocks - scale,
        specialties: CORE.map(([specialty, n]) => ({ specialty, minBlocks: n * scale })),
        electiveMaxBlocks: scale,
      },
    })),
    sites,
    preferences,
  };
  if (options.extras === false) return input;
  // ~1% pinned (a block agreed by hand), ~2% barred from one hospital, ~2% in pairs,
  // ~10% may start surgery only from block 3.
  const pins: NonNullable<AllocationInput['pins']> = [];
  const bars: NonNullable<AllocationInput['bars']> = [];
  const pairs: NonNullable<AllocationInput['pairs']> = [];
  const prerequisites: NonNullable<AllocationInput['prerequisites']> = [];
  const pinUse = new Map<string, number>();
  students.forEach((st, i) => {
    const roll = float(rng);
    if (roll < 0.01) {
      const site = sites[rng.int(sites.length)]!;
      const key = `${site.departmentId}@${site.blockId}`;
      if (site.seats > (pinUse.get(key) ?? 0) && CORE.some(([s]) => s === site.specialty)) {
        pinUse.set(key, (pinUse.get(key) ?? 0) + 1);
        pins.push({ studentId: st.id, departmentId: site.departmentId, blockId: site.blockId });
      }
    } else if (roll < 0.03) {
      bars.push({ studentId: st.id, hospitalId: hospitals[rng.int(hospitals.length)]!.id, reason: 'conflict of interest' });
    } else if (roll < 0.05 && i + 1 < students.length && students[i + 1]!.schoolId === st.schoolId) {
      pairs.push({ studentIds: [st.id, students[i + 1]!.id] });
    } else if (roll < 0.15) {
      prerequisites.push({ studentId: st.id, specialty: 'SURGERY', notBeforeBlockId: blocks[2 * scale]!.id });
    }
  });
  // A student in a pair is not also pinned, barred or paired twice (keeps pairs satisfiable).
  const paired = new Set(pairs.flatMap((p) => p.studentIds));
  return {
    ...input,
    pins: pins.filter((p) => !paired.has(p.studentId)),
    bars: bars.filter((b) => !paired.has(b.studentId)),
    pairs: pairs.filter((p, i) => i === 0 || !pairs[i - 1]!.studentIds.some((id) => p.studentIds.includes(id))),
    prerequisites: prerequisites.filter((p) => !paired.has(p.studentId)),
  };
}

/** Shaped like the public medical-student-scheduling benchmark (80 × 12 disciplines × 5 hospitals × 12 periods). */
export function mssInstance(seed: string, capacity = 1.1): AllocationInput {
  const rng = createRng(`bench-mss:${seed}`);
  const nStudents = 80;
  const blocks = Array.from({ length: 12 }, (_, i) => ({ id: `p${String(i + 1).padStart(2, '0')}`, label: `period ${i + 1}` }));
  const hospitals = Array.from({ length: 5 }, (_, i) => ({ id: `H${i + 1}`, popularity: 1 / (i + 1) }));
  const departments: { id: string; hospital: string; discipline: string }[] = [];
  for (const discipline of MSS_DISCIPLINES) {
    const host = hospitals.filter(() => float(rng) < 0.8);
    for (const h of hospitals) if (host.length < 3 && !host.includes(h)) host.push(h);
    for (const h of host) departments.push({ id: `${h.id}-${discipline.toLowerCase()}`, hospital: h.id, discipline });
  }
  const sites: AllocationInput['sites'] = [];
  for (const discipline of MSS_DISCIPLINES) {
    const depts = departments.filter((d) => d.discipline === discipline);
    const seats = apportion(
      Math.ceil((capacity * nStudents) / 12),
      depts.map(() => 1),
    );
    depts.forEach((d, i) => {
      for (const b of blocks)
        sites.push({ departmentId: d.id, hospitalId: d.hospital, specialty: discipline, blockId: b.id, seats: seats[i]! });
    });
  }
  const students = Array.from({ length: nStudents }, (_, i) => ({
    id: `m${String(i + 1).padStart(3, '0')}`,
    schoolId: 'school',
    requirement: { blocksToFill: 12, specialties: MSS_DISCIPLINES.map((specialty) => ({ specialty, minBlocks: 1 })), electiveMaxBlocks: 0 },
  }));
  const preferences: AllocationInput['preferences'] = [];
  for (const st of students) {
    const order = weightedOrder(hospitals, (h) => h.popularity, rng).map((h) => h.id);
    for (const discipline of MSS_DISCIPLINES) {
      const depts = departments
        .filter((d) => d.discipline === discipline)
        .sort((a, b) => order.indexOf(a.hospital) - order.indexOf(b.hospital));
      depts.forEach((d, i) => preferences.push({ studentId: st.id, rank: i + 1, departmentId: d.id }));
    }
  }
  return { blocks, students, sites, preferences };
}

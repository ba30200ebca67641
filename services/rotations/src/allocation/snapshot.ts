import {
  type AllocationInput,
  type BarInput,
  type DepartmentInput,
  type PinInput,
  type PrecedenceInput,
  type RequirementInput,
  type SpecialtyGroupRequirement,
  type SiteInput,
  type StudentInput,
} from '@medcollab/allocation';
import { type EntityManager } from 'typeorm';
import { type KnownAgreementTerms, coveringAgreement } from '../domain/agreement-rules';
import { applicableRequirement } from '../domain/prerequisite-rules';
import { SPECIALTIES, type Specialty } from '../domain/model';
import { assertPrerequisites } from '../data/prerequisites';

/**
 * Builds the allocation engine's input from rotations' own tables, inside the transaction that
 * records the run, so the snapshot is one consistent reading. Ids are sorted everywhere: two
 * runs over the same state give the same snapshot, hence the same input hash.
 */

/** Specialty name for departments whose specialty the network has not told (the engine needs one). */
export const UNKNOWN_SPECIALTY = 'UNSPECIFIED';

interface BlockRow {
  id: string;
  name: string;
  starts_on: string;
  ends_on: string;
  academic_year: string;
}

export interface SnapshotScope {
  schoolId: string;
  blocks: BlockRow[];
  /** A coordinator's pins and bars for single students (dependants, disability…). */
  exemptions?: {
    studentId: string;
    kind: 'PIN' | 'BAR';
    departmentId: string | null;
    hospitalId: string | null;
    blockId: string | null;
    reason: string;
  }[];
  /** Students who must be placed together. */
  pairs?: { studentIds: string[] }[];
  /** Blocks in which a student cannot be placed (first-class availability, not bars). */
  unavailable?: { studentId: string; blockId: string; reason: string }[];
  /** Per hospital, the most blocks one student may spend there. */
  hospitalLimits?: { hospitalId: string; maxBlocksPerStudent: number }[];
  /** Departments that need at least m students in a block (every block, or the one named), or none. */
  staffingMinimums?: { departmentId: string; minStudents: number; blockId: string | null }[];
}

interface StudentRow {
  id: string;
  given_name: string | null;
  family_name: string | null;
}

/** Names the engine shows in explanations and reasons; absent (not null) when the network has not told them. */
const placeNames = (d: { name: string | null; hospital_name: string | null } | undefined) => ({
  ...(d?.name ? { departmentName: d.name } : {}),
  ...(d?.hospital_name ? { hospitalName: d.hospital_name } : {}),
});
const studentName = (s: StudentRow) => [s.given_name, s.family_name].filter(Boolean).join(' ') || undefined;
export interface EnrolmentRow {
  student_id: string;
  program_id: string;
  track_id: string | null;
}
export interface RequirementRow {
  id: string;
  program_id: string;
  track_id: string | null;
  specialty: Specialty;
  blocks: number;
  /** Consecutive blocks one rotation lasts (1 when absent: rows read before the column existed). */
  duration_blocks?: number;
  prerequisite_module_ids: string[];
}

/** Students of the school: those with an ACTIVE enrolment, plus those with no enrolment known (never all-withdrawn ones). */
async function loadStudents(em: EntityManager, schoolId: string): Promise<{ students: StudentRow[]; enrolments: EnrolmentRow[] }> {
  const students = (await em.query(
    `SELECT s.id, s.given_name, s.family_name FROM known_student s WHERE s.school_id = $1
       AND (EXISTS (SELECT 1 FROM known_enrollment e WHERE e.student_id = s.id AND e.status = 'ACTIVE')
            OR NOT EXISTS (SELECT 1 FROM known_enrollment e WHERE e.student_id = s.id))
     ORDER BY s.id`,
    [schoolId],
  )) as StudentRow[];
  const enrolments = (await em.query(
    `SELECT student_id, program_id, track_id FROM known_enrollment WHERE school_id = $1 AND status = 'ACTIVE' ORDER BY student_id, program_id`,
    [schoolId],
  )) as EnrolmentRow[];
  return { students, enrolments };
}

export interface GroupRow {
  program_id: string;
  track_id: string | null;
  label: string;
  specialties: string[];
  min_blocks: number;
  max_blocks: number;
}
export interface PrecedenceRow {
  program_id: string;
  track_id: string | null;
  before_specialty: string;
  after_specialty: string;
}

/**
 * A student's requirement groups: on each active enrolment, the program's groups, a track's
 * group replacing the program's group of the same label. Across programs, a group whose
 * specialty is already in an earlier group of the student (programs in id order) is left out:
 * the engine lets a specialty count towards one group only.
 */
export function groupsOf(enrolments: EnrolmentRow[], groups: GroupRow[]): SpecialtyGroupRequirement[] {
  const chosen: SpecialtyGroupRequirement[] = [];
  const taken = new Set<string>();
  for (const e of enrolments) {
    const byLabel = new Map<string, GroupRow>();
    for (const g of groups.filter((x) => x.program_id === e.program_id && x.track_id === null)) byLabel.set(g.label.toLowerCase(), g);
    if (e.track_id)
      for (const g of groups.filter((x) => x.program_id === e.program_id && x.track_id === e.track_id))
        byLabel.set(g.label.toLowerCase(), g);
    for (const g of [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      if (g.specialties.some((k) => taken.has(k))) continue;
      g.specialties.forEach((k) => taken.add(k));
      chosen.push({ specialties: [...g.specialties], minBlocks: g.min_blocks, maxBlocks: g.max_blocks, label: g.label });
    }
  }
  return chosen;
}

/** A student's precedences: those of each active enrolment's program for every track, and for their track. */
export function precedencesOf(studentId: string, enrolments: EnrolmentRow[], rows: PrecedenceRow[]): PrecedenceInput[] {
  const pairs = new Set<string>();
  for (const e of enrolments)
    for (const r of rows)
      if (r.program_id === e.program_id && (r.track_id === null || r.track_id === e.track_id))
        pairs.add(`${r.before_specialty}\u0000${r.after_specialty}`);
  return [...pairs].sort().map((k) => {
    const [before, after] = k.split('\u0000') as [string, string];
    return { studentId, before, after };
  });
}

/**
 * The student's requirement: per specialty, the requirement that applies on each active
 * enrolment (track's own replaces the program's), the largest block count winning across
 * programs; then the requirement groups, whose members not required on their own may be done
 * once (each at most once: `maxBlocks` 1), and whose blocks beyond their members' own minimums
 * add to the blocks to fill. None known: every block, any specialty, but never the same
 * department twice (a repeat is something a requirement asks for; without one, the cheapest
 * schedule was the student's favourite department in every block), so at most as many blocks as
 * departments.
 */
export function requirementOf(
  enrolments: EnrolmentRow[],
  requirements: RequirementRow[],
  blockCount: number,
  groupRows: GroupRow[] = [],
): RequirementInput {
  const bySpecialty = new Map<string, number>();
  const durationOf = new Map<string, number>();
  const specialties = [...new Set(requirements.map((r) => r.specialty))].sort();
  const terms = requirements.map((r) => ({
    ...r,
    programId: r.program_id,
    trackId: r.track_id,
    prerequisiteModuleIds: r.prerequisite_module_ids,
  }));
  for (const e of enrolments) {
    for (const specialty of specialties) {
      const req = applicableRequirement(terms, { programId: e.program_id, trackId: e.track_id }, specialty);
      if (!req) continue;
      // The largest block count wins across programs; its rotation length comes with it (on a tie, the longer).
      const blocks = bySpecialty.get(specialty) ?? 0;
      const duration = req.duration_blocks ?? 1;
      if (req.blocks > blocks || (req.blocks === blocks && duration > (durationOf.get(specialty) ?? 1)))
        durationOf.set(specialty, duration);
      bySpecialty.set(specialty, Math.max(blocks, req.blocks));
    }
  }
  const groups = groupsOf(enrolments, groupRows);
  if (!bySpecialty.size && !groups.length)
    return { blocksToFill: blockCount, specialties: [], electiveMaxBlocks: blockCount, departmentMaxBlocks: 1 };
  const list: { specialty: string; minBlocks: number; maxBlocks?: number; durationBlocks?: number }[] = [...bySpecialty.entries()].map(
    ([specialty, minBlocks]) => ({
      specialty,
      minBlocks,
      ...((durationOf.get(specialty) ?? 1) > 1 ? { durationBlocks: durationOf.get(specialty)! } : {}),
    }),
  );
  let total = list.reduce((n, s) => n + s.minBlocks, 0);
  for (const g of groups) {
    const ownMin = g.specialties.reduce((n, k) => n + (bySpecialty.get(k) ?? 0), 0);
    total += Math.max(0, g.minBlocks - ownMin);
    for (const k of g.specialties) if (!bySpecialty.has(k)) list.push({ specialty: k, minBlocks: 0, maxBlocks: 1 });
  }
  list.sort((a, b) => a.specialty.localeCompare(b.specialty));
  return {
    blocksToFill: Math.min(total, blockCount),
    specialties: list,
    electiveMaxBlocks: 0,
    ...(groups.length ? { groups } : {}),
  };
}

/** Seat rows of the school in the blocks whose department an ACTIVE agreement covers for the whole block. */
async function loadSites(em: EntityManager, scope: SnapshotScope, heldByOthers: Map<string, number>): Promise<SiteInput[]> {
  const rows = (await em.query(
    `SELECT c.department_id, c.hospital_id, c.block_id, c.seats, d.specialty, d.name, d.hospital_name
       FROM site_capacity c LEFT JOIN known_department d ON d.id = c.department_id
      WHERE c.school_id = $1 AND c.block_id = ANY($2::uuid[]) AND c.seats > 0
      ORDER BY c.block_id, c.department_id`,
    [scope.schoolId, scope.blocks.map((b) => b.id)],
  )) as {
    department_id: string;
    hospital_id: string;
    block_id: string;
    seats: number;
    specialty: string | null;
    name: string | null;
    hospital_name: string | null;
  }[];
  const agreements = (await em.query(
    `SELECT id, school_id AS "schoolId", hospital_id AS "hospitalId", status, department_ids AS "departmentIds", starts_on::text AS "startsOn", ends_on::text AS "endsOn"
       FROM known_agreement WHERE school_id = $1`,
    [scope.schoolId],
  )) as KnownAgreementTerms[];
  const blockById = new Map(scope.blocks.map((b) => [b.id, b]));
  const sites: SiteInput[] = [];
  for (const r of rows) {
    const block = blockById.get(r.block_id)!;
    try {
      coveringAgreement(agreements, {
        schoolId: scope.schoolId,
        departmentId: r.department_id,
        startsOn: block.starts_on,
        endsOn: block.ends_on,
      });
    } catch {
      continue; // publishing would be refused NO_AGREEMENT: do not offer the seats at all
    }
    const seats = Math.max(0, r.seats - (heldByOthers.get(`${r.department_id}:${r.block_id}`) ?? 0));
    if (seats > 0)
      sites.push({
        departmentId: r.department_id,
        hospitalId: r.hospital_id,
        specialty: r.specialty ?? UNKNOWN_SPECIALTY,
        blockId: r.block_id,
        seats,
        schoolId: scope.schoolId,
        ...placeNames(r),
      });
  }
  return sites;
}

/**
 * Days between one block's end and the next one's start that still count as consecutive for a
 * rotation longer than one block (a weekend, a public-holiday week); a longer break (holidays, an
 * exam period, a block the run leaves out) is never spanned by one rotation.
 */
export const MAX_DAYS_BETWEEN_CONSECUTIVE_BLOCKS = 7;

/** True when more than MAX_DAYS_BETWEEN_CONSECUTIVE_BLOCKS days separate `previous` from `next`. */
export function calendarBreak(previous: Pick<BlockRow, 'ends_on'>, next: Pick<BlockRow, 'starts_on'>): boolean {
  const day = 86_400_000;
  const gap = (Date.parse(`${next.starts_on.slice(0, 10)}T00:00:00Z`) - Date.parse(`${previous.ends_on.slice(0, 10)}T00:00:00Z`)) / day - 1;
  return gap > MAX_DAYS_BETWEEN_CONSECUTIVE_BLOCKS;
}

/** Reads every input of a run. */
export async function buildSnapshot(em: EntityManager, scope: SnapshotScope): Promise<AllocationInput> {
  const blockIds = scope.blocks.map((b) => b.id);
  const { students, enrolments } = await loadStudents(em, scope.schoolId);
  const included = new Set(students.map((s) => s.id));
  const requirements = (await em.query(
    `SELECT id, program_id, track_id, specialty, blocks, duration_blocks, prerequisite_module_ids FROM rotation_requirement WHERE school_id = $1 ORDER BY id`,
    [scope.schoolId],
  )) as RequirementRow[];
  const groupRows = (await em.query(
    `SELECT program_id, track_id, label, specialties, min_blocks, max_blocks FROM rotation_requirement_group WHERE school_id = $1 ORDER BY id`,
    [scope.schoolId],
  )) as GroupRow[];
  const precedenceRows = (await em.query(
    `SELECT program_id, track_id, before_specialty, after_specialty FROM rotation_precedence WHERE school_id = $1 ORDER BY id`,
    [scope.schoolId],
  )) as PrecedenceRow[];

  // Live placements in these blocks: the snapshot's students' are pins; anyone else's hold their seat.
  const placements = (await em.query(
    `SELECT student_id, department_id, block_id FROM placement
      WHERE school_id = $1 AND block_id = ANY($2::uuid[]) AND status <> 'CANCELLED' ORDER BY student_id, block_id`,
    [scope.schoolId, blockIds],
  )) as { student_id: string; department_id: string; block_id: string }[];
  const pins: PinInput[] = [];
  const heldByOthers = new Map<string, number>();
  for (const p of placements) {
    if (included.has(p.student_id)) pins.push({ studentId: p.student_id, departmentId: p.department_id, blockId: p.block_id });
    else heldByOthers.set(`${p.department_id}:${p.block_id}`, (heldByOthers.get(`${p.department_id}:${p.block_id}`) ?? 0) + 1);
  }
  for (const e of scope.exemptions ?? []) {
    if (e.kind === 'PIN') pins.push({ studentId: e.studentId, departmentId: e.departmentId!, blockId: e.blockId! });
  }
  const sites = await loadSites(em, scope, heldByOthers);
  // A pin's seat must exist for the engine even if seats were lowered below it since.
  for (const pin of pins) {
    if (!sites.some((s) => s.departmentId === pin.departmentId && s.blockId === pin.blockId)) {
      const [d] = (await em.query(`SELECT institution_id, specialty, name, hospital_name FROM known_department WHERE id = $1`, [
        pin.departmentId,
      ])) as { institution_id: string; specialty: string | null; name: string | null; hospital_name: string | null }[];
      sites.push({
        departmentId: pin.departmentId,
        hospitalId: d?.institution_id ?? pin.departmentId,
        specialty: d?.specialty ?? UNKNOWN_SPECIALTY,
        blockId: pin.blockId,
        seats: 1,
        schoolId: scope.schoolId,
        ...placeNames(d),
      });
    }
  }

  const studentInputs: StudentInput[] = students.map((s) => {
    const requirement = requirementOf(
      enrolments.filter((e) => e.student_id === s.id),
      requirements,
      blockIds.length,
      groupRows,
    );
    const pinned = pins.filter((p) => p.studentId === s.id).length;
    // "Every block" and requirements capped at the blocks are the blocks the student is available in.
    const away = new Set((scope.unavailable ?? []).filter((u) => u.studentId === s.id).map((u) => u.blockId)).size;
    const available = blockIds.length - away;
    const name = studentName(s);
    return {
      id: s.id,
      schoolId: scope.schoolId,
      ...(name ? { name } : {}),
      requirement: {
        ...requirement,
        blocksToFill: Math.max(Math.min(requirement.blocksToFill, available), pinned),
      },
    };
  });

  // Prerequisites resolved now with the same rule createPlacement applies: an unmet one bars the department.
  // Only pairs the check could refuse are asked: an enrolled student, a specialty some requirement gives prerequisites.
  const bars: BarInput[] = (scope.exemptions ?? [])
    .filter((e) => e.kind === 'BAR')
    .map((e) => ({ studentId: e.studentId, departmentId: e.departmentId, hospitalId: e.hospitalId, blockId: e.blockId, reason: e.reason }));
  const gated = new Set(requirements.filter((r) => r.prerequisite_module_ids.length).map((r) => r.specialty as string));
  const departments = [...new Set(sites.filter((s) => gated.has(s.specialty)).map((s) => s.departmentId))].sort();
  const enrolled = new Set(enrolments.map((e) => e.student_id));
  for (const s of students.filter((x) => enrolled.has(x.id))) {
    for (const departmentId of departments) {
      if (pins.some((p) => p.studentId === s.id && p.departmentId === departmentId)) continue;
      try {
        await assertPrerequisites(em, s.id, departmentId);
      } catch {
        bars.push({ studentId: s.id, departmentId, reason: 'prerequisite modules not completed' });
      }
    }
  }

  // Without a requirement a student does each department at most once: only as many blocks as
  // there are departments open to them in the run (not barred for the whole run), and at a
  // hospital with a limit per student, no more than the limit.
  const limitOf = new Map((scope.hospitalLimits ?? []).map((l) => [l.hospitalId, l.maxBlocksPerStudent]));
  for (const st of studentInputs.filter((x) => x.requirement.departmentMaxBlocks === 1 && !x.requirement.specialties.length)) {
    const mine = bars.filter((b) => b.studentId === st.id && !b.blockId);
    const openByHospital = new Map<string, Set<string>>();
    for (const x of sites.filter((y) => !mine.some((b) => b.departmentId === y.departmentId || b.hospitalId === y.hospitalId)))
      openByHospital.set(x.hospitalId, (openByHospital.get(x.hospitalId) ?? new Set()).add(x.departmentId));
    const open = [...openByHospital].reduce((n, [hospitalId, depts]) => n + Math.min(depts.size, limitOf.get(hospitalId) ?? Infinity), 0);
    const pinned = pins.filter((p) => p.studentId === st.id);
    st.requirement.blocksToFill = Math.max(Math.min(st.requirement.blocksToFill, open), pinned.length);
    // Placements made by hand may already repeat a department: they stand.
    const perDepartment = new Map<string, number>();
    for (const p of pinned) perDepartment.set(p.departmentId, (perDepartment.get(p.departmentId) ?? 0) + 1);
    st.requirement.departmentMaxBlocks = Math.max(1, ...perDepartment.values());
  }

  const preferences = (await em.query(
    `SELECT student_id AS "studentId", rank, department_id AS "departmentId", specialty, block_id AS "blockId"
       FROM rotation_preference
      WHERE school_id = $1 AND academic_year = ANY($2::text[]) AND student_id = ANY($3::uuid[])
        AND (block_id IS NULL OR block_id = ANY($4::uuid[]))
      ORDER BY student_id, rank, id`,
    [scope.schoolId, [...new Set(scope.blocks.map((b) => b.academic_year))], students.map((s) => s.id), blockIds],
  )) as AllocationInput['preferences'];

  // Every department of the school's partners is known, seats or not: a preference for one that
  // offers none this year is valid (it just matches nothing), a typo is not.
  const catalogue = (await em.query(
    `SELECT d.id, d.institution_id, coalesce(d.specialty, $2) AS specialty, d.name, d.hospital_name FROM known_department d
      WHERE d.id IN (SELECT unnest(department_ids) FROM known_agreement WHERE school_id = $1) ORDER BY d.id`,
    [scope.schoolId, UNKNOWN_SPECIALTY],
  )) as { id: string; institution_id: string; specialty: string; name: string | null; hospital_name: string | null }[];

  return {
    blocks: scope.blocks.map((b, i) => ({
      id: b.id,
      label: b.name,
      ...(i > 0 && calendarBreak(scope.blocks[i - 1]!, b) ? { gapBefore: true } : {}),
    })),
    departments: catalogue
      .filter((d) => !sites.some((x) => x.departmentId === d.id))
      .map((d): DepartmentInput => ({ departmentId: d.id, hospitalId: d.institution_id, specialty: d.specialty, ...placeNames(d) })),
    specialties: [...SPECIALTIES, UNKNOWN_SPECIALTY],
    students: studentInputs,
    sites,
    preferences: preferences.map((p) => ({
      studentId: p.studentId,
      rank: p.rank,
      departmentId: p.departmentId,
      specialty: p.specialty,
      blockId: p.blockId,
    })),
    pins,
    bars,
    pairs: scope.pairs ?? [],
    unavailable: scope.unavailable ?? [],
    ...(scope.hospitalLimits?.length ? { hospitalLimits: scope.hospitalLimits } : {}),
    ...(scope.staffingMinimums?.length
      ? {
          staffingMinimums: scope.staffingMinimums.map((m) => ({
            departmentId: m.departmentId,
            minStudents: m.minStudents,
            ...(m.blockId ? { blockId: m.blockId } : {}),
          })),
        }
      : {}),
    precedences: students.flatMap((s) =>
      precedencesOf(
        s.id,
        enrolments.filter((e) => e.student_id === s.id),
        precedenceRows,
      ),
    ),
  };
}

/** The blocks a run covers, in calendar order. */
export async function loadRunBlocks(
  em: EntityManager,
  schoolId: string,
  which: { academicYear: string | null; blockIds: string[] | null },
): Promise<BlockRow[]> {
  if (which.blockIds) {
    return (await em.query(
      `SELECT id, name, starts_on::text, ends_on::text, academic_year FROM rotation_block WHERE school_id = $1 AND id = ANY($2::uuid[]) ORDER BY starts_on, id`,
      [schoolId, which.blockIds],
    )) as BlockRow[];
  }
  return (await em.query(
    `SELECT id, name, starts_on::text, ends_on::text, academic_year FROM rotation_block WHERE school_id = $1 AND academic_year = $2 ORDER BY starts_on, id`,
    [schoolId, which.academicYear],
  )) as BlockRow[];
}

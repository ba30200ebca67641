import { createHash } from 'node:crypto';
import { SPECIALTIES } from '@medcollab/kit';
import { idMaker, pick, prng, seedNumber, shuffled } from './random';
import { SCALES, type ScaleName, type ScaleSpec } from './scales';

/**
 * A generated network of real size (issue 16), as plain facts every service's loader agrees
 * on: each service writes its own tables and its projections of the others' facts from the
 * same world, so they are consistent by construction (and a parity check proves it).
 * Deterministic: the same scale and seed give the same world, id for id.
 */
export interface ScaleWorld {
  scale: ScaleName;
  seed: string;
  spec: ScaleSpec;
  /** The world's "today": statuses (completed, running, pending) are decided against it. */
  asOf: string;
  /** Days a hospital keeps access after a placement completes (rotations' default). */
  graceDays: number;
  institutions: WorldInstitution[];
  departments: WorldDepartment[];
  staff: WorldStaff[];
  students: WorldStudent[];
  agreements: WorldAgreement[];
  programs: WorldProgram[];
  enrollments: WorldEnrollment[];
  /** One post profile per program, owned by its school (readiness is measured against it). */
  postProfiles: WorldPostProfile[];
  blocks: WorldBlock[];
  capacities: WorldCapacity[];
  placements: WorldPlacement[];
  tasks: WorldTask[];
  mentors: WorldMentor[];
  mentorships: WorldMentorship[];
  meetings: WorldMeeting[];
  goals: WorldGoal[];
  /**
   * What producers publish about the world that only they can say (e.g. an evaluation's rated
   * items, which follow from assessment's instruments), filled as their part is loaded, for the
   * consumers loaded after them. Not part of the generated facts (nor of `worldDigest`).
   */
  published: WorldPublished;
}

/** The facts a task event carries about its instrument (assessment's library instrument of the key). */
export interface PublishedInstrument {
  id: string;
  kind: string;
  title: string;
  purpose: 'FORMATIVE' | 'SUMMATIVE';
}

/** An evaluation as assessment publishes it (the payload of its EvaluationSubmitted event). */
export interface PublishedEvaluation {
  submissionId: string;
  kind: 'SITE_EVALUATION' | 'TEACHER_EVALUATION';
  evaluatorPseudonym: string;
  schoolId: string;
  hospitalId: string | null;
  departmentId: string | null;
  teacherId: string | null;
  blockId: string | null;
  academicYear: string;
  submittedAt: string;
  itemScores: { itemKey: string; label: string; value: number; min: number; max: number }[];
}

export interface WorldPublished {
  /** Set by assessment's loader (or `scaleAssessmentPublished`). */
  assessment?: {
    instruments: Record<InstrumentKey, PublishedInstrument>;
    /** By task id, for the submitted site and teacher evaluations. */
    evaluations: Map<string, PublishedEvaluation>;
  };
}

export interface WorldInstitution {
  id: string;
  name: string;
  kind: 'SCHOOL' | 'HOSPITAL';
  timezone: string;
}
export interface WorldDepartment {
  id: string;
  institutionId: string;
  name: string;
  specialty: string;
}
export type StaffRole =
  'NETWORK_ADMIN' | 'INSTITUTION_ADMIN' | 'COORDINATOR' | 'QUALITY_OFFICER' | 'TEACHER' | 'CLINICAL_INSTRUCTOR' | 'MENTOR';
export interface WorldStaff {
  id: string;
  institutionId: string;
  departmentId: string | null;
  givenName: string;
  familyName: string;
  email: string;
  roles: StaffRole[];
}
export interface WorldStudent {
  id: string;
  schoolId: string;
  givenName: string;
  familyName: string;
  email: string;
  cohortYear: number;
  priorClinicalYears: number;
}
export interface WorldAgreement {
  id: string;
  schoolId: string;
  hospitalId: string;
  startsOn: string;
  endsOn: string;
  activatedAt: string;
  departmentIds: string[];
}
export interface WorldProgram {
  id: string;
  schoolId: string;
  title: string;
}
/**
 * A post profile's requirement by the competency library's framework key and code (curriculum
 * and assessment resolve it to the library's stable id; the generator knows no ids of theirs).
 */
export interface WorldRequirement {
  framework: string;
  code: string;
  level: number;
}
export interface WorldPostProfile {
  id: string;
  /** The school that owns it (the program's). */
  schoolId: string;
  programId: string;
  title: string;
  specialty: string;
  description: string;
  scale: { name: string; min: number; max: number };
  requirements: WorldRequirement[];
}
export interface WorldEnrollment {
  id: string;
  studentId: string;
  programId: string;
  schoolId: string;
  enrolledAt: string;
  enrolledBy: string;
}
export interface WorldBlock {
  id: string;
  schoolId: string;
  academicYear: string;
  name: string;
  startsOn: string;
  endsOn: string;
}
export interface WorldCapacity {
  id: string;
  departmentId: string;
  hospitalId: string;
  blockId: string;
  schoolId: string;
  seats: number;
  updatedBy: string;
}
export type PlacementStatus = 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED';
export interface WorldPlacement {
  id: string;
  studentId: string;
  schoolId: string;
  hospitalId: string;
  departmentId: string;
  blockId: string;
  supervisorId: string;
  status: PlacementStatus;
  startsOn: string;
  endsOn: string;
  /** When the placement last changed status (confirmed, started, completed). */
  changedAt: string;
  /** Hospital access: null while confirmed or running; `graceDays` after completion. */
  accessUntil: string | null;
  confirmedAt: string;
}
export type TaskRole = 'SUPERVISOR_ASSESSMENT' | 'SITE_EVALUATION' | 'TEACHER_EVALUATION' | 'ASSIGNED';
export type TaskStatus = 'PENDING' | 'SUBMITTED' | 'DECLINED' | 'EXPIRED';
/** Library instruments by their library key (assessment maps the key to its instrument). */
export type InstrumentKey = 'mini-cex' | 'dops' | 'notss' | 'case-analysis' | 'site-evaluation' | 'teacher-evaluation';
export interface WorldTask {
  id: string;
  role: TaskRole;
  instrumentKey: InstrumentKey;
  status: TaskStatus;
  assessorId: string;
  placement: WorldPlacement;
  assignedAt: string;
  dueAt: string;
  /** SUBMITTED: when; DECLINED: when; EXPIRED: the due instant. */
  closedAt: string | null;
  /** The submission (SUBMITTED tasks only) and a seed for its answers. */
  submissionId: string | null;
  answerSeed: number;
}
export interface WorldMentor {
  id: string;
  staffId: string;
  institutionId: string;
  capacity: number;
  specialties: string[];
}
export interface WorldMentorship {
  id: string;
  mentorId: string;
  schoolId: string;
  studentId: string;
  focus: 'CLINICAL_PRACTICE' | 'RESEARCH' | 'CAREER';
  status: 'ACTIVE' | 'ENDED';
  createdAt: string;
  endedAt: string | null;
}
export interface WorldMeeting {
  id: string;
  mentorshipId: string;
  metOn: string;
  attendeeIds: string[];
  loggedBy: string;
}
export interface WorldGoal {
  id: string;
  studentId: string;
  title: string;
  status: 'OPEN' | 'IN_PROGRESS';
  targetDate: string;
  proposedBy: string;
  createdAt: string;
}

/** A department's name from its specialty code (INTERNAL_MEDICINE → Internal medicine). */
const specialtyName = (code: string): string => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

const GIVEN = [
  'Ana',
  'Ben',
  'Chloé',
  'Dario',
  'Elif',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kaja',
  'Luca',
  'Mara',
  'Nils',
  'Olga',
  'Pavel',
];
const FAMILY = [
  'Almeida',
  'Berger',
  'Costa',
  'Dimitrov',
  'Eriksen',
  'Fischer',
  'García',
  'Horvat',
  'Ionescu',
  'Jansen',
  'Kowalski',
  'Lindqvist',
];
const CITIES = ['Aster', 'Brenn', 'Calder', 'Dunmore', 'Elsworth', 'Farrow', 'Glenhaven', 'Holm', 'Ivel', 'Juniper', 'Kestrel', 'Lowen'];
const DAY = 86_400_000;

export const WORLD_AS_OF = '2026-12-07';
/** rotations' default `grantDaysAfterCompletion` (its loader checks the two agree). */
export const WORLD_GRACE_DAYS = 30;

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const ms = (date: string): number => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
const at = (date: string, hour: number): string => new Date(ms(date) + hour * 3_600_000).toISOString();

// Id kinds: one number per kind of record keeps ids unique across kinds.
const K = {
  institution: 1,
  department: 2,
  staff: 3,
  student: 4,
  agreement: 5,
  program: 6,
  enrollment: 7,
  block: 8,
  capacity: 9,
  placement: 10,
  task: 11,
  submission: 12,
  mentor: 13,
  mentorship: 14,
  meeting: 15,
  goal: 16,
  postProfile: 17,
} as const;

const EPA = 'aamc-core-epas';
const CANMEDS = 'canmeds-roles';
const NOTSS = 'notss';
const req = (framework: string, code: string, level: number): WorldRequirement => ({ framework, code, level });
/**
 * The post profiles programs prepare for, on the entrustment scale, from the library's EPAs,
 * NOTSS categories and CanMEDS roles: mostly competencies the world's instruments observe
 * (mini-CEX, DOPS, NOTSS, case analysis), so readiness has evidence to weigh, and one each
 * that no instrument of the world observes (a gap without evidence, as real profiles have).
 */
const POST_PROFILE_TEMPLATES: readonly Omit<WorldPostProfile, 'id' | 'schoolId' | 'programId'>[] = [
  {
    title: 'Emergency medicine resident, year 1',
    specialty: 'EMERGENCY_MEDICINE',
    description: 'Assesses undifferentiated patients, manages the acutely ill under supervision, hands over safely.',
    scale: { name: 'Entrustment (1 observe only … 5 supervise others)', min: 1, max: 5 },
    requirements: [
      req(EPA, 'EPA 1', 4),
      req(EPA, 'EPA 2', 4),
      req(EPA, 'EPA 10', 3),
      req(EPA, 'EPA 12', 3),
      req(NOTSS, 'SA', 4),
      req(NOTSS, 'DM', 3),
      req(CANMEDS, 'CM', 3),
    ],
  },
  {
    title: 'Internal medicine resident, year 1',
    specialty: 'INTERNAL_MEDICINE',
    description: 'Runs a ward team’s admissions under supervision: history, examination, plan, orders and written record.',
    scale: { name: 'Entrustment (1 observe only … 5 supervise others)', min: 1, max: 5 },
    requirements: [
      req(EPA, 'EPA 1', 4),
      req(EPA, 'EPA 2', 4),
      req(EPA, 'EPA 4', 3),
      req(EPA, 'EPA 5', 3),
      req(EPA, 'EPA 7', 3),
      req(CANMEDS, 'ME', 4),
      req(CANMEDS, 'PR', 4),
    ],
  },
  {
    title: 'Surgical resident, year 1',
    specialty: 'SURGERY',
    description: 'Performs general procedures under supervision and works safely in the operating theatre team.',
    scale: { name: 'Entrustment (1 observe only … 5 supervise others)', min: 1, max: 5 },
    requirements: [
      req(EPA, 'EPA 11', 4),
      req(EPA, 'EPA 12', 4),
      req(NOTSS, 'SA', 3),
      req(NOTSS, 'DM', 3),
      req(NOTSS, 'CT', 4),
      req(NOTSS, 'L', 3),
      req(EPA, 'EPA 13', 3),
    ],
  },
];

/** Builds the world of a scale from a seed; pure and deterministic. */
export function buildScaleWorld(opts: { scale: ScaleName; seed?: string; asOf?: string; graceDays?: number }): ScaleWorld {
  const scale = opts.scale;
  const seed = opts.seed ?? 'medcollab';
  const spec: ScaleSpec = SCALES[scale];
  const asOf = opts.asOf ?? WORLD_AS_OF;
  const graceDays = opts.graceDays ?? WORLD_GRACE_DAYS;
  const rand = prng(seedNumber(`${scale}:${seed}`));
  const id = idMaker(`${scale}:${seed}`);
  const counters = new Map<number, number>();
  const next = (kind: number): string => {
    const n = counters.get(kind) ?? 0;
    counters.set(kind, n + 1);
    return id(kind, n);
  };

  // Institutions and departments.
  const schools: WorldInstitution[] = Array.from({ length: spec.schools }, (_, i) => ({
    id: next(K.institution),
    name: `${CITIES[i % CITIES.length]} School of Medicine${i >= CITIES.length ? ` ${Math.floor(i / CITIES.length) + 1}` : ''}`,
    kind: 'SCHOOL',
    timezone: 'Europe/Berlin',
  }));
  const hospitals: WorldInstitution[] = Array.from({ length: spec.hospitals }, (_, i) => ({
    id: next(K.institution),
    name: `${CITIES[i % CITIES.length]} ${['General', 'University', 'Regional', 'Memorial'][Math.floor(i / CITIES.length) % 4]} Hospital${
      i >= CITIES.length * 4 ? ` ${Math.floor(i / (CITIES.length * 4)) + 1}` : ''
    }`,
    kind: 'HOSPITAL',
    timezone: 'Europe/Berlin',
  }));
  const departments: WorldDepartment[] = [];
  const departmentsOf = new Map<string, WorldDepartment[]>();
  for (const [h, hospital] of hospitals.entries()) {
    const list: WorldDepartment[] = [];
    for (let d = 0; d < spec.departmentsPerHospital; d++) {
      const specialty = SPECIALTIES[(h + d) % SPECIALTIES.length]!;
      const round = Math.floor(d / SPECIALTIES.length);
      const name = specialtyName(specialty);
      list.push({ id: next(K.department), institutionId: hospital.id, name: round ? `${name} ${round + 1}` : name, specialty });
    }
    departmentsOf.set(hospital.id, list);
    departments.push(...list);
  }

  // People.
  const staff: WorldStaff[] = [];
  const person = (i: number) => ({
    givenName: GIVEN[i % GIVEN.length]!,
    familyName: FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!,
  });
  const addStaff = (institutionId: string, departmentId: string | null, roles: StaffRole[], domain: string): WorldStaff => {
    const n = staff.length;
    const name = person(Math.floor(rand() * 10_000));
    const s: WorldStaff = {
      id: next(K.staff),
      institutionId,
      departmentId,
      ...name,
      email: `${name.givenName}.${name.familyName}.${n}@${domain}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^\x20-\x7e]/g, ''),
      roles,
    };
    staff.push(s);
    return s;
  };
  const instructorsOf = new Map<string, WorldStaff[]>();
  for (const [h, hospital] of hospitals.entries()) {
    addStaff(hospital.id, null, ['QUALITY_OFFICER'], `hospital${h}.example.org`);
    for (const dept of departmentsOf.get(hospital.id)!) {
      const list = Array.from({ length: spec.staffPerDepartment }, (_, k) =>
        addStaff(hospital.id, dept.id, k === 0 ? ['CLINICAL_INSTRUCTOR', 'TEACHER'] : ['CLINICAL_INSTRUCTOR'], `hospital${h}.example.org`),
      );
      instructorsOf.set(dept.id, list);
    }
  }
  const schoolStaff = new Map<string, { admin: WorldStaff; coordinators: WorldStaff[]; mentors: WorldStaff[] }>();
  for (const [s, school] of schools.entries()) {
    const domain = `school${s}.example.org`;
    const admin = addStaff(school.id, null, s === 0 ? ['INSTITUTION_ADMIN', 'NETWORK_ADMIN'] : ['INSTITUTION_ADMIN'], domain);
    const coordinators = [addStaff(school.id, null, ['COORDINATOR'], domain), addStaff(school.id, null, ['COORDINATOR'], domain)];
    addStaff(school.id, null, ['QUALITY_OFFICER'], domain);
    const mentors = Array.from({ length: Math.max(1, spec.staffPerSchool - 4) }, () =>
      addStaff(school.id, null, ['MENTOR', 'TEACHER'], domain),
    );
    schoolStaff.set(school.id, { admin, coordinators, mentors });
  }
  const students: WorldStudent[] = [];
  const studentsOf = new Map<string, WorldStudent[]>();
  for (const [s, school] of schools.entries()) {
    const list: WorldStudent[] = [];
    for (let i = 0; i < spec.studentsPerSchool; i++) {
      const name = person(Math.floor(rand() * 10_000));
      list.push({
        id: next(K.student),
        schoolId: school.id,
        ...name,
        email: `${name.givenName}.${name.familyName}.${students.length + list.length}@students.school${s}.example.org`
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^\x20-\x7e]/g, ''),
        cohortYear: 2021 + Math.floor(rand() * 4),
        priorClinicalYears: Math.floor(rand() * 3),
      });
    }
    studentsOf.set(school.id, list);
    students.push(...list);
  }

  // Agreements: each school with `partnersPerSchool` hospitals, covering both academic years.
  const agreements: WorldAgreement[] = [];
  const partnersOf = new Map<string, WorldInstitution[]>();
  for (const [s, school] of schools.entries()) {
    const stride = Math.max(1, Math.floor(spec.hospitals / spec.schools));
    const partners = Array.from(
      { length: Math.min(spec.partnersPerSchool, spec.hospitals) },
      (_, j) => hospitals[(s * stride + j) % spec.hospitals]!,
    );
    partnersOf.set(school.id, partners);
    for (const hospital of partners) {
      agreements.push({
        id: next(K.agreement),
        schoolId: school.id,
        hospitalId: hospital.id,
        startsOn: '2025-08-01',
        endsOn: '2027-08-31',
        activatedAt: '2025-07-15T09:00:00.000Z',
        departmentIds: departmentsOf.get(hospital.id)!.map((d) => d.id),
      });
    }
  }

  // Curriculum: one program per school, every student enrolled.
  const programs: WorldProgram[] = schools.map((school) => ({
    id: next(K.program),
    schoolId: school.id,
    title: 'Medicine (clinical years)',
  }));
  const enrollments: WorldEnrollment[] = students.map((student) => ({
    id: next(K.enrollment),
    studentId: student.id,
    programId: programs[schools.findIndex((s) => s.id === student.schoolId)]!.id,
    schoolId: student.schoolId,
    enrolledAt: `${student.cohortYear}-09-01T08:00:00.000Z`,
    enrolledBy: schoolStaff.get(student.schoolId)!.admin.id,
  }));

  // Post profiles: one per program, the templates in turn (no draw from `rand`, so adding them
  // left every other record of a seed's world as it was).
  const postProfiles: WorldPostProfile[] = programs.map((program, i) => {
    const template = POST_PROFILE_TEMPLATES[i % POST_PROFILE_TEMPLATES.length]!;
    const school = schools.find((s) => s.id === program.schoolId)!;
    return {
      id: next(K.postProfile),
      schoolId: program.schoolId,
      programId: program.id,
      ...template,
      title: `${template.title} (${school.name})`,
      requirements: template.requirements.map((r) => ({ ...r })),
    };
  });

  // Blocks: two academic years of `blocksPerYear` four-week blocks per school.
  const blocks: WorldBlock[] = [];
  const yearStarts = [
    { label: '2025-2026', start: '2025-09-01' },
    { label: '2026-2027', start: '2026-08-31' },
  ];
  for (const school of schools) {
    for (const year of yearStarts) {
      for (let b = 0; b < spec.blocksPerYear; b++) {
        const startsOn = dateOf(ms(year.start) + b * 28 * DAY);
        blocks.push({
          id: next(K.block),
          schoolId: school.id,
          academicYear: year.label,
          name: `Block ${b + 1}`,
          startsOn,
          endsOn: dateOf(ms(startsOn) + 27 * DAY),
        });
      }
    }
  }

  // Capacities and placements: per school and block, students draw a partner department with a seat left.
  const capacities: WorldCapacity[] = [];
  const placements: WorldPlacement[] = [];
  const asOfMs = ms(asOf);
  // Supervisors share a department's students evenly, block by block (assessment caps each
  // assessor's tasks per week, and the end-of-block tasks all fall in one week).
  const supervising = new Map<string, number>();
  const supervisorFor = (deptId: string, startsOn: string): string => {
    let best: WorldStaff | undefined;
    for (const s of shuffled(rand, instructorsOf.get(deptId)!)) {
      if (!best || (supervising.get(`${s.id}/${startsOn}`) ?? 0) < (supervising.get(`${best.id}/${startsOn}`) ?? 0)) best = s;
    }
    supervising.set(`${best!.id}/${startsOn}`, (supervising.get(`${best!.id}/${startsOn}`) ?? 0) + 1);
    return best!.id;
  };
  for (const school of schools) {
    const partnerDepartments = partnersOf.get(school.id)!.flatMap((h) => departmentsOf.get(h.id)!);
    const coordinator = schoolStaff.get(school.id)!.coordinators[0]!;
    for (const block of blocks.filter((b) => b.schoolId === school.id)) {
      const seatsLeft = new Map<string, number>();
      for (const dept of partnerDepartments) {
        const seats = 2 + Math.floor(rand() * 4);
        seatsLeft.set(dept.id, seats);
        capacities.push({
          id: next(K.capacity),
          departmentId: dept.id,
          hospitalId: dept.institutionId,
          blockId: block.id,
          schoolId: school.id,
          seats,
          updatedBy: coordinator.id,
        });
      }
      const status: PlacementStatus = ms(block.endsOn) < asOfMs ? 'COMPLETED' : ms(block.startsOn) <= asOfMs ? 'IN_PROGRESS' : 'CONFIRMED';
      const confirmedAt = new Date(ms(block.startsOn) - 21 * DAY + 9 * 3_600_000).toISOString();
      const completedAt = at(block.endsOn, 18);
      for (const student of shuffled(rand, studentsOf.get(school.id)!)) {
        if (rand() >= spec.fill) continue;
        let dept = pick(rand, partnerDepartments);
        for (let tries = 0; (seatsLeft.get(dept.id) ?? 0) <= 0 && tries < 8; tries++) dept = pick(rand, partnerDepartments);
        if ((seatsLeft.get(dept.id) ?? 0) <= 0) {
          const free = partnerDepartments.find((d) => (seatsLeft.get(d.id) ?? 0) > 0);
          if (!free) break;
          dept = free;
        }
        seatsLeft.set(dept.id, seatsLeft.get(dept.id)! - 1);
        placements.push({
          id: next(K.placement),
          studentId: student.id,
          schoolId: school.id,
          hospitalId: dept.institutionId,
          departmentId: dept.id,
          blockId: block.id,
          supervisorId: supervisorFor(dept.id, block.startsOn),
          status,
          startsOn: block.startsOn,
          endsOn: block.endsOn,
          confirmedAt,
          changedAt: status === 'COMPLETED' ? completedAt : status === 'IN_PROGRESS' ? at(block.startsOn, 7) : confirmedAt,
          accessUntil: status === 'COMPLETED' ? new Date(Date.parse(completedAt) + graceDays * DAY).toISOString() : null,
        });
      }
    }
  }

  // Tasks: the three end-of-placement tasks of a completed placement, and two workplace-based
  // assessments a supervisor is asked for during each placement that has begun.
  const tasks: WorldTask[] = [];
  const addTask = (
    role: TaskRole,
    instrumentKey: InstrumentKey,
    assessorId: string,
    placement: WorldPlacement,
    assignedAt: string,
    dueDays: number,
  ) => {
    const dueAt = new Date(Date.parse(assignedAt) + dueDays * DAY).toISOString();
    const evaluation = role === 'SITE_EVALUATION' || role === 'TEACHER_EVALUATION';
    const overdue = Date.parse(dueAt) < asOfMs;
    const r = rand();
    const submitRate = evaluation ? 0.33 : 0.95;
    let status: TaskStatus;
    let closedAt: string | null = null;
    if (r < (overdue ? submitRate : submitRate / 2)) {
      status = 'SUBMITTED';
      const latest = Math.min(Date.parse(dueAt), asOfMs) - 3_600_000;
      closedAt = new Date(Date.parse(assignedAt) + Math.floor(rand() * Math.max(1, latest - Date.parse(assignedAt)))).toISOString();
    } else if (!overdue) status = 'PENDING';
    else if (r < submitRate + 0.02) {
      status = 'DECLINED';
      closedAt = new Date(Date.parse(assignedAt) + DAY).toISOString();
    } else {
      status = 'EXPIRED';
      closedAt = dueAt;
    }
    tasks.push({
      id: next(K.task),
      role,
      instrumentKey,
      status,
      assessorId,
      placement,
      assignedAt,
      dueAt,
      closedAt,
      submissionId: status === 'SUBMITTED' ? next(K.submission) : null,
      answerSeed: Math.floor(rand() * 2 ** 31),
    });
  };
  const WBA: InstrumentKey[] = ['dops', 'notss', 'case-analysis'];
  for (const p of placements) {
    for (const week of [1, 3]) {
      const assignedAt = at(dateOf(ms(p.startsOn) + week * 7 * DAY), 10);
      if (Date.parse(assignedAt) <= asOfMs) addTask('ASSIGNED', pick(rand, WBA), p.supervisorId, p, assignedAt, 7);
    }
    if (p.status !== 'COMPLETED') continue;
    const assignedAt = at(p.endsOn, 19);
    addTask('SUPERVISOR_ASSESSMENT', 'mini-cex', p.supervisorId, p, assignedAt, 14);
    addTask('SITE_EVALUATION', 'site-evaluation', p.studentId, p, assignedAt, 14);
    addTask('TEACHER_EVALUATION', 'teacher-evaluation', p.studentId, p, assignedAt, 14);
  }

  // Mentorship: the school's mentors take `mentorshipsPerSchool` students one-on-one.
  const mentors: WorldMentor[] = [];
  const mentorships: WorldMentorship[] = [];
  const meetings: WorldMeeting[] = [];
  const goals: WorldGoal[] = [];
  for (const school of schools) {
    const { mentors: mentorStaff } = schoolStaff.get(school.id)!;
    const mentees = shuffled(rand, studentsOf.get(school.id)!).slice(0, spec.mentorshipsPerSchool);
    const perMentor = Math.ceil(mentees.length / mentorStaff.length);
    const schoolMentors = mentorStaff.map((s) => {
      const m: WorldMentor = {
        id: next(K.mentor),
        staffId: s.id,
        institutionId: school.id,
        capacity: Math.min(30, perMentor + 2),
        specialties: [pick(rand, SPECIALTIES), pick(rand, SPECIALTIES)].filter((x, i, xs) => xs.indexOf(x) === i),
      };
      mentors.push(m);
      return m;
    });
    for (const [i, student] of mentees.entries()) {
      const mentor = schoolMentors[i % schoolMentors.length]!;
      const createdAt = `${dateOf(ms('2025-10-01') + Math.floor(rand() * 300) * DAY)}T10:00:00.000Z`;
      const ended = rand() < 0.1;
      const mentorship: WorldMentorship = {
        id: next(K.mentorship),
        mentorId: mentor.staffId,
        schoolId: school.id,
        studentId: student.id,
        focus: (['CLINICAL_PRACTICE', 'RESEARCH', 'CAREER'] as const)[i % 3]!,
        status: ended ? 'ENDED' : 'ACTIVE',
        createdAt,
        endedAt: ended ? '2026-11-30T12:00:00.000Z' : null,
      };
      mentorships.push(mentorship);
      const count = 2 + Math.floor(rand() * 3);
      for (let k = 0; k < count; k++) {
        const metOn = dateOf(Date.parse(createdAt) + (k + 1) * 30 * DAY);
        if (ms(metOn) > asOfMs) break;
        meetings.push({
          id: next(K.meeting),
          mentorshipId: mentorship.id,
          metOn,
          attendeeIds: [mentor.staffId, student.id],
          loggedBy: mentor.staffId,
        });
      }
      const goalCount = 1 + Math.floor(rand() * 2);
      for (let k = 0; k < goalCount; k++) {
        goals.push({
          id: next(K.goal),
          studentId: student.id,
          title: [
            'Lead a ward round handover',
            'Present a case at the journal club',
            'Complete ten supervised procedures',
            'Submit a research abstract',
          ][(i + k) % 4]!,
          status: k === 0 ? 'IN_PROGRESS' : 'OPEN',
          targetDate: dateOf(ms('2027-03-01') + Math.floor(rand() * 120) * DAY),
          proposedBy: mentor.staffId,
          createdAt,
        });
      }
    }
  }

  return {
    scale,
    seed,
    spec,
    asOf,
    graceDays,
    institutions: [...schools, ...hospitals],
    departments,
    staff,
    students,
    agreements,
    programs,
    enrollments,
    postProfiles,
    blocks,
    capacities,
    placements,
    tasks,
    mentors,
    mentorships,
    meetings,
    goals,
    published: {},
  };
}

/** The record counts of a world (printed by the seed and compared by the determinism test). */
export function worldCounts(world: ScaleWorld) {
  const submitted = world.tasks.filter((t) => t.status === 'SUBMITTED');
  return {
    schools: world.institutions.filter((i) => i.kind === 'SCHOOL').length,
    hospitals: world.institutions.filter((i) => i.kind === 'HOSPITAL').length,
    departments: world.departments.length,
    students: world.students.length,
    staff: world.staff.length,
    agreements: world.agreements.length,
    postProfiles: world.postProfiles.length,
    blocks: world.blocks.length,
    placements: world.placements.length,
    tasks: world.tasks.length,
    submissions: submitted.length,
    evaluations: submitted.filter((t) => t.role === 'SITE_EVALUATION' || t.role === 'TEACHER_EVALUATION').length,
    mentorships: world.mentorships.length,
    meetings: world.meetings.length,
    goals: world.goals.length,
  };
}

/** A digest of every record of a world (the determinism test compares two builds). */
export function worldDigest(world: ScaleWorld): string {
  const hash = createHash('sha256');
  const { placements, tasks, published: _published, ...rest } = world;
  hash.update(JSON.stringify(rest));
  for (const p of placements) hash.update(JSON.stringify(p));
  for (const { placement, ...t } of tasks) hash.update(`${JSON.stringify(t)}${placement.id}`);
  return hash.digest('hex');
}

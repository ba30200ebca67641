/**
 * Public shapes of the allocation engine: the input snapshot, the options and the results.
 *
 * The snapshot is plain data (ids are opaque strings) so that a run can be stored, hashed and
 * replayed: the rotations service builds it from its tables, this package never reads a database.
 */

/** A rotation block (period). The order of `AllocationInput.blocks` is the calendar order. */
export interface BlockInput {
  id: string;
  /** Shown in explanations ("block 3" when absent). */
  label?: string;
  /**
   * A break in the calendar (holidays, an exam period) separates this block from the previous
   * one in `AllocationInput.blocks`: no rotation longer than one block spans it. Blocks are
   * otherwise consecutive in the order given.
   */
  gapBefore?: boolean;
}

/** How many blocks of one specialty a student must (and may) do. */
export interface SpecialtyRequirement {
  specialty: string;
  /** At least this many blocks (0 allowed: the specialty is then only capped). */
  minBlocks: number;
  /** At most this many blocks; defaults to `minBlocks`. */
  maxBlocks?: number;
  /**
   * Blocks one rotation of this specialty lasts (default 1): a rotation occupies this many
   * consecutive blocks (see `BlockInput.gapBefore`) at one department, holding a seat in each.
   * `minBlocks` and `maxBlocks` still count blocks and must be multiples of it.
   */
  durationBlocks?: number;
}

/**
 * "Complete k of this set": between `minBlocks` and `maxBlocks` (default `minBlocks`) blocks
 * among these specialties, on top of each specialty's own bounds (an unlisted one is capped by
 * `electiveMaxBlocks`, so with a cap of 1, "2 blocks of the set" is "2 of its specialties"). The
 * engine chooses which, by the student's preferences. A specialty belongs to at most one group
 * of a student.
 */
export interface SpecialtyGroupRequirement {
  specialties: string[];
  minBlocks: number;
  maxBlocks?: number;
  /** Shown in messages ("core electives"…). */
  label?: string;
}

/** What a student's allocation must contain. */
export interface RequirementInput {
  /** Exact number of blocks the student is placed in (may be fewer than all blocks). */
  blocksToFill: number;
  /** Required (or capped) specialties. */
  specialties: SpecialtyRequirement[];
  /**
   * Blocks allowed in each specialty not listed in `specialties` (electives). Required, so that
   * no caller places a student in an unrequired specialty by accident: 0 forbids electives.
   */
  electiveMaxBlocks: number;
  /**
   * At most this many blocks at any one department (1: never the same department twice). For a
   * specialty whose rotation lasts d blocks it counts rotations: d blocks each (with 1, one
   * 2-block surgery rotation at a department, never a second one there).
   * Absent: only the specialty's maximum bounds repeats, so a department repeats only as far as
   * a requirement asks for that many blocks of its specialty.
   */
  departmentMaxBlocks?: number;
  /** Requirement groups ("2 of {neurology, dermatology, ENT}"). */
  groups?: SpecialtyGroupRequirement[];
}

export interface StudentInput {
  id: string;
  schoolId: string;
  trackId?: string | null;
  /**
   * Lottery priority tier: higher tiers choose first (ties broken by the seeded draw). The
   * OPTIMAL mechanism treats every student alike and ignores it. Default 0.
   */
  priority?: number;
  requirement: RequirementInput;
  /** Shown in explanations only. */
  name?: string;
}

/** Seats a hospital department offers in one block (optionally reserved for one school). */
export interface SiteInput {
  departmentId: string;
  hospitalId: string;
  specialty: string;
  blockId: string;
  seats: number;
  /** When set, only students of this school may take these seats. */
  schoolId?: string | null;
  departmentName?: string;
  hospitalName?: string;
}

/**
 * One line of a student's ranking. Names a department or a whole specialty (exactly one), and
 * optionally one block. Rank 1 is best. Ranks need not be unique: a student may rank within each
 * specialty (rank 1 for the favourite site of every specialty). A site's rank for a student is the
 * best rank of the lines that match it; a site no line matches is "unranked".
 */
export interface PreferenceInput {
  studentId: string;
  rank: number;
  departmentId?: string | null;
  specialty?: string | null;
  blockId?: string | null;
}

/** The student must be at this department in this block (a placement decided by hand). */
export interface PinInput {
  studentId: string;
  departmentId: string;
  blockId: string;
}

/** The student may not be placed at a department or at a whole hospital (in one block or all). */
export interface BarInput {
  studentId: string;
  departmentId?: string | null;
  hospitalId?: string | null;
  blockId?: string | null;
  /** Shown in explanations ("conflict of interest", "needs step-free access"…). */
  reason?: string;
}

/**
 * A block in which the student cannot be placed at all (leave, exams, a research month). Stated
 * once per student and block rather than as a bar per hospital: the model then keeps the
 * student's places aggregated over the blocks they are available in (see
 * docs/adr/0004-allocation-model.md), where per-block bars split them into one column per block.
 */
export interface UnavailableInput {
  studentId: string;
  blockId: string;
  /** Shown in explanations and reasons ("parental leave", "USMLE Step 2"…). */
  reason?: string;
}

/** Students who must be placed together: same department in every block, same blocks. */
export interface PairInput {
  studentIds: string[];
}

/** A prerequisite already resolved: the student may take `specialty` only from this block on. */
export interface PrerequisiteInput {
  studentId: string;
  specialty: string;
  notBeforeBlockId: string;
}

/**
 * A department the caller knows, whether or not it offers seats in this run: references to it
 * (preferences, bars, pins) are valid, and its names are used in messages.
 */
export interface DepartmentInput {
  departmentId: string;
  hospitalId: string;
  specialty: string;
  departmentName?: string;
  hospitalName?: string;
}

/**
 * Relative precedence: every block of `before` comes earlier than every block of `after` (when
 * the student does both), e.g. internal medicine before any elective, surgery before
 * anaesthesia. For one student, or for every student when `studentId` is absent.
 */
export interface PrecedenceInput {
  studentId?: string | null;
  before: string;
  after: string;
}

/**
 * A hospital's limit on how many blocks one student spends there, whatever the departments (so
 * that a student sees more than one hospital in a year). Applies to every student; pins count
 * towards it. It counts blocks: a rotation of d blocks there counts d (ADR 0027).
 */
export interface HospitalLimitInput {
  hospitalId: string;
  /** At most this many blocks per student at the hospital (at least 1: use a bar to close it). */
  maxBlocksPerStudent: number;
}

/**
 * "At least `minStudents` students in a block, or none" at a department (teaching continuity).
 * A department and block whose minimum can never be met (fewer seats, or fewer students who may
 * go there) stays empty and is reported in `SolvedResult.understaffed`, rather than failing.
 */
export interface StaffingMinimumInput {
  departmentId: string;
  /** At least 2 (1 is no minimum). */
  minStudents: number;
  /** In this block only; in every block when absent (a line for one block overrides it there). */
  blockId?: string | null;
}

/** A department and block left empty because its minimum staffing could not be met. */
export interface UnderstaffedSite {
  departmentId: string;
  blockId: string;
  minStudents: number;
  /** In words, with names ("Cardiology (St Mary's) in Autumn 1 stays empty: …"). */
  message: string;
}

/** Everything one allocation run needs, and nothing else. */
export interface AllocationInput {
  blocks: BlockInput[];
  students: StudentInput[];
  sites: SiteInput[];
  preferences: PreferenceInput[];
  pins?: PinInput[];
  bars?: BarInput[];
  pairs?: PairInput[];
  prerequisites?: PrerequisiteInput[];
  /** "A before B" rules (relative, unlike `prerequisites`' fixed block). */
  precedences?: PrecedenceInput[];
  /** Blocks in which a student is not available (first-class availability, not bars). */
  unavailable?: UnavailableInput[];
  /** Per hospital, the most blocks one student may spend there (one line per hospital). */
  hospitalLimits?: HospitalLimitInput[];
  /** Departments that need at least m students in a block, or none. */
  staffingMinimums?: StaffingMinimumInput[];
  /**
   * Departments known besides those with sites (e.g. ranked, but offering no seat this year).
   * A preference, bar or pin naming a department, hospital or specialty that neither a site nor
   * this catalogue (nor, for specialties, a requirement or `specialties`) knows is refused.
   */
  departments?: DepartmentInput[];
  /** Specialty names known besides those of sites, departments and requirements. */
  specialties?: string[];
  /** Rank charged for an unranked site; default: the largest rank in `preferences` + 1. */
  unrankedRank?: number;
}

export type Mechanism = 'OPTIMAL' | 'LOTTERY';

/**
 * How OPTIMAL builds its integer programs (see docs/adr/0004-allocation-model.md). AUTO: the
 * decomposition (places, then blocks), with the full model as fallback when the block timetable
 * does not fit. DECOMPOSED: the decomposition only. MONOLITHIC: the full model only.
 */
export type OptimalStrategy = 'AUTO' | 'MONOLITHIC' | 'DECOMPOSED';

export interface SolveOptions {
  /** Wall-clock budget of one OPTIMAL run, all solves included. Default 300 s. */
  timeLimitSeconds?: number;
  /** Stop when the relative gap is at most this. Default 0 (prove optimality). */
  mipRelGap?: number;
  strategy?: OptimalStrategy;
  /**
   * Called with a fraction in [0, 1] (monotone), the current phase ('checks', 'lottery',
   * 'optimal', 'diagnosis', 'done') and, while OPTIMAL solves, the solver's figures.
   */
  onProgress?: (fraction: number, phase: string, detail?: ProgressDetail) => void;
  /** Checked between solves and phases; an aborted run rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Weights of the whole-schedule polish after each mechanism (schedule-polish.ts); defaults 1 and 1. */
  scheduleWeights?: Partial<ScheduleWeights>;
  /**
   * When OPTIMAL finds no complete allocation: leave out the students of each conflicting set
   * (with their pair partners) and return the best allocation of everyone else, as a PARTIAL
   * result listing them (place-others.ts, ADR 0045). Default false: the result is INFEASIBLE.
   */
  placeOthersWhenInfeasible?: boolean;
  /**
   * How large an instance must be (students × eligible sites at the loosest caps) for OPTIMAL to
   * draw its own warm start guided by the places relaxation, before any lottery (ADR 0073).
   * Default 150,000: year320 (483,273) and year1000 do, year80 (52,569) does not.
   */
  guidedDrawFrom?: number;
}

/**
 * How much one hospital change and one idle block cost in the whole-schedule polish (issue 14,
 * item 6). Both 0 turns the polish off. On equal cost, fewer hospital changes win.
 */
export interface ScheduleWeights {
  /** Cost of one change of hospital between a student's successive placements. Default 1. */
  hospitalChange: number;
  /** Cost of one idle block (available, unplaced, before the student's last placement). Default 1. */
  idleBlock: number;
}

/** What the whole-schedule polish did to one variation. */
export interface SchedulePolishFigures {
  /** The weights it used. */
  weights: ScheduleWeights;
  /** Moves applied (an exchange of two blocks counts once). */
  moves: number;
  /** Hospital changes and idle blocks of the mechanism's allocation, before the polish (`schedule` is after). */
  hospitalChangesBefore: number;
  idleBlocksBefore: number;
}

/** What the solver knows in the middle of an OPTIMAL solve (from HiGHS' MIP callbacks). */
export interface ProgressDetail {
  /** Objective of the best allocation found so far in the current solve (total rank), or null. */
  incumbent: number | null;
  /** Its relative gap to the solver's proven bound (0 = proven), or null when unknown. */
  gap: number | null;
  /** The worst rank (above each student's floor) the current attempt allows. */
  worstRank: number | null;
}

export interface VariationOptions extends SolveOptions {
  /** Seed of the lottery draw, published with the results. */
  seed: string;
  mechanisms?: Mechanism[];
  /** Number of LOTTERY draws (seed, seed#2, seed#3…). Default 1. */
  lotteryDraws?: number;
  /** Called with each variation as soon as it is finished, before the run returns them all. */
  onVariation?: (result: AllocationResult) => void;
}

export interface Assignment {
  studentId: string;
  blockId: string;
  departmentId: string;
  hospitalId: string;
  specialty: string;
  /** The site's rank for this student (the unranked rank when no preference matched). */
  rank: number;
}

export interface UnplacedStudent {
  studentId: string;
  reason: string;
}

export interface RankStats {
  students: number;
  assignments: number;
  meanRank: number | null;
  worstRank: number | null;
  /** Share of assignments at a rank-1 site (placements, not students). */
  firstChoiceShare: number | null;
  /** Share of placed students whose every assignment is at a rank-1 site. */
  studentFirstChoiceShare: number | null;
  unplaced: number;
}

export interface SchoolFairness extends RankStats {
  schoolId: string;
}

export interface HospitalFill {
  hospitalId: string;
  seats: number;
  filled: number;
  fillRate: number;
}

/** A rotation longer than one block in a result, named the way people read it. */
export interface RotationPlacement {
  studentId: string;
  specialty: string;
  departmentId: string;
  /** The consecutive blocks it spans, in calendar order. */
  blockIds: string[];
  /** "Surgery at St Mary's (Central), blocks 3–4". */
  text: string;
}

export interface AllocationMetrics {
  students: number;
  placedStudents: number;
  unplacedStudents: number;
  assignments: number;
  /**
   * Share of assignments (placements) at a rank-1 site. With ranks per block or per specialty a
   * placement's "first choice" is on that line's scale; see `studentFirstChoiceShare` for people.
   */
  firstChoiceShare: number;
  /** Placed students whose every assignment is at a rank-1 site. */
  studentsAtFirstChoice: number;
  /** studentsAtFirstChoice / placedStudents (0 when nobody is placed). */
  studentFirstChoiceShare: number;
  /** Assignments per rank (the unranked rank included). */
  rankDistribution: Record<number, number>;
  unrankedRank: number;
  /** Worst rank of any assignment (pins included). */
  worstRank: number | null;
  /**
   * OPTIMAL's first objective: the worst rank of a non-pinned assignment above its student's
   * floor (the worst rank the student would get alone with every seat free, forced by their own
   * bars, prerequisites and requirement). null when no assignment is above its floor.
   */
  worstRankBeyondFloor: number | null;
  meanRank: number | null;
  totalRank: number;
  seats: number;
  unfilledSeats: number;
  bySchool: SchoolFairness[];
  byHospital: HospitalFill[];
  /** Rotations longer than one block, by student and start (absent when the input has none). */
  rotations?: RotationPlacement[];
  /**
   * Whole-schedule figures (issue 14, item 6), measured from the assignments alone so that every
   * mechanism is compared alike. After the mechanism (worst rank, then total rank, ADR 0004 §3),
   * a polish lowers them without changing any rank (ADR 0038); these are the figures after it.
   */
  schedule: ScheduleFigures;
  /** What the whole-schedule polish changed (ranks never: it keeps every placement's rank). */
  schedulePolish?: SchedulePolishFigures;
}

/** How students' whole schedules look, over the placed students. */
export interface ScheduleFigures {
  /** Changes of hospital between a student's successive placements in calendar order, summed over students. */
  hospitalChanges: number;
  /** Blocks a student is available but has no placement, before their last placed block, summed over students. */
  idleBlocks: number;
  /** The largest sum of ranks over one student's schedule (the max of max-min fairness on totals); null when nobody is placed. */
  worstStudentTotalRank: number | null;
  /** The smallest such sum; null when nobody is placed. */
  bestStudentTotalRank: number | null;
}

/** Why one better-ranked option in a block was not given to the student. */
export type MissedReason =
  | 'FULL'
  | 'BARRED'
  | 'UNAVAILABLE'
  | 'PREREQUISITE'
  | 'OTHER_SCHOOL'
  | 'SPECIALTY_NOT_ALLOWED'
  | 'SCHEDULE'
  | 'PAIR'
  /** The student already has as many blocks at that hospital as it takes one student for. */
  | 'HOSPITAL_LIMIT'
  /** The department needs more students in that block than could be placed there together. */
  | 'STAFFING';

export interface MissedChoice {
  rank: number;
  departmentId: string;
  reason: MissedReason;
  seats: number;
  /** Students placed there who ranked it better than this student did. */
  rankedHigher: number;
  rankedSame: number;
  rankedLower: number;
  /** LOTTERY: students placed there who drew an earlier lottery position. */
  earlierInLottery?: number;
}

export interface AssignmentExplanation {
  blockId: string;
  departmentId: string;
  rank: number;
  /** The rotation longer than one block this block belongs to ("Surgery at St Mary's (Central), blocks 3–4"). */
  rotation?: string;
  missed: MissedChoice[];
  text: string;
}

export interface StudentExplanation {
  studentId: string;
  /** Plain English: a summary line, then one line per block below a first choice or fixed by hand. */
  text: string;
  assignments: AssignmentExplanation[];
}

export interface SolverReport {
  strategy: 'MONOLITHIC' | 'DECOMPOSED' | 'LOTTERY';
  /**
   * Relative gap of the total rank against the best proven bound at this worst rank: 0 when
   * optimal, null when no bound is known (LOTTERY, or a limit reached before any bound).
   */
  gap: number | null;
  timeLimitReached: boolean;
  /** The worst rank above the floors is proven minimal (every smaller one was shown infeasible). */
  worstRankProven: boolean;
  /** Lower bound on the total rank at this worst rank. */
  bound: number | null;
  seconds: number;
  solves: number;
  notes: string[];
}

/** The report of a mechanism that proved nothing: no gap, no bound, no solver call (a lottery draw, or a solver that aborted). */
export function reportWithoutBound(strategy: SolverReport['strategy'], seconds: number, notes: string[]): SolverReport {
  return { strategy, gap: null, timeLimitReached: false, worstRankProven: false, bound: null, seconds, solves: 0, notes };
}

export type InfeasibilityKind =
  | 'REQUIREMENT_EXCEEDS_BLOCKS'
  | 'REQUIREMENT_INCONSISTENT'
  | 'NO_ELIGIBLE_SITE'
  | 'TOO_FEW_ELIGIBLE_BLOCKS'
  | 'PIN_CONFLICT'
  | 'PIN_OVER_CAPACITY'
  | 'PAIR_INCOMPATIBLE'
  | 'PAIR_NO_COMMON_SITE'
  | 'SPECIALTY_CAPACITY'
  | 'BLOCK_CAPACITY'
  | 'SEAT_SHORTAGE'
  | 'STUDENT_CANNOT_COMPLETE'
  | 'CONFLICTING_SET'
  | 'UNDERSTAFFED'
  | 'TIME_LIMIT';

export interface InfeasibilityReason {
  kind: InfeasibilityKind;
  message: string;
  studentIds?: string[];
  specialty?: string;
  blockId?: string;
  departmentId?: string;
  /** How much is missing (seats, blocks), when it is a count. */
  shortfall?: number;
  /**
   * CONFLICTING_SET: the constraints that cannot all hold together (a deletion filter's result;
   * `minimal` when every check answered in time: lifting any one of them lets the others hold).
   */
  conflict?: {
    studentIds: string[];
    seats: { departmentId: string; blockId: string; seats: number }[];
    minimal: boolean;
    /** Every constraint of the set, one by one, in words (names, never ids). */
    parts: ConflictPart[];
  };
}

/** The kinds of constraint a conflicting set is made of (optimal/conflict-parts.ts). */
export type ConflictPartKind =
  /** The student is placed in their blocks to fill (with their specialty minimums and groups). */
  | 'PLACEMENT'
  | 'SPECIALTY_MINIMUM'
  | 'SPECIALTY_MAXIMUM'
  /** A specialty's rotations last several consecutive blocks. */
  | 'ROTATION_LENGTH'
  /** The cap on blocks in each specialty not required (`electiveMaxBlocks`). */
  | 'ELECTIVES'
  | 'GROUP'
  /** `departmentMaxBlocks`. */
  | 'DEPARTMENT_LIMIT'
  | 'PIN'
  | 'BAR'
  | 'UNAVAILABLE'
  | 'PREREQUISITE'
  | 'PRECEDENCE'
  | 'PAIR'
  | 'HOSPITAL_LIMIT'
  | 'STAFFING_MINIMUM'
  | 'SEATS';

/** One constraint of a conflicting set. */
export interface ConflictPart {
  kind: ConflictPartKind;
  /** In words, with names ("Alex Kim's bar from St Mary's Hospital (conflict of interest)"). */
  text: string;
  /** The students it binds (one, or a pair's members); absent for hospital limits, staffing and seats. */
  studentIds?: string[];
  departmentId?: string;
  hospitalId?: string;
  blockId?: string;
  specialty?: string;
  /** GROUP: the group's specialties; PRECEDENCE: the one before, then the one after. */
  specialties?: string[];
}

interface ResultBase {
  mechanism: Mechanism;
  inputHash: string;
  /** LOTTERY: the published seed the draw is reproducible from. */
  seed?: string;
}

export interface SolvedResult extends ResultBase {
  /**
   * OPTIMAL: proven lexicographic optimum. FEASIBLE: an allocation of every student whose
   * optimality is not proven (see `solver.gap`). PARTIAL: LOTTERY left students unplaced, or
   * OPTIMAL left out conflicting students at the caller's request (`leftOut`).
   */
  status: 'OPTIMAL' | 'FEASIBLE' | 'PARTIAL';
  assignments: Assignment[];
  unplaced: UnplacedStudent[];
  metrics: AllocationMetrics;
  explanations: StudentExplanation[];
  solver: SolverReport;
  /** LOTTERY: student ids in the order they chose. */
  lotteryOrder?: string[];
  /** Departments and blocks left empty because their minimum staffing could not be met (absent when none). */
  understaffed?: UnderstaffedSite[];
  /**
   * OPTIMAL with `placeOthersWhenInfeasible`: the conflicting sets whose students were left out
   * (they are in `unplaced`) so that everyone else could be placed; absent otherwise.
   */
  leftOut?: InfeasibilityReason[];
}

export interface InfeasibleResult extends ResultBase {
  status: 'INFEASIBLE';
  reasons: InfeasibilityReason[];
}

/** The time limit ran out before any complete allocation was found. */
export interface TimedOutResult extends ResultBase {
  status: 'TIMED_OUT';
  reasons: InfeasibilityReason[];
  solver: SolverReport;
}

export type AllocationResult = SolvedResult | InfeasibleResult | TimedOutResult;

export interface VariationsResult {
  inputHash: string;
  seed: string;
  variations: AllocationResult[];
}

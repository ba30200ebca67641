import { randomBytes, randomUUID } from 'node:crypto';
import {
  AllocationInputError,
  type AllocationInput,
  canonicalizeInput,
  hashAllocationInput,
  parseAllocationInput,
} from '@medcollab/allocation';
import { BadUserInputError, ConflictError, NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { buildSnapshot, loadRunBlocks } from './snapshot';
import { type StartAllocationRunInput } from './validation';

/** Lifecycle of a run: the request queues it, the worker moves it on. */
export type RunStatus = 'QUEUED' | 'RUNNING' | 'CANCELLING' | 'CANCELLED' | 'SUCCEEDED' | 'INFEASIBLE' | 'FAILED';
export type MechanismName = 'OPTIMAL' | 'LOTTERY';

/** A run as stored (input omitted: only the worker needs it). */
export interface AllocationRunRow {
  id: string;
  schoolId: string;
  academicYear: string | null;
  blockIds: string[];
  mechanism: MechanismName;
  seed: string;
  status: RunStatus;
  progress: number;
  inputHash: string;
  infeasibility: unknown;
  error: string | null;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  publishedVariation: MechanismName | null;
  publishedAt: Date | null;
  /** The run whose publication replaced this one's (issue #14); null while it stands. */
  supersededBy: string | null;
  progressPhase: string | null;
  progressDetail: { incumbent: number | null; gap: number | null; worstRank: number | null } | null;
  heartbeatAt: Date | null;
}

export const RUN_COLUMNS = `id, school_id AS "schoolId", academic_year AS "academicYear", block_ids AS "blockIds", mechanism, seed, status, progress,
  input_hash AS "inputHash", infeasibility, error, requested_by AS "requestedBy", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt", published_variation AS "publishedVariation", published_at AS "publishedAt",
  superseded_by AS "supersededBy", progress_phase AS "progressPhase", progress_detail AS "progressDetail", heartbeat_at AS "heartbeatAt"`;

/**
 * Records a QUEUED run with its frozen input snapshot, in the caller's transaction. No solver
 * work and no Redis here: the rotations worker claims QUEUED runs.
 */
export async function queueAllocationRun(
  em: EntityManager,
  input: StartAllocationRunInput,
  actorId: string,
  opts: { id?: string } = {},
): Promise<AllocationRunRow> {
  const blocks = await loadRunBlocks(em, input.schoolId, input);
  if (!blocks.length)
    throw new BadUserInputError('The run covers no block of the school', { field: input.blockIds ? 'blockIds' : 'academicYear' });
  if (input.blockIds && blocks.length !== input.blockIds.length) {
    throw new BadUserInputError("Every block must be in the school's calendar", {
      field: 'blockIds',
      blockIds: input.blockIds.filter((b) => !blocks.some((x) => x.id === b)),
    });
  }
  await assertKnownPlaces(em, input);
  await assertKnownLimitedHospitals(em, input);
  await assertKnownStaffedDepartments(em, input);
  const outsideMinimum = input.staffingMinimums.findIndex((m) => m.blockId !== null && !blocks.some((b) => b.id === m.blockId));
  if (outsideMinimum >= 0)
    throw new BadUserInputError('A staffing minimum names a block the run does not cover', {
      field: `staffingMinimums.${outsideMinimum}.blockId`,
    });
  const outside = input.unavailable.findIndex((u) => !blocks.some((b) => b.id === u.blockId));
  if (outside >= 0)
    throw new BadUserInputError('An unavailability names a block the run does not cover', { field: `unavailable.${outside}.blockId` });
  const raw = await buildSnapshot(em, {
    schoolId: input.schoolId,
    blocks,
    exemptions: input.exemptions,
    pairs: input.pairs,
    unavailable: input.unavailable,
    hospitalLimits: input.hospitalLimits,
    staffingMinimums: input.staffingMinimums,
  });
  assertNamedStudentsInRun(
    raw.students.map((st) => st.id),
    input,
  );
  assertRotationsFit(raw, blocks.length);
  const snapshot = canonicalizeInput(parseSnapshot(raw));
  const id = opts.id ?? randomUUID();
  const seed = input.options.seed ?? randomBytes(8).toString('hex');
  await em.query(
    `INSERT INTO allocation_run (id, school_id, academic_year, block_ids, mechanism, seed, options, status, input, input_hash, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'QUEUED', $8, $9, $10)`,
    [
      id,
      input.schoolId,
      input.academicYear,
      blocks.map((b) => b.id),
      input.mechanism,
      seed,
      JSON.stringify(input.options),
      JSON.stringify(snapshot),
      hashAllocationInput(snapshot),
      actorId,
    ],
  );
  return (await findAllocationRun(em, id))!;
}

/** A snapshot the engine refuses (e.g. a pin at a department the school has no seat at) is the caller's input. */
function parseSnapshot(raw: unknown): ReturnType<typeof parseAllocationInput> {
  try {
    return parseAllocationInput(raw);
  } catch (error) {
    if (error instanceof AllocationInputError) throw new BadUserInputError(error.message, { issues: error.issues });
    throw error;
  }
}

/**
 * A required rotation longer than the run's blocks can never be placed: refused before anything
 * is queued, naming the specialty (the engine would only say the snapshot is malformed).
 */
function assertRotationsFit(snapshot: AllocationInput, blockCount: number): void {
  const tooLong = new Map<string, number>();
  for (const st of snapshot.students)
    for (const r of st.requirement.specialties)
      if ((r.durationBlocks ?? 1) > blockCount) tooLong.set(r.specialty, Math.max(tooLong.get(r.specialty) ?? 0, r.durationBlocks!));
  const [first] = [...tooLong.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (first)
    throw new BadUserInputError(
      `A ${first[0]} rotation lasts ${first[1]} consecutive blocks, more than the ${blockCount} block${blockCount === 1 ? '' : 's'} this run covers`,
      { specialty: first[0], durationBlocks: first[1] },
    );
}

/** Exemptions, pairs and unavailabilities may only name students the run places. */
function assertNamedStudentsInRun(studentIds: string[], input: StartAllocationRunInput): void {
  const inRun = new Set(studentIds);
  const named = [
    ...input.exemptions.map((e, i) => ({ studentId: e.studentId, field: `exemptions.${i}.studentId` })),
    ...input.pairs.flatMap((p, i) => p.studentIds.map((studentId) => ({ studentId, field: `pairs.${i}.studentIds` }))),
    ...input.unavailable.map((u, i) => ({ studentId: u.studentId, field: `unavailable.${i}.studentId` })),
  ];
  const stranger = named.find((n) => !inRun.has(n.studentId));
  if (stranger)
    throw new BadUserInputError(`Student ${stranger.studentId} is not one of the students this run places`, { field: stranger.field });
}

/** Exemptions may only name departments and hospitals rotations knows (from the network's events); names the unknown ones. */
async function assertKnownPlaces(em: EntityManager, input: StartAllocationRunInput): Promise<void> {
  const departmentIds = [...new Set(input.exemptions.flatMap((e) => (e.departmentId ? [e.departmentId] : [])))];
  const hospitalIds = [...new Set(input.exemptions.flatMap((e) => (e.hospitalId ? [e.hospitalId] : [])))];
  if (!departmentIds.length && !hospitalIds.length) return;
  const known = (await em.query(
    `SELECT id, institution_id AS "hospitalId" FROM known_department WHERE id = ANY($1::uuid[]) OR institution_id = ANY($2::uuid[])`,
    [departmentIds, hospitalIds],
  )) as { id: string; hospitalId: string }[];
  const unknownDepartments = departmentIds.filter((id) => !known.some((d) => d.id === id));
  const unknownHospitals = hospitalIds.filter((id) => !known.some((d) => d.hospitalId === id));
  if (!unknownDepartments.length && !unknownHospitals.length) return;
  const named = [...unknownDepartments.map((id) => `department ${id}`), ...unknownHospitals.map((id) => `hospital ${id}`)];
  const first = input.exemptions.findIndex(
    (e) => unknownDepartments.includes(e.departmentId ?? '') || unknownHospitals.includes(e.hospitalId ?? ''),
  );
  throw new BadUserInputError(`Exemptions name places rotations does not know: ${named.join(', ')}`, {
    field: `exemptions.${first}.${unknownDepartments.includes(input.exemptions[first]!.departmentId ?? '') ? 'departmentId' : 'hospitalId'}`,
    unknownDepartmentIds: unknownDepartments,
    unknownHospitalIds: unknownHospitals,
  });
}

/** Hospital limits may only name hospitals rotations knows; names the unknown ones. */
async function assertKnownLimitedHospitals(em: EntityManager, input: StartAllocationRunInput): Promise<void> {
  const hospitalIds = input.hospitalLimits.map((l) => l.hospitalId);
  if (!hospitalIds.length) return;
  const known = (await em.query(
    `SELECT DISTINCT institution_id AS "hospitalId" FROM known_department WHERE institution_id = ANY($1::uuid[])`,
    [hospitalIds],
  )) as { hospitalId: string }[];
  const unknown = hospitalIds.filter((id) => !known.some((k) => k.hospitalId === id));
  if (!unknown.length) return;
  throw new BadUserInputError(`Hospital limits name hospitals rotations does not know: ${unknown.join(', ')}`, {
    field: `hospitalLimits.${hospitalIds.indexOf(unknown[0]!)}.hospitalId`,
    unknownHospitalIds: unknown,
  });
}

/** Staffing minimums may only name departments rotations knows; names the unknown ones. */
async function assertKnownStaffedDepartments(em: EntityManager, input: StartAllocationRunInput): Promise<void> {
  const departmentIds = input.staffingMinimums.map((m) => m.departmentId);
  if (!departmentIds.length) return;
  const known = (await em.query(`SELECT id FROM known_department WHERE id = ANY($1::uuid[])`, [departmentIds])) as { id: string }[];
  const unknown = [...new Set(departmentIds.filter((id) => !known.some((k) => k.id === id)))];
  if (!unknown.length) return;
  throw new BadUserInputError(`Staffing minimums name departments rotations does not know: ${unknown.join(', ')}`, {
    field: `staffingMinimums.${departmentIds.indexOf(unknown[0]!)}.departmentId`,
    unknownDepartmentIds: unknown,
  });
}

export async function findAllocationRun(db: EntityManager | DataSource, id: string): Promise<AllocationRunRow | null> {
  const [row] = (await db.query(`SELECT ${RUN_COLUMNS} FROM allocation_run WHERE id = $1`, [id])) as AllocationRunRow[];
  return row ?? null;
}

/** Asks the worker to stop: QUEUED runs are cancelled at once, RUNNING ones become CANCELLING. */
export async function cancelAllocationRun(
  em: EntityManager,
  id: string,
  authorize: (run: AllocationRunRow) => void,
): Promise<AllocationRunRow> {
  const [locked] = (await em.query(`SELECT ${RUN_COLUMNS} FROM allocation_run WHERE id = $1 FOR UPDATE`, [id])) as AllocationRunRow[];
  if (!locked) throw new NotFoundError('Allocation run', id);
  authorize(locked);
  if (locked.status === 'QUEUED') {
    await em.query(`UPDATE allocation_run SET status = 'CANCELLED', finished_at = now() WHERE id = $1`, [id]);
  } else if (locked.status === 'RUNNING') {
    await em.query(`UPDATE allocation_run SET status = 'CANCELLING' WHERE id = $1`, [id]);
  } else if (locked.status !== 'CANCELLING') {
    throw new ConflictError(`The run has already finished (${locked.status})`, { reason: 'INVALID_TRANSITION', status: locked.status });
  }
  return (await findAllocationRun(em, id))!;
}

/** One variation's stored results. */
export interface VariationRow {
  runId: string;
  mechanism: MechanismName;
  status: string;
  seed: string | null;
  metrics: Record<string, unknown> | null;
  assignments: { studentId: string; blockId: string; departmentId: string; hospitalId: string; specialty: string; rank: number }[];
  explanations: { studentId: string; text: string }[];
  reasons: { kind: string; message: string }[];
}

export async function loadVariations(db: EntityManager | DataSource, runId: string): Promise<VariationRow[]> {
  return (await db.query(
    `SELECT run_id AS "runId", mechanism, status, seed, metrics, assignments, explanations, reasons FROM allocation_variation WHERE run_id = $1 ORDER BY mechanism DESC`,
    [runId],
  )) as VariationRow[];
}

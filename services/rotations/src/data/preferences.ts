import { randomUUID } from 'node:crypto';
import { PreferencesSubmitted, PreferenceWindowOpened } from '@medcollab/events';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { refusal } from '../domain/refusals';
import { assertValidRanking, assertWindowOpen } from '../domain/preference-rules';
import { type OpenPreferenceWindowInput, type SubmitPreferencesInput } from '../domain/validation';
import { type KnownStudent, PreferenceWindow, RotationBlock, RotationPreference } from '../entities';
import { type EventMeta, outbox } from '../outbox';

/**
 * Opens (or moves) the school's preference window for an academic year: one window per school and
 * year. PreferenceWindowOpened goes out in the same transaction (notifications reminds students).
 */
export async function openPreferenceWindow(
  em: EntityManager,
  input: OpenPreferenceWindowInput,
  opts: { id?: string; now?: Date; meta?: EventMeta } = {},
): Promise<PreferenceWindow> {
  await em.query(
    `INSERT INTO preference_window (id, school_id, academic_year, opens_at, closes_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (school_id, academic_year) DO UPDATE SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at`,
    [opts.id ?? randomUUID(), input.schoolId, input.academicYear, input.opensAt, input.closesAt],
  );
  const window = await em.getRepository(PreferenceWindow).findOneByOrFail({ schoolId: input.schoolId, academicYear: input.academicYear });
  await outbox.append(
    em,
    PreferenceWindowOpened,
    window.id,
    {
      windowId: window.id,
      schoolId: window.schoolId,
      academicYear: window.academicYear,
      opensAt: window.opensAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
      at: (opts.now ?? new Date()).toISOString(),
    },
    opts.meta,
  );
  return window;
}

export const findPreferenceWindow = (
  db: EntityManager | DataSource,
  schoolId: string,
  academicYear: string,
): Promise<PreferenceWindow | null> => db.getRepository(PreferenceWindow).findOneBy({ schoolId, academicYear });

/** Every named block must be in the school's calendar of that academic year. */
async function assertBlocksInCalendar(em: EntityManager, student: KnownStudent, academicYear: string, blockIds: string[]): Promise<void> {
  if (!blockIds.length) return;
  const found = await em.getRepository(RotationBlock).findBy({ id: In(blockIds), schoolId: student.schoolId, academicYear });
  const missing = blockIds.filter((id) => !found.some((b) => b.id === id));
  if (missing.length)
    throw refusal('BLOCK_NOT_IN_CALENDAR', `Blocks must be in the school's ${academicYear} calendar`, { blockIds: missing });
}

/** Every named department must be one an ACTIVE agreement of the school covers (at any time). */
async function assertDepartmentsReachable(em: EntityManager, schoolId: string, departmentIds: string[]): Promise<void> {
  if (!departmentIds.length) return;
  const rows = (await em.query(
    `SELECT DISTINCT d FROM known_agreement, unnest(department_ids) AS d WHERE school_id = $1 AND status = 'ACTIVE' AND d = ANY($2::uuid[])`,
    [schoolId, departmentIds],
  )) as { d: string }[];
  const missing = departmentIds.filter((id) => !rows.some((r) => r.d === id));
  if (missing.length)
    throw refusal('NO_AGREEMENT', 'No active agreement of the school covers these departments', { departmentIds: missing });
}

/**
 * Replaces the student's ranking for the year, only while the school's window is open. The
 * window row is read under a share lock so a coordinator closing it waits for submissions in
 * flight (and vice versa).
 */
export async function submitPreferences(
  em: EntityManager,
  student: KnownStudent,
  input: SubmitPreferencesInput,
  now: Date,
  meta?: EventMeta,
): Promise<RotationPreference[]> {
  const window = await em
    .getRepository(PreferenceWindow)
    .createQueryBuilder('w')
    .setLock('pessimistic_read')
    .where('w.school_id = :schoolId AND w.academic_year = :year', { schoolId: student.schoolId, year: input.academicYear })
    .getOne();
  assertWindowOpen(window, now);
  assertValidRanking(input.rankings);
  await assertBlocksInCalendar(em, student, input.academicYear, [
    ...new Set(input.rankings.flatMap((r) => (r.blockId ? [r.blockId] : []))),
  ]);
  await assertDepartmentsReachable(em, student.schoolId, [
    ...new Set(input.rankings.flatMap((r) => (r.departmentId ? [r.departmentId] : []))),
  ]);

  const repo = em.getRepository(RotationPreference);
  await repo.delete({ studentId: student.id, academicYear: input.academicYear });
  const rows = input.rankings
    .slice()
    .sort((a, b) => a.rank - b.rank)
    .map((r) =>
      repo.create({
        id: randomUUID(),
        studentId: student.id,
        schoolId: student.schoolId,
        academicYear: input.academicYear,
        ...r,
        submittedAt: now,
      }),
    );
  await repo.insert(rows);
  await outbox.append(
    em,
    PreferencesSubmitted,
    window!.id,
    {
      windowId: window!.id,
      schoolId: student.schoolId,
      academicYear: input.academicYear,
      studentId: student.id,
      submittedAt: now.toISOString(),
    },
    meta,
  );
  return rows;
}

/** Who of the school has ranked for the year, and who has not (by id). */
export async function preferenceProgress(
  ds: DataSource,
  schoolId: string,
  academicYear: string,
): Promise<{ submitted: number; missingStudentIds: string[] }> {
  const rows = (await ds.query(
    `SELECT s.id, EXISTS (SELECT 1 FROM rotation_preference p WHERE p.student_id = s.id AND p.academic_year = $2) AS submitted
       FROM known_student s WHERE s.school_id = $1 ORDER BY s.id`,
    [schoolId, academicYear],
  )) as { id: string; submitted: boolean }[];
  return { submitted: rows.filter((r) => r.submitted).length, missingStudentIds: rows.filter((r) => !r.submitted).map((r) => r.id) };
}

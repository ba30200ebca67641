import { type DataSource } from 'typeorm';
import { type Observation } from '../domain/levels';

/** An observation as progress and readiness read it, with the student it is evidence of. */
export interface StudentObservation extends Observation {
  studentId: string;
}

interface Raw {
  student_id: string;
  competency_id: string;
  submission_id: string;
  observed_ms: number;
  scale_type: Observation['scaleType'];
  entrustment_mode: Observation['entrustmentMode'];
  scale_min: number;
  scale_max: number;
  value: number;
}

/**
 * The portfolio's largest read (hundreds of rows a student on the large world), so only the
 * columns the levels need, and the time as epoch milliseconds: pg's timestamp parser was the
 * costliest part of each row, and whole milliseconds are what it answered (it truncates).
 * Same order as before (ADR 0065).
 */
const SQL = `SELECT student_id, competency_id, submission_id, floor(extract(epoch FROM observed_at) * 1000)::float8 AS observed_ms,
       scale_type, entrustment_mode, scale_min, scale_max, value
  FROM competency_observation WHERE student_id = ANY($1::uuid[]) ORDER BY observed_at ASC, submission_id ASC`;

/** The observations of the students, oldest first (one statement). */
export async function observationsOfStudents(ds: DataSource, studentIds: readonly string[]): Promise<StudentObservation[]> {
  const rows = (await ds.query(SQL, [studentIds])) as Raw[];
  return rows.map((r) => ({
    studentId: r.student_id,
    competencyId: r.competency_id,
    submissionId: r.submission_id,
    observedAt: new Date(r.observed_ms),
    scaleType: r.scale_type,
    entrustmentMode: r.entrustment_mode,
    min: r.scale_min,
    max: r.scale_max,
    value: r.value,
  }));
}

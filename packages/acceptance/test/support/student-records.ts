import { type WholeNetwork } from './whole-network';

/** The GraphQL types that are part of a student's record, and how each row leads to its students. */
export const STUDENT_RECORD_TYPES = [
  'Student',
  'Placement',
  'AssessmentTask',
  'Submission',
  'Mentorship',
  'DevelopmentGoal',
  'SwapRequest',
] as const;
export type StudentRecordType = (typeof STUDENT_RECORD_TYPES)[number];

/**
 * Who may see each student's record at institution level, read straight from the services'
 * databases (the oracle, independent of any resolver): the student's school, every hospital
 * that hosts one of their placements, and the institution of each of their mentors.
 */
export interface StudentRecordOracle {
  /** The students a row of a record type is about (empty when the row is unknown). */
  studentsOf(type: StudentRecordType, id: string): string[];
  /** May an institution's staff see this student's record at all? */
  institutionMaySee(institutionId: string, studentId: string): boolean;
  /** Row ids per record type, for entity references. */
  rows: Record<StudentRecordType, string[]>;
  schoolOf: Map<string, string>;
}

type Row = Record<string, string>;

export async function readStudentRecordOracle(world: WholeNetwork): Promise<StudentRecordOracle> {
  const q = (service: string, sql: string) => world.pipeline.subgraphs[service]!.dataSource.query(sql) as Promise<Row[]>;
  const schoolOf = new Map((await q('network', 'SELECT id, school_id FROM student')).map((r) => [r.id!, r.school_id!]));
  const staffInstitution = new Map(
    (await q('network', 'SELECT id, institution_id FROM staff_member')).map((r) => [r.id!, r.institution_id!]),
  );
  const placements = await q('rotations', 'SELECT id, student_id, hospital_id FROM placement');
  const tasks = await q('assessment', 'SELECT id, student_id FROM assessment_task');
  const submissions = await q('assessment', 'SELECT s.id, t.student_id FROM submission s JOIN assessment_task t ON t.id = s.task_id');
  const mentees = await q(
    'mentorship',
    'SELECT m.id, mm.student_id, m.mentor_id FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id',
  );
  const goals = await q('mentorship', 'SELECT id, student_id FROM development_goal');
  const swaps = await q(
    'rotations',
    `SELECT s.id, p.student_id FROM swap_request s JOIN placement p ON p.id IN (s.placement_id, s.with_placement_id)`,
  );

  const about = new Map<string, string[]>();
  const add = (type: string, id: string, student: string) => about.set(`${type}:${id}`, [...(about.get(`${type}:${id}`) ?? []), student]);
  for (const id of schoolOf.keys()) add('Student', id, id);
  for (const r of placements) add('Placement', r.id!, r.student_id!);
  for (const r of tasks) add('AssessmentTask', r.id!, r.student_id!);
  for (const r of submissions) add('Submission', r.id!, r.student_id!);
  for (const r of mentees) add('Mentorship', r.id!, r.student_id!);
  for (const r of goals) add('DevelopmentGoal', r.id!, r.student_id!);
  for (const r of swaps) add('SwapRequest', r.id!, r.student_id!);

  const seenBy = new Map<string, Set<string>>();
  const allow = (student: string, institution: string | undefined) => {
    if (!institution) return;
    seenBy.set(student, (seenBy.get(student) ?? new Set()).add(institution));
  };
  for (const [student, school] of schoolOf) allow(student, school);
  for (const r of placements) allow(r.student_id!, r.hospital_id);
  for (const r of mentees) allow(r.student_id!, staffInstitution.get(r.mentor_id!));

  const ids = (rows: Row[]) => [...new Set(rows.map((r) => r.id!))];
  return {
    studentsOf: (type, id) => about.get(`${type}:${id}`) ?? [],
    institutionMaySee: (institutionId, studentId) => seenBy.get(studentId)?.has(institutionId) ?? false,
    rows: {
      Student: [...schoolOf.keys()],
      Placement: ids(placements),
      AssessmentTask: ids(tasks),
      Submission: ids(submissions),
      Mentorship: ids(mentees),
      DevelopmentGoal: ids(goals),
      SwapRequest: ids(swaps),
    },
    schoolOf,
  };
}

/** Every object with a `__typename` and an `id` in a GraphQL answer, however deep. */
export function typedObjects(value: unknown, out: { type: string; id: string }[] = []): { type: string; id: string }[] {
  if (Array.isArray(value)) for (const v of value) typedObjects(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.__typename === 'string' && typeof o.id === 'string') out.push({ type: o.__typename, id: o.id });
    for (const v of Object.values(o)) typedObjects(v, out);
  }
  return out;
}

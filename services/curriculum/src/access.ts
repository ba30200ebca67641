import { type Actor, ensure, NotFoundError } from '@medcollab/kit';
import { canReadCurriculum, canReadStudentRecords, needsPartnerCheck } from './domain/access-policy';
import { type CurriculumModule, type Program } from './entities';
import { type CurriculumLoaders } from './loaders';

/**
 * The read policy applied with the request's loaders: the pure rules of
 * domain/access-policy.ts plus the projections they need, loaded in batches and only for
 * callers whose answer depends on them (staff of another institution).
 */
export interface AccessGate {
  canReadSchool(schoolId: string): Promise<boolean>;
  /** FORBIDDEN unless the caller may read the school's curriculum. */
  requireReadSchool(schoolId: string): Promise<void>;
  /** The program of a module, or NOT_FOUND. */
  programOf(module: Pick<CurriculumModule, 'programId'>): Promise<Program>;
  canReadStudent(studentId: string): Promise<boolean>;
  requireReadStudent(studentId: string): Promise<void>;
}

const NO_PARTNERS: ReadonlySet<string> = new Set();
export const CURRICULUM_DENIED = "You may not read this school's curriculum";
export const STUDENT_DENIED = "You may not see this student's curriculum records";

export function createAccessGate(actor: Actor, loaders: CurriculumLoaders): AccessGate {
  const canReadSchool = async (schoolId: string) => {
    const partners = needsPartnerCheck(actor, schoolId) ? await loaders.activePartners.load(schoolId) : NO_PARTNERS;
    return canReadCurriculum(actor, schoolId, partners);
  };
  const canReadStudent = async (studentId: string) => canReadStudentRecords(actor, studentId, await loaders.knownStudent.load(studentId));
  return {
    canReadSchool,
    async requireReadSchool(schoolId) {
      ensure(await canReadSchool(schoolId), CURRICULUM_DENIED);
    },
    async programOf(module) {
      const program = await loaders.program.load(module.programId);
      if (!program) throw new NotFoundError('Program', module.programId);
      return program;
    },
    canReadStudent,
    async requireReadStudent(studentId) {
      ensure(await canReadStudent(studentId), STUDENT_DENIED);
    },
  };
}

/** How big a generated network is. `large` is the network; the others are for quick runs and tests. */
export interface ScaleSpec {
  schools: number;
  hospitals: number;
  departmentsPerHospital: number;
  /** Clinical instructors per department (the supervisors). */
  staffPerDepartment: number;
  /** Staff of each school (admin, coordinators, quality officer, the rest mentors and teachers). */
  staffPerSchool: number;
  studentsPerSchool: number;
  /** Hospitals each school has an agreement with (all their departments). */
  partnersPerSchool: number;
  blocksPerYear: number;
  /** Share of (student, block) slots with a placement. */
  fill: number;
  mentorshipsPerSchool: number;
}

export const SCALES = {
  large: {
    schools: 12,
    hospitals: 40,
    departmentsPerHospital: 20,
    staffPerDepartment: 5,
    staffPerSchool: 84,
    studentsPerSchool: 1000,
    partnersPerSchool: 10,
    blocksPerYear: 12,
    fill: 0.52,
    mentorshipsPerSchool: 500,
  },
  medium: {
    schools: 4,
    hospitals: 12,
    departmentsPerHospital: 10,
    staffPerDepartment: 4,
    staffPerSchool: 30,
    studentsPerSchool: 300,
    partnersPerSchool: 6,
    blocksPerYear: 12,
    fill: 0.52,
    mentorshipsPerSchool: 150,
  },
  tiny: {
    schools: 2,
    hospitals: 4,
    departmentsPerHospital: 5,
    staffPerDepartment: 3,
    staffPerSchool: 12,
    studentsPerSchool: 60,
    partnersPerSchool: 3,
    blocksPerYear: 12,
    fill: 0.52,
    mentorshipsPerSchool: 30,
  },
} satisfies Record<string, ScaleSpec>;

export type ScaleName = keyof typeof SCALES;

export const isScaleName = (name: string): name is ScaleName => Object.hasOwn(SCALES, name);

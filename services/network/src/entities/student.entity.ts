import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A clinical medical student registered by their school; the id is their person id. */
@Entity('student')
export class Student {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'given_name' })
  givenName: string;

  @Column({ type: 'text', name: 'family_name' })
  familyName: string;

  /** Stored in lower case: it is the person's login identity. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'int', name: 'cohort_year' })
  cohortYear: number;

  @Column({ type: 'int', name: 'prior_clinical_years' })
  priorClinicalYears: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A student as the network announced them (StudentRegistered); never read from the network's database. */
@Entity('known_student')
export class KnownStudent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'int', name: 'cohort_year' })
  cohortYear: number;

  @Column({ type: 'int', name: 'prior_clinical_years' })
  priorClinicalYears: number;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** A school-hospital agreement as the network announced it (AgreementActivated / AgreementEnded). */
@Entity('known_agreement')
export class KnownAgreement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'text' })
  status: 'ACTIVE' | 'ENDED';

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn: string | null;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

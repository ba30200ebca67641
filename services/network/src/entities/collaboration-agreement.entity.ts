import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type AgreementStatus } from '../domain/model';

/** A school-hospital agreement; its departments are rows of agreement_department. */
@Entity('collaboration_agreement')
export class CollaborationAgreement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  /** `YYYY-MM-DD` (TypeORM hydrates date columns as strings). */
  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'text' })
  status: AgreementStatus;

  @Column({ type: 'timestamptz', name: 'activated_at', nullable: true })
  activatedAt: Date | null;

  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

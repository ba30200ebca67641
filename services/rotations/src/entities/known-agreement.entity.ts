import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projection of the network's agreement events; only activated agreements reach rotations. */
@Entity('known_agreement')
export class KnownAgreement {
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
  status: 'ACTIVE' | 'ENDED';

  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn: string | null;

  /** The covered hospital departments (denormalised: an agreement is always read whole). */
  @Column({ type: 'uuid', name: 'department_ids', array: true })
  departmentIds: string[];
}

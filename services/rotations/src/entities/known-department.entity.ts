import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** Which institution a department belongs to, learnt from agreements and staff registrations. */
@Entity('known_department')
export class KnownDepartment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  /** From AgreementActivated; null while unknown (or when the department has none). */
  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;
}

import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Department } from './department.entity';

/** One hospital department covered by an agreement. */
@Entity('agreement_department')
export class AgreementDepartment {
  @PrimaryColumn({ type: 'uuid', name: 'agreement_id' })
  agreementId: string;

  @PrimaryColumn({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  /** Loaded with the row (one join) so an agreement's departments are one statement. */
  @ManyToOne(() => Department)
  @JoinColumn({ name: 'department_id' })
  department?: Department;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which institution a department belongs to, learnt from agreements and staff registrations. */
@Entity('known_department')
export class KnownDepartment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;
}

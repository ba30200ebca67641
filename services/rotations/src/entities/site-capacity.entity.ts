import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Seats a hospital department offers one school in one block. */
@Entity('site_capacity')
export class SiteCapacity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'uuid', name: 'block_id' })
  blockId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'int' })
  seats: number;

  @Column({ type: 'uuid', name: 'updated_by', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

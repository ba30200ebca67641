import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projection of the network's StudentRegistered: which school a student belongs to. */
@Entity('known_student')
export class KnownStudent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;
}

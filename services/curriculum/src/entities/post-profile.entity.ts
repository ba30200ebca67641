import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** A job position and the competency levels it requires, on one declared scale. */
@Entity('post_profile')
export class PostProfile {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'uuid', name: 'owner_institution_id', nullable: true })
  ownerInstitutionId: string | null;

  @Column({ type: 'text', name: 'scale_name' })
  scaleName: string;

  @Column({ type: 'double precision', name: 'scale_min' })
  scaleMin: number;

  @Column({ type: 'double precision', name: 'scale_max' })
  scaleMax: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** The level a post profile requires of one competency. */
@Entity('post_profile_requirement')
export class PostProfileRequirement {
  @PrimaryColumn({ type: 'uuid', name: 'post_profile_id' })
  postProfileId: string;

  @PrimaryColumn({ type: 'uuid', name: 'competency_id' })
  competencyId: string;

  @Column({ type: 'double precision' })
  level: number;

  @Column({ type: 'int' })
  position: number;
}

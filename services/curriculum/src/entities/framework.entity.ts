import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type CompetencyDomain } from '../domain/model';

/** A versioned competency framework (CanMEDS 2015, AAMC Core EPAs, NOTSS…): network-wide reference data. */
@Entity('competency_framework')
export class CompetencyFramework {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The institution that maintains it; null for the network's own library. */
  @Column({ type: 'uuid', name: 'owner_institution_id', nullable: true })
  ownerInstitutionId: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** One competency of a framework; `parentId` places it in the framework's hierarchy. */
@Entity('competency')
export class Competency {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'framework_id' })
  frameworkId: string;

  @Column({ type: 'uuid', name: 'parent_id', nullable: true })
  parentId: string | null;

  /** Unique within the framework, compared case-insensitively. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text' })
  domain: CompetencyDomain;

  @Column({ type: 'text' })
  category: string;

  /** Order within the framework (as authored or imported). */
  @Column({ type: 'int' })
  position: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

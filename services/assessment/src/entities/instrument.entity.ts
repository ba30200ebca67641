import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type AssessmentPurpose, type InstrumentKind } from '../domain/model';
import { type ItemScale } from '../domain/scales';

/** An assessment form: a kind, a purpose and typed items. Never edited once created (submissions refer to it). */
@Entity('instrument')
export class Instrument {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: InstrumentKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  purpose: AssessmentPurpose;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The school that maintains it; null for the network's own (the library). */
  @Column({ type: 'uuid', name: 'owner_institution_id', nullable: true })
  ownerInstitutionId: string | null;

  /** Set for the seeded library's instruments. */
  @Column({ type: 'text', name: 'library_key', nullable: true })
  libraryKey: string | null;

  @Column({ type: 'uuid', name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** One item of an instrument, answered on its scale. */
@Entity('instrument_item')
export class InstrumentItem {
  @PrimaryColumn({ type: 'uuid', name: 'instrument_id' })
  instrumentId: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text', nullable: true })
  category: string | null;

  @Column({ type: 'boolean' })
  required: boolean;

  @Column({ type: 'jsonb' })
  scale: ItemScale;

  @Column({ type: 'uuid', name: 'competency_ids', array: true })
  competencyIds: string[];
}

/** The instrument a school's supervisors assess with at the end of a placement (per program, or school-wide when programId is null). */
@Entity('placement_instrument')
export class PlacementInstrument {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'program_id', nullable: true })
  programId: string | null;

  @Column({ type: 'uuid', name: 'instrument_id' })
  instrumentId: string;

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

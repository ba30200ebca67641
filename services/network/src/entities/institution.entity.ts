import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type InstitutionKind } from '../domain/model';

/** A medical school or a teaching hospital of the network. */
@Entity('institution')
export class Institution {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: InstitutionKind;

  /** IANA zone; local dates (rotation days, reminders) are computed in it. */
  @Column({ type: 'text' })
  timezone: string;

  /** The id the institution's own system gives this record (unique per institution); null until set. */
  @Column({ type: 'text', name: 'sourced_id', nullable: true })
  sourcedId: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

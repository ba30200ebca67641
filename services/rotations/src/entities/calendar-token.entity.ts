import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type CalendarOwnerKind } from '../domain/model';

/** The secret of one calendar feed; only its SHA-256 is stored, one per owner. */
@Entity('calendar_token')
export class CalendarToken {
  @PrimaryColumn({ type: 'text', name: 'token_hash' })
  tokenHash: string;

  @Column({ type: 'text', name: 'owner_kind' })
  ownerKind: CalendarOwnerKind;

  @Column({ type: 'uuid', name: 'owner_id' })
  ownerId: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

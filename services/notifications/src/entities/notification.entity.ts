import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One message to one person on one channel. `(dedupe_key, recipient_id, channel)` is unique: the
 * row is written in the transaction that marks its step fired, so a retried or duplicated job
 * finds it there and sends nothing twice.
 */
@Entity('notification')
export class Notification {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'recipient_id' })
  recipientId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  channel: 'IN_APP' | 'EMAIL';

  @Column({ type: 'text', name: 'dedupe_key' })
  dedupeKey: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', name: 'subject_type', nullable: true })
  subjectType: string | null;

  @Column({ type: 'uuid', name: 'subject_id', nullable: true })
  subjectId: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'read_at', nullable: true })
  readAt: Date | null;
}

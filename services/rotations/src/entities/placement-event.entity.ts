import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The audit trail of a placement: every step, who took it and when. */
@Entity('placement_event')
export class PlacementEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', name: 'placement_id' })
  placementId: string;

  /** CREATED, CONFIRMED, STARTED, COMPLETED, CANCELLED, SWAPPED, MOVED, SUPERVISOR_ASSIGNED (the status stays; details name both supervisors). */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text', name: 'from_status', nullable: true })
  fromStatus: string | null;

  @Column({ type: 'text', name: 'to_status' })
  toStatus: string;

  @Column({ type: 'text', name: 'actor_id' })
  actorId: string;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  at: Date;
}

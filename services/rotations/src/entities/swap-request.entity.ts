import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type SwapStatus } from '../domain/model';

/** A request to exchange two placements or move one; records who did each step (audit). */
@Entity('swap_request')
export class SwapRequest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'placement_id' })
  placementId: string;

  @Column({ type: 'uuid', name: 'with_placement_id', nullable: true })
  withPlacementId: string | null;

  @Column({ type: 'uuid', name: 'to_department_id', nullable: true })
  toDepartmentId: string | null;

  @Column({ type: 'text' })
  status: SwapStatus;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'uuid', name: 'requested_by' })
  requestedBy: string;

  @Column({ type: 'timestamptz', name: 'requested_at' })
  requestedAt: Date;

  @Column({ type: 'uuid', name: 'responded_by', nullable: true })
  respondedBy: string | null;

  @Column({ type: 'timestamptz', name: 'responded_at', nullable: true })
  respondedAt: Date | null;

  @Column({ type: 'uuid', name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', name: 'decision_note', nullable: true })
  decisionNote: string | null;
}

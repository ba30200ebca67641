import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An institution's rule: raise an alert when a metric of one of its scopes crosses a threshold in a period. */
@Entity('quality_alert_rule')
export class QualityAlertRule {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text' })
  metric: string;

  /** INSTITUTION, DEPARTMENT or TEACHER: the rule watches every scope of this kind in the institution. */
  @Column({ type: 'text', name: 'scope_kind' })
  scopeKind: string;

  @Column({ type: 'text', name: 'period_kind' })
  periodKind: string;

  /** BELOW or ABOVE. */
  @Column({ type: 'text' })
  direction: string;

  @Column({ type: 'double precision' })
  threshold: number;

  @Column({ type: 'uuid', name: 'created_by' })
  createdBy: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** A rule that fired for one scope in one period (once). */
@Entity('quality_alert')
export class QualityAlert {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'rule_id' })
  ruleId: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text', name: 'scope_kind' })
  scopeKind: string;

  @Column({ type: 'text', name: 'scope_id' })
  scopeId: string;

  @Column({ type: 'text', name: 'period_id' })
  periodId: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'timestamptz', name: 'raised_at' })
  raisedAt: Date;
}

import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SessionStatus } from '@parley/contracts';

@Entity('mediation_sessions')
@Check('mediation_sessions_status', `"status" IN ('draft', 'open', 'suspended', 'closed')`)
export class MediationSessionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('varchar', { length: 200 })
  title: string;

  @Column('text', { default: '' })
  description: string;

  @Column('varchar', { length: 16, default: 'draft' })
  status: SessionStatus;

  /** Seconds a shuttle message waits, withdrawable, before it reaches the mediator (0 = none). */
  @Column('integer', { name: 'cooling_off_seconds', default: 0 })
  coolingOffSeconds: number;

  /** The languages the talks are held in (LANGUAGE_CODEs, in the mediators' order); may be empty. */
  @Column('jsonb', { default: () => "'[]'" })
  languages: string[];

  /** The current break (set while suspended): why, since when, until when if a length was given. */
  @Column('varchar', { name: 'break_reason', length: 200, nullable: true })
  breakReason: string | null;

  @Column('timestamptz', { name: 'break_started_at', nullable: true })
  breakStartedAt: Date | null;

  @Column('timestamptz', { name: 'break_ends_at', nullable: true })
  breakEndsAt: Date | null;

  @Column('uuid', { name: 'created_by_user_id' })
  createdByUserId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

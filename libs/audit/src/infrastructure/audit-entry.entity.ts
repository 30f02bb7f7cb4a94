import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Append-only: a database trigger (see the initial migration) refuses UPDATE and DELETE. */
@Entity('audit_entries')
@Index('audit_entries_session_seq', ['sessionId', 'seq'], { unique: true })
export class AuditEntryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('integer')
  seq: number;

  @Column('varchar', { length: 80 })
  type: string;

  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId: string | null;

  @Column('uuid', { name: 'actor_participant_id', nullable: true })
  actorParticipantId: string | null;

  @Column('jsonb', { default: {} })
  payload: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('char', { name: 'prev_hash', length: 64 })
  prevHash: string;

  @Column('char', { length: 64 })
  hash: string;
}

/**
 * The head of each session's chain. Appending updates it in the same statement that inserts the
 * entry: its row lock serialises one session's appends, and the database computes the link.
 */
@Entity('audit_heads')
export class AuditHeadEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('integer')
  seq: number;

  @Column('char', { name: 'prev_hash', length: 64 })
  prevHash: string;

  @Column('char', { length: 64 })
  hash: string;
}

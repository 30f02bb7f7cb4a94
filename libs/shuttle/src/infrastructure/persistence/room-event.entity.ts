import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { RoomEventType } from '@parley/contracts';
import { RoomEntity } from '@parley/sessions/infrastructure/persistence';

/** A room's next sequence number lives here; bumping it inside the writing transaction keeps the stream gap-free. */
@Entity('room_streams')
export class RoomStreamEntity {
  @PrimaryColumn('uuid', { name: 'room_id' })
  roomId: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @Column('integer', { name: 'last_seq' })
  lastSeq: number;
}

/**
 * One entry of a room's stream: what the room's members may read, in order. An append-only log
 * on the hottest write path, so it carries no foreign keys: each would take a KEY SHARE lock on
 * the session and room rows for every message (multixacts under concurrency). Rooms and sessions
 * are never deleted (they are closed), and every writer checked both in the same statement.
 */
@Entity('room_events')
@Index('room_events_room_seq', ['roomId', 'seq'], { unique: true })
@Index('room_events_idempotency', ['authorParticipantId', 'clientKey'], { unique: true, where: `"client_key" IS NOT NULL` })
export class RoomEventEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('uuid', { name: 'room_id' })
  roomId: string;

  @Column('integer')
  seq: number;

  @Column('varchar', { length: 32 })
  type: RoomEventType;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('uuid', { name: 'author_participant_id', nullable: true })
  authorParticipantId: string | null;

  /** The client's idempotency key of a post (chat); null for server-made events. */
  @Column('varchar', { name: 'client_key', length: 64, nullable: true })
  clientKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

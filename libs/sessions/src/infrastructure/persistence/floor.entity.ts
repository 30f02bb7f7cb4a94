import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { TimerPurpose } from '@parley/contracts';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { RoomEntity } from './room.entity';

/**
 * A raised hand. One per participant (a person asks to speak in the one room they are in); it goes
 * with its room, its owner and its session.
 */
@Entity('raised_hands')
@Index('raised_hands_room', ['roomId', 'raisedAt'])
export class RaisedHandEntity {
  @PrimaryColumn('uuid', { name: 'participant_id' })
  participantId: string;

  @ManyToOne(() => ParticipantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: ParticipantEntity;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @ManyToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;

  @Column('uuid', { name: 'room_id' })
  roomId: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @Column('timestamptz', { name: 'raised_at' })
  raisedAt: Date;
}

/** A room's clock, set by a mediator: one per room, replaced when set again. */
@Entity('room_timers')
@Index('room_timers_session', ['sessionId'])
@Check('room_timers_purpose', `"purpose" IN ('speaking', 'break', 'other')`)
@Check('room_timers_duration', `"duration_seconds" BETWEEN 1 AND 86400`)
export class RoomTimerEntity {
  @PrimaryColumn('uuid', { name: 'room_id' })
  roomId: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @ManyToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;

  @Column('varchar', { length: 16 })
  purpose: TimerPurpose;

  @Column('varchar', { length: 80, nullable: true })
  label: string | null;

  @Column('integer', { name: 'duration_seconds' })
  durationSeconds: number;

  @Column('timestamptz', { name: 'started_at' })
  startedAt: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;

  /** The mediator's participant id; a departed mediator's clock keeps running. */
  @Column('uuid', { name: 'set_by' })
  setBy: string;
}

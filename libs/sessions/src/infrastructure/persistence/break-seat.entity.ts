import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ParticipantRole } from '@parley/contracts';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { RoomEntity } from './room.entity';

/**
 * Where a participant sat when the session was suspended, and as whom: resumption gives the seat
 * back if it can still be taken. Rows live from suspension to resumption (or closing).
 */
@Entity('break_seats')
@Index('break_seats_session', ['sessionId'])
export class BreakSeatEntity {
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

  /** A room deleted with its party takes the memory of the seat with it. */
  @Column('uuid', { name: 'room_id' })
  roomId: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @Column('varchar', { length: 16 })
  role: ParticipantRole;

  @Column('uuid', { name: 'party_id', nullable: true })
  partyId: string | null;
}

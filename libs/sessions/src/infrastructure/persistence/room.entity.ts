import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SessionOwned } from './session-owned';
import { PartyEntity } from './party.entity';
import { ParticipantEntity } from './participant.entity';
import type { RoomKind } from '@parley/contracts';

@Entity('rooms')
@Check('rooms_kind', `"kind" IN ('plenary', 'caucus', 'mediator', 'joint')`)
@Check('rooms_caucus_party', `("kind" = 'caucus') = ("party_id" IS NOT NULL)`)
@Index('rooms_one_plenary_one_mediator_room', ['sessionId', 'kind'], { unique: true, where: `"kind" IN ('plenary', 'mediator')` })
@Index('rooms_one_caucus_per_party', ['partyId'], { unique: true, where: `"party_id" IS NOT NULL` })
@Index('rooms_session', ['sessionId'])
export class RoomEntity extends SessionOwned {
  @Column('varchar', { length: 16 })
  kind: RoomKind;

  @Column('varchar', { length: 120 })
  name: string;

  @Column('uuid', { name: 'party_id', nullable: true })
  partyId: string | null;

  @ManyToOne(() => PartyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'party_id' })
  party?: PartyEntity;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The named members of a joint room. */
@Entity('room_members')
export class RoomMemberEntity {
  @PrimaryColumn('uuid', { name: 'room_id' })
  roomId: string;

  @PrimaryColumn('uuid', { name: 'participant_id' })
  participantId: string;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @ManyToOne(() => ParticipantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: ParticipantEntity;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { UserEntity } from '@parley/auth/infrastructure/user.entity';
import { SessionOwned } from './session-owned';
import { PartyEntity } from './party.entity';
import { RoomEntity } from './room.entity';
import type { LanguagePair, ParticipantRole } from '@parley/contracts';

@Entity('participants')
@Check('participants_role', `"role" IN ('lead_mediator', 'co_mediator', 'party_member', 'observer', 'interpreter')`)
@Check('participants_party', `("role" = 'party_member') = ("party_id" IS NOT NULL)`)
@Check('participants_head', `NOT "is_head" OR "role" = 'party_member'`)
@Check('participants_interpreter_languages', `("role" = 'interpreter') = ("languages" IS NOT NULL)`)
@Check('participants_brought_by', `"brought_by_party_id" IS NULL OR "role" = 'interpreter'`)
@Index('participants_session_user', ['sessionId', 'userId'], { unique: true })
@Index('participants_one_head_per_party', ['partyId'], { unique: true, where: `"is_head"` })
@Index('participants_one_lead', ['sessionId'], { unique: true, where: `"role" = 'lead_mediator'` })
@Index('participants_user', ['userId'])
export class ParticipantEntity extends SessionOwned {
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column('varchar', { length: 16 })
  role: ParticipantRole;

  @Column('uuid', { name: 'party_id', nullable: true })
  partyId: string | null;

  @ManyToOne(() => PartyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'party_id' })
  party?: PartyEntity;

  @Column('boolean', { name: 'is_head', default: false })
  isHead: boolean;

  /**
   * An interpreter's party, when a party brought them (null: the mediators' interpreter). Not
   * party_id: that column makes a delegation member, which an interpreter never is.
   */
  @Column('uuid', { name: 'brought_by_party_id', nullable: true })
  broughtByPartyId: string | null;

  @ManyToOne(() => PartyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'brought_by_party_id' })
  broughtByParty?: PartyEntity;

  /** An interpreter's two working languages; null for every other role. */
  @Column('jsonb', { nullable: true })
  languages: LanguagePair | null;

  @Column('varchar', { name: 'display_name', length: 120 })
  displayName: string;

  /** Where the participant is now; null = the lobby. Kept across disconnects. */
  @Column('uuid', { name: 'room_id', nullable: true })
  roomId: string | null;

  @ManyToOne(() => RoomEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'room_id' })
  room?: RoomEntity;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { SessionOwned } from './session-owned';
import { PartyEntity } from './party.entity';
import type { InvitableRole, LanguagePair } from '@parley/contracts';

/** A single-use, expiring invitation. Only the SHA-256 of its token is stored. */
@Entity('invitations')
@Index('invitations_session', ['sessionId'])
export class InvitationEntity extends SessionOwned {
  @Column('char', { name: 'token_hash', length: 64, unique: true })
  tokenHash: string;

  /** The person it is for, as the mediator named them; null on invitations made before names. */
  @Column('varchar', { name: 'display_name', length: 120, nullable: true })
  displayName: string | null;

  @Column('varchar', { length: 16 })
  role: InvitableRole;

  @Column('uuid', { name: 'party_id', nullable: true })
  partyId: string | null;

  @ManyToOne(() => PartyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'party_id' })
  party?: PartyEntity;

  /** An interpreter invitation's two languages; null for every other role. */
  @Column('jsonb', { nullable: true })
  languages: LanguagePair | null;

  @Column('boolean', { name: 'is_head', default: false })
  isHead: boolean;

  /** When set, only the account with this (normalised) address may accept. */
  @Column('varchar', { length: 254, nullable: true })
  email: string | null;

  @Column('uuid', { name: 'created_by_participant_id' })
  createdByParticipantId: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  @Column('uuid', { name: 'accepted_by_user_id', nullable: true })
  acceptedByUserId: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import type { ConveyMode, ShuttleLabel, ShuttleStatus } from '@parley/contracts';
import { ParticipantEntity, PartyEntity } from '@parley/sessions/infrastructure/persistence';
import { SessionOwned } from '@parley/sessions/infrastructure/persistence/session-owned';

@Entity('shuttle_messages')
@Check('shuttle_messages_label', `"label" IN ('mediator_only', 'conveyable')`)
@Check('shuttle_messages_status', `"status" IN ('cooling', 'pending', 'held', 'conveyed', 'declined', 'withdrawn')`)
@Check('shuttle_messages_mediator_only', `"label" = 'conveyable' OR ("convey_to_party_id" IS NULL AND "conveyed_text" IS NULL)`)
@Index('shuttle_messages_idempotency', ['authorParticipantId', 'clientKey'], { unique: true })
@Index('shuttle_messages_queue', ['sessionId', 'status'])
@Index('shuttle_messages_cooling', ['releaseAt'], { where: `"status" = 'cooling'` })
export class ShuttleMessageEntity extends SessionOwned {
  @Column('uuid', { name: 'party_id' })
  partyId: string;

  @ManyToOne(() => PartyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'party_id' })
  party?: PartyEntity;

  @Column('uuid', { name: 'author_participant_id' })
  authorParticipantId: string;

  @ManyToOne(() => ParticipantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_participant_id' })
  author?: ParticipantEntity;

  @Column('varchar', { length: 16 })
  label: ShuttleLabel;

  @Column('uuid', { name: 'convey_to_party_id', nullable: true })
  conveyToPartyId: string | null;

  @Column('text')
  text: string;

  @Column('varchar', { length: 16 })
  status: ShuttleStatus;

  @Column('timestamptz', { name: 'release_at' })
  releaseAt: Date;

  @Column('text', { name: 'conveyed_text', nullable: true })
  conveyedText: string | null;

  @Column('varchar', { name: 'convey_mode', length: 16, nullable: true })
  conveyMode: ConveyMode | null;

  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason: string | null;

  @Column('uuid', { name: 'decided_by_participant_id', nullable: true })
  decidedByParticipantId: string | null;

  @Column('varchar', { name: 'client_key', length: 64 })
  clientKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

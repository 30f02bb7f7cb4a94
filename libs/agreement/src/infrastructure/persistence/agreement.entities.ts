import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type {
  AgreementStatus,
  ClauseChangeKind,
  ProposalChange,
  ProposalKind,
  ProposalStatus,
  ProposalVisibility,
} from '@parley/contracts';
import { MediationSessionEntity } from '@parley/sessions/infrastructure/persistence';
import { SessionOwned } from '@parley/sessions/infrastructure/persistence/session-owned';
import type { Mark, Response, Segment, SignOff } from '../../domain';

/** One negotiating text per session; its row is the lock that serialises changes of the text. */
@Entity('agreements')
@Check('agreements_status', `"status" IN ('drafting', 'final', 'signed')`)
export class AgreementEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId: string;

  @OneToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;

  @Column('varchar', { length: 16, default: 'drafting' })
  status: AgreementStatus;

  @Column('integer', { default: 0 })
  revision: number;

  @Column('varchar', { name: 'final_sha256', length: 64, nullable: true })
  finalSha256: string | null;

  /** The canonical form that was hashed, byte for byte. */
  @Column('text', { name: 'final_text', nullable: true })
  finalText: string | null;

  @Column('timestamptz', { name: 'finalised_at', nullable: true })
  finalisedAt: Date | null;

  @Column('jsonb', { name: 'sign_offs' })
  signOffs: SignOff[];
}

/** A clause as it stands: its current version, the parties' support and marks on it. */
@Entity('agreement_clauses')
@Index('agreement_clauses_order', ['sessionId', 'position'])
export class ClauseEntity extends SessionOwned {
  @Column('integer')
  position: number;

  @Column('integer')
  version: number;

  @Column('text', { nullable: true })
  heading: string | null;

  @Column('text')
  text: string;

  @Column('jsonb')
  segments: Segment[];

  @Column('jsonb')
  marks: Record<string, Mark>;

  @Column('boolean', { default: false })
  deleted: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Every version of every clause, as it was: never updated, never deleted. */
@Entity('clause_versions')
@Index('clause_versions_session', ['sessionId', 'createdAt'])
@Check('clause_versions_change_kind', `"change_kind" IN ('created', 'edited', 'option_added', 'resolved', 'deleted')`)
export class ClauseVersionEntity {
  @PrimaryColumn('uuid', { name: 'clause_id' })
  clauseId: string;

  @PrimaryColumn('integer')
  version: number;

  @ManyToOne(() => ClauseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'clause_id' })
  clause?: ClauseEntity;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('text', { nullable: true })
  heading: string | null;

  @Column('text')
  text: string;

  @Column('jsonb')
  segments: Segment[];

  @Column('boolean')
  deleted: boolean;

  @Column('varchar', { name: 'change_kind', length: 16 })
  changeKind: ClauseChangeKind;

  @Column('uuid', { name: 'author_participant_id' })
  authorParticipantId: string;

  @Column('uuid', { name: 'proposal_id', nullable: true })
  proposalId: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}

@Entity('proposals')
@Index('proposals_session', ['sessionId', 'createdAt'])
@Check('proposals_visibility', `"visibility" IN ('private', 'tabled')`)
@Check('proposals_status', `"status" IN ('open', 'adopted', 'withdrawn')`)
@Index('proposals_idempotency', ['authorParticipantId', 'clientKey'], { unique: true, where: `"client_key" IS NOT NULL` })
@Check('proposals_origin', `("origin_kind" = 'party') = ("party_id" IS NOT NULL)`)
export class ProposalEntity extends SessionOwned {
  @Column('varchar', { length: 16 })
  kind: ProposalKind;

  @Column('jsonb')
  change: ProposalChange;

  @Column('varchar', { name: 'origin_kind', length: 16 })
  originKind: 'party' | 'mediator';

  /** The proposing delegation; null for a mediator's proposal. */
  @Column('uuid', { name: 'party_id', nullable: true })
  partyId: string | null;

  @Column('uuid', { name: 'author_participant_id' })
  authorParticipantId: string;

  @Column('varchar', { length: 16 })
  visibility: ProposalVisibility;

  @Column('varchar', { length: 16 })
  status: ProposalStatus;

  @Column('uuid', { name: 'counter_to', nullable: true })
  counterTo: string | null;

  @Column('uuid', { name: 'counter_private_to', nullable: true })
  counterPrivateTo: string | null;

  @Column('text', { nullable: true })
  rationale: string | null;

  @Column('jsonb')
  responses: Response[];

  /** The author's idempotency key: a retried proposal with the same key is stored once. */
  @Column('varchar', { name: 'client_key', length: 64, nullable: true })
  clientKey: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column('uuid', { name: 'adopted_clause_id', nullable: true })
  adoptedClauseId: string | null;

  @Column('integer', { name: 'adopted_version', nullable: true })
  adoptedVersion: number | null;
}

/** Live drafts: Yjs updates, appended as they arrive and merged now and then. */
@Entity('draft_updates')
@Index('draft_updates_doc', ['docKey', 'id'])
export class DraftUpdateEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @ManyToOne(() => MediationSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: MediationSessionEntity;

  @Column('varchar', { name: 'doc_key', length: 120 })
  docKey: string;

  @Column('bytea')
  update: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

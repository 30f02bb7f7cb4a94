import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Excerpt, RejectReason, StatementStatus, VoteValue } from '@parley/contracts';
import { SessionOwned } from '@parley/sessions/infrastructure/persistence/session-owned';

/**
 * A consultation of a session. Its times are the mediators' (when it opens and closes, when they
 * closed it). Respondents' rows (below) keep no time, address or device of any kind: see the
 * README's "Consultation: what is kept".
 */
@Entity('consultations')
@Index('consultations_session', ['sessionId'])
export class ConsultationEntity extends SessionOwned {
  @Column('varchar', { length: 200 })
  title: string;

  @Column('text')
  prompt: string;

  @Column('jsonb')
  excerpts: Excerpt[];

  @Column('jsonb')
  languages: string[];

  @Column('timestamptz', { name: 'opens_at' })
  opensAt: Date;

  @Column('timestamptz', { name: 'closes_at' })
  closesAt: Date;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt: Date | null;

  @Column('boolean', { name: 'require_code' })
  requireCode: boolean;

  /** The next statement's number: statements are ordered by arrival without keeping when they arrived. */
  @Column('integer', { name: 'statements_numbered', default: 0 })
  statementsNumbered: number;

  /** The results as frozen at closing, in canonical JSON, byte for byte what `frozen_sha256` hashes. */
  @Column('text', { name: 'frozen_results', nullable: true })
  frozenResults: string | null;

  @Column('varchar', { name: 'frozen_sha256', length: 64, nullable: true })
  frozenSha256: string | null;

  @Column('uuid', { name: 'created_by_participant_id' })
  createdByParticipantId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A group invited to a consultation, with the link its members use. */
@Entity('consultation_groups')
@Index('consultation_groups_link', ['link'], { unique: true })
@Index('consultation_groups_order', ['consultationId', 'position'], { unique: true })
export class ConsultationGroupEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'consultation_id' })
  consultationId: string;

  @ManyToOne(() => ConsultationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consultation_id' })
  consultation?: ConsultationEntity;

  @Column('varchar', { length: 80 })
  name: string;

  @Column('integer')
  position: number;

  @Column('varchar', { length: 32 })
  link: string;
}

/**
 * A one-time code the mediators issued to a group: its hash and whether it was used. It names no
 * respondent: who used it cannot be joined to what they wrote.
 */
@Entity('consultation_codes')
@Index('consultation_codes_hash', ['codeHash'], { unique: true })
export class ConsultationCodeEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'group_id' })
  groupId: string;

  @ManyToOne(() => ConsultationGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: ConsultationGroupEntity;

  @Column('varchar', { name: 'code_hash', length: 64 })
  codeHash: string;

  @Column('boolean', { default: false })
  used: boolean;
}

/** An anonymous respondent: their group and the hash of their return code, nothing else. */
@Entity('consultation_respondents')
@Index('consultation_respondents_code', ['codeHash'], { unique: true })
export class RespondentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'consultation_id' })
  consultationId: string;

  @ManyToOne(() => ConsultationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consultation_id' })
  consultation?: ConsultationEntity;

  @Column('uuid', { name: 'group_id' })
  groupId: string;

  @ManyToOne(() => ConsultationGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: ConsultationGroupEntity;

  @Column('varchar', { name: 'code_hash', length: 64 })
  codeHash: string;
}

@Entity('consultation_statements')
@Index('consultation_statements_number', ['consultationId', 'number'], { unique: true })
@Index('consultation_statements_respondent', ['respondentId'])
@Check('consultation_statements_status', `"status" IN ('pending', 'approved', 'rejected', 'merged')`)
export class StatementEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'consultation_id' })
  consultationId: string;

  @ManyToOne(() => ConsultationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consultation_id' })
  consultation?: ConsultationEntity;

  @Column('uuid', { name: 'group_id' })
  groupId: string;

  @Column('uuid', { name: 'respondent_id' })
  respondentId: string;

  @ManyToOne(() => RespondentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'respondent_id' })
  respondent?: RespondentEntity;

  @Column('integer')
  number: number;

  @Column('text')
  text: string;

  @Column('varchar', { length: 16, default: 'pending' })
  status: StatementStatus;

  @Column('varchar', { length: 32, nullable: true })
  reason: RejectReason | null;

  @Column('uuid', { name: 'merged_into', nullable: true })
  mergedInto: string | null;
}

/** One respondent's vote on one statement: no time is kept with it. */
@Entity('consultation_votes')
@Index('consultation_votes_respondent', ['respondentId'])
@Check('consultation_votes_value', `"vote" IN ('agree', 'disagree', 'pass')`)
export class VoteEntity {
  @PrimaryColumn('uuid', { name: 'statement_id' })
  statementId: string;

  @ManyToOne(() => StatementEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'statement_id' })
  statement?: StatementEntity;

  @PrimaryColumn('uuid', { name: 'respondent_id' })
  respondentId: string;

  @ManyToOne(() => RespondentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'respondent_id' })
  respondent?: RespondentEntity;

  @Column('uuid', { name: 'group_id' })
  groupId: string;

  @Column('varchar', { length: 8 })
  vote: VoteValue;
}

/** A summary the mediators tabled into the session: its canonical content and hash, as audited. */
@Entity('consultation_summaries')
@Index('consultation_summaries_session', ['sessionId'])
export class SummaryEntity extends SessionOwned {
  @Column('uuid', { name: 'consultation_id' })
  consultationId: string;

  @ManyToOne(() => ConsultationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consultation_id' })
  consultation?: ConsultationEntity;

  /** Canonical JSON of the summary's content, byte for byte what `sha256` hashes. */
  @Column('text')
  content: string;

  @Column('varchar', { length: 64 })
  sha256: string;

  @Column('uuid', { name: 'tabled_by_participant_id' })
  tabledByParticipantId: string;

  @CreateDateColumn({ name: 'tabled_at', type: 'timestamptz' })
  tabledAt: Date;
}

export const CONSULTATION_ENTITIES = [
  ConsultationEntity,
  ConsultationGroupEntity,
  ConsultationCodeEntity,
  RespondentEntity,
  StatementEntity,
  VoteEntity,
  SummaryEntity,
];

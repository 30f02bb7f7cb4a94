import type { ConsultationCounts, Excerpt, StatementStatus, VoteValue } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { Consultation, Statement } from '../domain/consultation';
import type { ResultsInput } from '../domain/results';

export interface ConsultationGroup {
  readonly id: string;
  readonly name: string;
  readonly link: string;
}

/** A consultation with what the mediators configured and what it has frozen. */
export interface StoredConsultation extends Consultation {
  readonly excerpts: Excerpt[];
  readonly languages: string[];
  readonly groups: ConsultationGroup[];
  readonly frozenResults: string | null;
  readonly frozenSha256: string | null;
}

export interface GroupCounts {
  respondents: number;
  codesIssued: number;
  codesUsed: number;
}

export interface Respondent {
  readonly id: string;
  readonly consultationId: string;
  readonly groupId: string;
}

export interface StoredSummary {
  id: string;
  sessionId: string;
  consultationId: string;
  /** Canonical JSON of the content (see domain/summary.ts). */
  content: string;
  sha256: string;
  tabledAt: Date;
}

export type CodeUse = 'used' | 'already-used' | 'unknown';

/** Thrown by `vote` when the respondent's vote on the statement is already stored (a race of two). */
export class DuplicateVote extends Error {}

/**
 * The consultation context's persistence. It takes and returns domain types and owns its SQL.
 * Nothing it stores about a respondent carries a time, an address or a device.
 */
export abstract class ConsultationStore {
  abstract create(tx: Tx, c: StoredConsultation, createdByParticipantId: string): Promise<void>;
  /** One consultation of the session, or null; with `lock`, its row is locked until the transaction ends. */
  abstract consultation(tx: Tx, sessionId: string, id: string, lock?: boolean): Promise<StoredConsultation | null>;
  abstract consultations(tx: Tx, sessionId: string): Promise<StoredConsultation[]>;
  /**
   * The consultation and group a link opens, or null. With `lock`, the consultation's row is locked
   * until the transaction ends: 'share' orders an act after (or before) a closing; 'update' also
   * serialises it with the consultation's other such acts.
   */
  abstract byLink(
    tx: Tx,
    link: string,
    lock?: 'share' | 'update',
  ): Promise<{ consultation: StoredConsultation; group: ConsultationGroup } | null>;
  abstract groupCounts(tx: Tx, consultationId: string): Promise<Map<string, GroupCounts>>;
  abstract counts(tx: Tx, consultationId: string): Promise<ConsultationCounts>;

  abstract addCodes(tx: Tx, groupId: string, hashes: readonly string[]): Promise<void>;
  /** Marks the group's code with this hash used, once. */
  abstract useCode(tx: Tx, groupId: string, hash: string): Promise<CodeUse>;

  abstract addRespondent(tx: Tx, r: Respondent, codeHash: string): Promise<void>;
  /** The respondent of the consultation whose return code has this hash, or null. */
  abstract respondent(tx: Tx, consultationId: string, codeHash: string): Promise<Respondent | null>;

  /** The next statement number of the consultation (locks its row until the transaction ends). */
  abstract nextNumber(tx: Tx, consultationId: string): Promise<number>;
  abstract addStatement(tx: Tx, s: Statement): Promise<void>;
  abstract statementsBy(tx: Tx, respondentId: string): Promise<Statement[]>;
  abstract statement(tx: Tx, consultationId: string, id: string, lock?: boolean): Promise<Statement | null>;
  abstract statements(tx: Tx, consultationId: string, status?: StatementStatus): Promise<Statement[]>;
  abstract saveModeration(tx: Tx, s: Statement): Promise<void>;

  abstract hasVoted(tx: Tx, statementId: string, respondentId: string): Promise<boolean>;
  /** Stores a vote; DuplicateVote when it is already there. */
  abstract vote(tx: Tx, v: { statementId: string; respondentId: string; groupId: string; vote: VoteValue }): Promise<void>;
  abstract votesCast(tx: Tx, respondentId: string): Promise<number>;
  /**
   * Up to `limit` approved statements the respondent has neither written nor voted on, in an order
   * of their own (each respondent meets the pool in a different order, so that none is favoured by
   * coming first).
   */
  abstract ballot(tx: Tx, consultationId: string, respondentId: string, limit: number): Promise<Statement[]>;
  /** What the results are worked out from: groups with respondent counts, approved statements, their votes. */
  abstract resultsInput(tx: Tx, consultationId: string): Promise<Omit<ResultsInput, 'k' | 'consultationId'>>;

  abstract freeze(tx: Tx, consultationId: string, closedAt: Date, canonical: string, sha256: string): Promise<void>;
  abstract addSummary(tx: Tx, s: StoredSummary, tabledByParticipantId: string): Promise<void>;
  abstract summaries(tx: Tx, sessionId: string): Promise<StoredSummary[]>;
}

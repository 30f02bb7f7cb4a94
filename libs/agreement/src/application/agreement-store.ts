import type { ClauseChangeKind } from '@parley/contracts';
import type { Tx } from '@parley/platform';
import type { AgreementEvent, AgreementState, Proposal, Wording } from '../domain';

/** Names a view of the text shows: parties, and the participants who signed. */
export type Names = ReadonlyMap<string, string>;

/** A stored version of a clause, as it was: versions are never updated, never deleted. */
export interface ClauseVersion {
  readonly clauseId: string;
  readonly version: number;
  readonly heading: string | null;
  readonly wording: Wording;
  readonly deleted: boolean;
  readonly changeKind: ClauseChangeKind;
  readonly authorParticipantId: string;
  readonly proposalId: string | null;
  readonly createdAt: string;
}

/**
 * Loads the agreement of a session as the domain sees it, and writes back what a decision changed:
 * the clauses it touched (with their order), a version row per new version, the proposal.
 */
export abstract class AgreementStore {
  /** The state, with the agreement row locked until the transaction ends: one change of the text at a time. */
  abstract lock(tx: Tx, sessionId: string): Promise<AgreementState>;

  abstract read(tx: Tx, sessionId: string): Promise<AgreementState & { finalText: string | null }>;

  /** Writes what changed from `before` to `after` (nothing when they are the same state), and a version per versioning event. */
  abstract save(
    tx: Tx,
    before: AgreementState,
    after: AgreementState,
    events: readonly AgreementEvent[],
    finalText?: string,
  ): Promise<void>;

  abstract proposal(tx: Tx, sessionId: string, id: string): Promise<Proposal | null>;

  /** The session's proposals (or only those with these ids), oldest first. */
  abstract proposals(tx: Tx, sessionId: string, ids?: readonly string[]): Promise<Proposal[]>;

  /** The proposal this author already made with this idempotency key, if any. */
  abstract proposalByKey(tx: Tx, sessionId: string, authorParticipantId: string, clientKey: string): Promise<Proposal | null>;

  /** Inserts or updates a proposal; `clientKey` is given when it is made. */
  abstract saveProposal(tx: Tx, sessionId: string, p: Proposal, clientKey?: string): Promise<void>;

  /** Party names, and the names of participants (signers, authors) of the session. */
  abstract names(tx: Tx, sessionId: string): Promise<Names>;

  /** Every stored version of the session's clauses (or of one clause), oldest first. */
  abstract versions(tx: Tx, sessionId: string, clauseId?: string): Promise<ClauseVersion[]>;

  /** The wording of each stored version of one clause, in no particular order (empty: no such clause). */
  abstract wordings(tx: Tx, sessionId: string, clauseId: string): Promise<Array<{ version: number; wording: Wording }>>;
}

import type {
  AgreementStatus,
  ClauseChangeKind,
  MarkLevel,
  ProposalChange,
  ProposalOrigin,
  ProposalResponse,
  ProposalStatus,
  ProposalVisibility,
} from '@parley/contracts';

export interface Option {
  /** A, B, C … within its segment, in the order the options were added. */
  readonly id: string;
  readonly text: string;
  /** Party ids. */
  readonly supportedBy: readonly string[];
}

/** A disputed segment: one option is bracketed wording, two or more are alternatives. */
export interface Segment {
  readonly id: string;
  readonly options: readonly Option[];
}

/** A clause's wording: `text` holds `{{segmentId}}` where each segment sits, once each. */
export interface Wording {
  readonly text: string;
  readonly segments: readonly Segment[];
}

export type Mark = Exclude<MarkLevel, 'none'>;

export interface Clause {
  readonly id: string;
  readonly version: number;
  readonly heading: string | null;
  readonly wording: Wording;
  /** Each party's mark on the current version; a new version starts with none. */
  readonly marks: Readonly<Record<string, Mark>>;
}

export interface SignOff {
  readonly partyId: string;
  readonly participantId: string;
  readonly sha256: string;
  readonly signedAt: string;
}

/** What the rules need to decide a change of the text. */
export interface AgreementState {
  readonly sessionId: string;
  readonly status: AgreementStatus;
  readonly revision: number;
  /** The parties of the session: every one of them must agree each clause. */
  readonly partyIds: readonly string[];
  /** Live clauses, in order: a clause's number is its index + 1. */
  readonly clauses: readonly Clause[];
  readonly finalSha256: string | null;
  readonly finalisedAt: string | null;
  readonly signOffs: readonly SignOff[];
}

export interface Response {
  readonly partyId: string;
  readonly participantId: string;
  readonly response: ProposalResponse;
  readonly comment: string | null;
  readonly respondedAt: string;
}

export interface Proposal {
  readonly id: string;
  readonly change: ProposalChange;
  readonly origin: ProposalOrigin;
  readonly visibility: ProposalVisibility;
  readonly status: ProposalStatus;
  readonly counterTo: string | null;
  /**
   * When the countered proposal is private, its delegation: only that delegation and the mediators
   * learn which proposal this one answers.
   */
  readonly counterPrivateTo: string | null;
  readonly rationale: string | null;
  readonly responses: readonly Response[];
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly adopted: { clauseId: string; version: number } | null;
}

/** Facts a decision produces: persisted, audited and announced by the application layer. */
export type AgreementEvent =
  | {
      type: 'clause.versioned';
      clause: Clause;
      deleted: boolean;
      changeKind: ClauseChangeKind;
      authorParticipantId: string;
      proposalId: string | null;
      /** A mediator's direct delete: the password checked again at that moment (never an adopted proposal's delete). */
      reauthenticated?: Reauthenticated;
    }
  | { type: 'clause.marked'; clauseId: string; version: number; partyId: string; participantId: string; level: MarkLevel }
  | {
      type: 'option.supported';
      clauseId: string;
      version: number;
      segmentId: string;
      /** null: the delegation withdrew its support from the segment's options. */
      optionId: string | null;
      partyId: string;
      participantId: string;
    }
  | { type: 'proposal.made'; proposal: Proposal }
  | { type: 'proposal.responded'; proposal: Proposal; response: Response }
  | { type: 'proposal.adopted'; proposal: Proposal; clauseId: string; version: number }
  | { type: 'proposal.withdrawn'; proposal: Proposal; byParticipantId: string }
  | { type: 'agreement.finalised'; sha256: string; participantId: string }
  | { type: 'agreement.signed_off'; signOff: SignOff; complete: boolean; reauthenticated: Reauthenticated };

/**
 * The fresh proof a head of delegation gave at the moment of signing off, beyond a valid token: which
 * credential was checked again, and when. The credential itself is never kept.
 */
export interface Reauthenticated {
  readonly method: 'password';
  /** ISO 8601. */
  readonly at: string;
}

/** What a decision needs from outside: the time, and fresh ids. */
export interface DecisionContext {
  readonly now: Date;
  readonly newId: () => string;
}

export interface Decision {
  readonly state: AgreementState;
  readonly events: AgreementEvent[];
}

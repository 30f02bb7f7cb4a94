import type { WordDiffSegment } from './messages';

/**
 * The single negotiating text. A clause is *open*, *bracketed* (it holds disputed segments),
 * *agreed ad referendum* (every party's negotiators agreed, pending their principals) or *agreed*
 * (every party agreed). Nothing is agreed until everything is agreed: the text is final only when
 * every clause is agreed, and signed when every head of delegation has signed its hash.
 */
export const CLAUSE_STATES = ['open', 'bracketed', 'agreed_ad_referendum', 'agreed'] as const;
export type ClauseState = (typeof CLAUSE_STATES)[number];

/** What a party records on a clause's current version; `none` takes its mark back. */
export const MARK_LEVELS = ['none', 'ad_referendum', 'agreed'] as const;
export type MarkLevel = (typeof MARK_LEVELS)[number];

export const AGREEMENT_STATUSES = ['drafting', 'final', 'signed'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export const PROPOSAL_KINDS = ['replace', 'insert', 'delete', 'add_option', 'resolve_option'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** `private`: the proposing delegation and the mediators only; `tabled`: every party. */
export const PROPOSAL_VISIBILITIES = ['private', 'tabled'] as const;
export type ProposalVisibility = (typeof PROPOSAL_VISIBILITIES)[number];

export const PROPOSAL_STATUSES = ['open', 'adopted', 'withdrawn'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const RESPONSES = ['accept', 'reject', 'reserve'] as const;
export type ProposalResponse = (typeof RESPONSES)[number];

/**
 * Wording as a client writes it: `text` with `{{1}}`, `{{2}}` … where the disputed segments go,
 * and those segments in order. A segment with one option is bracketed wording; with two or more,
 * alternatives (option A, option B …).
 */
export interface WordingInput {
  text: string;
  segments?: Array<{ options: Array<{ text: string; supportedBy?: string[] }> }>;
}

export interface OptionView {
  /** A, B, C … within its segment. */
  id: string;
  text: string;
  /** Party ids (empty for observers). */
  supportedBy: string[];
}

export interface SegmentView {
  id: string;
  options: OptionView[];
}

export interface ClauseMarkView {
  partyId: string;
  level: Exclude<MarkLevel, 'none'>;
}

export interface ClauseView {
  id: string;
  /** 1, 2, 3 … in order; renumbered when clauses are inserted or deleted. */
  number: number;
  heading: string | null;
  /** Stored form: `{{segmentId}}` where a disputed segment sits. */
  text: string;
  /** For people: segments shown in square brackets, alternatives as `[A: … | B: …]`. */
  rendered: string;
  segments: SegmentView[];
  version: number;
  state: ClauseState;
  /** Each party's mark on the current version (empty for observers). */
  marks: ClauseMarkView[];
}

export interface SignOffView {
  partyId: string;
  partyName: string;
  participantId: string;
  signedBy: string;
  sha256: string;
  signedAt: string;
}

export interface AgreementView {
  sessionId: string;
  status: AgreementStatus;
  /** Increases with every change of the text: clients keep the highest. */
  revision: number;
  clauses: ClauseView[];
  finalSha256: string | null;
  finalisedAt: string | null;
  signOffs: SignOffView[];
}

export type ProposalChange =
  | { kind: 'replace'; clauseId: string; baseVersion: number; heading?: string | null; wording: WordingInput }
  | { kind: 'insert'; afterClauseId: string | null; heading?: string | null; wording: WordingInput }
  | { kind: 'delete'; clauseId: string; baseVersion: number }
  | { kind: 'add_option'; clauseId: string; baseVersion: number; segmentId: string; text: string }
  | { kind: 'resolve_option'; clauseId: string; baseVersion: number; segmentId: string; optionId?: string; text?: string };

export type ProposalOrigin = { kind: 'party'; partyId: string; participantId: string } | { kind: 'mediator'; participantId: string };

export interface ProposalResponseView {
  partyId: string;
  participantId: string;
  response: ProposalResponse;
  comment: string | null;
  respondedAt: string;
}

export interface ProposalView {
  id: string;
  sessionId: string;
  change: ProposalChange;
  origin: ProposalOrigin;
  visibility: ProposalVisibility;
  status: ProposalStatus;
  /** The proposal this one answers. */
  counterTo: string | null;
  rationale: string | null;
  responses: ProposalResponseView[];
  createdAt: string;
  decidedAt: string | null;
  /** The clause and version the adoption produced. */
  adopted: { clauseId: string; version: number } | null;
}

export const CHANGE_KINDS = ['created', 'edited', 'option_added', 'resolved', 'deleted'] as const;
export type ClauseChangeKind = (typeof CHANGE_KINDS)[number];

export interface ClauseVersionView {
  clauseId: string;
  version: number;
  heading: string | null;
  text: string;
  rendered: string;
  segments: Array<{ id: string; options: Array<{ id: string; text: string }> }>;
  deleted: boolean;
  changeKind: ClauseChangeKind;
  authorParticipantId: string;
  /** Null when the mediator edited directly, or when the proposal is not the viewer's to see. */
  proposalId: string | null;
  createdAt: string;
}

export interface RedlineView {
  clauseId: string;
  from: number;
  to: number;
  diff: WordDiffSegment[];
}

export interface AgreementHistory {
  sessionId: string;
  versions: ClauseVersionView[];
}

/** The live drafts: the mediator team's working text, and each delegation's (inside its caucus). */
export type DraftScope = { kind: 'mediators' } | { kind: 'party'; partyId: string };

/**
 * Live drafting rides y-protocols sync messages (step 1, step 2, update) as binary payloads.
 * `message` is one encoded y-protocols sync message.
 */
export interface DraftMessagePayload {
  draft: DraftScope;
  message: Uint8Array;
}

/** The answer to a sync step 1: the step 2 with what the client lacks, and the server's own step 1. */
export interface DraftSyncAnswer {
  draft: DraftScope;
  replies: Uint8Array[];
}

/**
 * Inclusive consultation: the people the talks are about write short statements to the mediators
 * and vote on each other's (once moderated); the mediators read the figures per group and table a
 * summary into the session. A respondent has no account: a link for their group (and, when the
 * mediators require it, a one-time code) makes them a respondent with a return code of their own.
 *
 * Routes (all under /api):
 * - mediators (bearer token, lead or co-mediator of the session):
 *   POST /sessions/:sessionId/consultations                       CreateConsultation → ConsultationView
 *   GET  /sessions/:sessionId/consultations                       → ConsultationView[]
 *   GET  /sessions/:sessionId/consultations/:id                   → ConsultationView
 *   POST /sessions/:sessionId/consultations/:id/groups/:groupId/codes  IssueCodes → IssuedCodes
 *   GET  /sessions/:sessionId/consultations/:id/statements?status=     → ModerationItem[]
 *   POST /sessions/:sessionId/consultations/:id/statements/:statementId/moderation  ModerateStatement → ModerationItem
 *   GET  /sessions/:sessionId/consultations/:id/results?k=        → ConsultationResults
 *   POST /sessions/:sessionId/consultations/:id/close             → ConsultationView (results frozen)
 *   GET  /sessions/:sessionId/consultations/:id/results/verification  → FrozenVerification
 *   POST /sessions/:sessionId/consultations/:id/summaries         TableSummary → ConsultationSummaryView
 * - everyone seated in the session (mediators, delegations, observers, interpreters):
 *   GET  /sessions/:sessionId/consultation-summaries              → ConsultationSummaryView[]
 *   socket event `consultation.summary` (ConsultationSummaryView) when one is tabled
 * - respondents (no account; `X-Respondent-Code: <returnCode>` where marked *):
 *   GET  /consult/:link                 → ConsultationPublicView
 *   POST /consult/:link/respondents     StartRespondent → RespondentStarted
 *   GET  /consult/:link/me *            → RespondentView
 *   POST /consult/:link/statements *    SubmitStatement → OwnStatement
 *   GET  /consult/:link/ballot *        → BallotItem[]
 *   POST /consult/:link/votes *         CastVote → RespondentView
 */

/** The header a respondent proves themselves with (their return code). */
export const RESPONDENT_CODE_HEADER = 'x-respondent-code';

export const CONSULTATION_LIMITS = {
  titleMaxLength: 200,
  promptMaxLength: 2000,
  excerptsMax: 10,
  excerptHeadingMaxLength: 200,
  excerptMaxLength: 4000,
  groupsMax: 12,
  groupNameMaxLength: 80,
  /** One-time codes issued in one request. */
  codesPerBatchMax: 500,
  statementMaxLength: 280,
  /** Statements one respondent may write in a consultation (approved or not). */
  statementsPerRespondent: 5,
  /** Approved statements a ballot page holds. */
  ballotPageSize: 20,
  summaryStatementsMax: 50,
  summaryNoteMaxLength: 2000,
  /** A group's figure on a statement resting on fewer votes than this is flagged `few`, and is not judged. */
  minimumCount: 5,
} as const;

export type ConsultationStatus = 'scheduled' | 'open' | 'closed';
export const VOTES = ['agree', 'disagree', 'pass'] as const;
export type VoteValue = (typeof VOTES)[number];
export const STATEMENT_STATUSES = ['pending', 'approved', 'rejected', 'merged'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];
export const MODERATION_DECISIONS = ['approve', 'reject', 'merge'] as const;
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];
/** Why a statement was kept out of the voting pool; the respondent sees the code. */
export const REJECT_REASONS = ['off_topic', 'abusive', 'identifies_someone', 'unclear', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Excerpt {
  heading: string;
  text: string;
}

export interface CreateConsultation {
  title: string;
  prompt: string;
  /** Text the mediators publish to the respondents with the prompt (tabled clauses, for example). */
  excerpts?: Excerpt[];
  /** Languages the consultation is run in (ISO 639-1), the first being its default. */
  languages: string[];
  /** ISO 8601; now when absent. */
  opensAt?: string;
  /** ISO 8601, after opensAt. */
  closesAt: string;
  /** Whether a respondent needs a one-time code besides their group's link. */
  requireCode: boolean;
  groups: Array<{ name: string }>;
}

export interface ConsultationGroupView {
  id: string;
  name: string;
  /** The group's link token: the respondent page is `/c/<link>`, its API `/api/consult/<link>`. */
  link: string;
  respondents: number;
  codesIssued: number;
  codesUsed: number;
}

export interface ConsultationCounts {
  respondents: number;
  pending: number;
  approved: number;
  rejected: number;
  merged: number;
  votes: number;
}

export interface FrozenResults {
  sha256: string;
  frozenAt: string;
}

export interface ConsultationView {
  id: string;
  sessionId: string;
  title: string;
  prompt: string;
  excerpts: Excerpt[];
  languages: string[];
  opensAt: string;
  closesAt: string;
  status: ConsultationStatus;
  requireCode: boolean;
  groups: ConsultationGroupView[];
  counts: ConsultationCounts;
  /** Set once the mediators closed it: the results as frozen, and their hash. */
  frozen: FrozenResults | null;
}

export interface IssueCodes {
  count: number;
}

/** Shown once: the server keeps only their hashes. */
export interface IssuedCodes {
  groupId: string;
  codes: string[];
}

/** A statement as the mediators moderate it: its group, never its author. */
export interface ModerationItem {
  id: string;
  /** Order of arrival within the consultation (1, 2, …): no clock time is kept. */
  number: number;
  groupId: string;
  text: string;
  status: StatementStatus;
  reason: RejectReason | null;
  mergedInto: string | null;
}

export interface ModerateStatement {
  decision: ModerationDecision;
  /** With `reject`. */
  reason?: RejectReason;
  /** With `merge`: the approved statement this one duplicates. */
  into?: string;
}

/** Votes of one group (or all) on one statement; `n` counts them all, passes included. */
export interface Tally {
  agree: number;
  disagree: number;
  pass: number;
  n: number;
}

export interface GroupTally extends Tally {
  groupId: string;
  /** agree / n, or null when n is 0. */
  agreeShare: number | null;
  /** n is under `minimumCount`: shown, never judged. */
  few: boolean;
}

export interface StatementResult {
  statementId: string;
  number: number;
  groupId: string;
  text: string;
  total: Tally;
  groups: GroupTally[];
  /** Every group judged (at least two) agrees: agree share ≥ 0.6 in each. */
  consensus: boolean;
  /** The groups judged differ: agree shares at least 0.4 apart. */
  divisive: boolean;
}

export interface ClusterStatement {
  statementId: string;
  tally: Tally;
  /** agree share in the cluster minus agree share outside it. */
  agreeShareDifference: number;
}

export interface Cluster {
  /** 1, 2, … by decreasing size. */
  number: number;
  size: number;
  /** How many of the cluster's respondents each group holds. */
  groups: Array<{ groupId: string; n: number }>;
  /** The statements that set the cluster apart most (by agreeShareDifference), at most 5. */
  distinctive: ClusterStatement[];
}

export interface Clustering {
  k: number;
  /** Respondents clustered: those who voted on at least `minimumVotes` statements. */
  respondents: number;
  minimumVotes: number;
  method: string;
  clusters: Cluster[];
}

export interface ConsultationResults {
  consultationId: string;
  groups: Array<{ groupId: string; name: string; respondents: number; voters: number }>;
  statements: StatementResult[];
  /** Null when too few respondents voted enough to cluster (fewer than 3 per cluster asked). */
  clustering: Clustering | null;
  minimumCount: number;
  frozen: FrozenResults | null;
}

export interface FrozenVerification {
  sha256: string;
  /** The stored frozen results hash to `sha256`. */
  hashMatches: boolean;
  /** Results worked out again from the stored statements and votes equal the frozen ones. */
  recomputedMatches: boolean;
}

export interface TableSummary {
  title: string;
  statementIds: string[];
  note?: string;
}

export interface SummaryStatement {
  text: string;
  total: Tally;
  groups: Array<Tally & { name: string; few: boolean }>;
}

/** What the parties see of a consultation: only what the mediators tabled. */
export interface ConsultationSummaryView {
  id: string;
  sessionId: string;
  consultationId: string;
  consultationTitle: string;
  title: string;
  note: string | null;
  statements: SummaryStatement[];
  /** sha256 of the canonical JSON of everything above but `id`, `sha256` and `tabledAt`: in the audit chain. */
  sha256: string;
  tabledAt: string;
}

export interface ConsultationPublicView {
  title: string;
  prompt: string;
  excerpts: Excerpt[];
  languages: string[];
  group: { name: string };
  status: ConsultationStatus;
  opensAt: string;
  closesAt: string;
  requireCode: boolean;
  limits: { statementMaxLength: number; statementsPerRespondent: number };
}

export interface StartRespondent {
  /** The one-time code, when the consultation requires one. */
  code?: string;
}

export interface RespondentStarted {
  /** The respondent's own code: it brings them back, and is shown only this once. */
  returnCode: string;
}

export interface OwnStatement {
  id: string;
  text: string;
  status: StatementStatus;
  reason: RejectReason | null;
}

export interface RespondentView {
  group: { name: string };
  statements: OwnStatement[];
  votesCast: number;
  statementsLeft: number;
}

export interface SubmitStatement {
  text: string;
}

export interface BallotItem {
  id: string;
  text: string;
}

export interface CastVote {
  statementId: string;
  vote: VoteValue;
}

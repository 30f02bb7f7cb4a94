/**
 * Stable error codes. Clients branch on `code`; `message` is a sentence for people;
 * `field` names the offending input when there is one. Messages never carry another room's data.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'EMAIL_TAKEN',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'SESSION_NOT_FOUND',
  'PARTY_NOT_FOUND',
  'ROOM_NOT_FOUND',
  'PARTICIPANT_NOT_FOUND',
  'INVITATION_NOT_FOUND',
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'INVITATION_REVOKED',
  'INVITATION_EMAIL_MISMATCH',
  'ALREADY_PARTICIPANT',
  'PARTY_NAME_TAKEN',
  'PARTY_HEAD_EXISTS',
  'MEDIATOR_ONLY',
  'LEAD_MEDIATOR_ONLY',
  'CAUCUS_FORBIDDEN',
  'MEDIATOR_ROOM_FORBIDDEN',
  'JOINT_ROOM_FORBIDDEN',
  'OBSERVER_PLENARY_ONLY',
  'MOVE_FORBIDDEN',
  'NOT_IN_LOBBY',
  'ALREADY_IN_LOBBY',
  'JOINT_MEMBER_INVALID',
  'LANGUAGE_INVALID',
  'LANGUAGE_NOT_DECLARED',
  'LANGUAGE_IN_USE',
  'ROLE_CHANGE_REFUSED',
  'ROOM_CLOSED',
  'LEAD_MEDIATOR_IMMUTABLE',
  'STATUS_TRANSITION_INVALID',
  'SESSION_NOT_OPEN',
  'SESSION_CLOSED',
  'SOCKET_NOT_JOINED',
  'UNKNOWN_EVENT',
  'ROUTE_NOT_FOUND',
  'DATABASE_UNAVAILABLE',
  'REDIS_UNAVAILABLE',
  'SERVER_STOPPING',
  'OBSERVER_READ_ONLY',
  'NOT_IN_ROOM',
  'MESSAGE_NOT_FOUND',
  'SHUTTLE_PARTY_ONLY',
  'SHUTTLE_TARGET_INVALID',
  'SHUTTLE_NOT_AUTHOR',
  'SHUTTLE_NOT_COOLING',
  'SHUTTLE_COOLING',
  'SHUTTLE_ALREADY_DECIDED',
  'SHUTTLE_NOT_CONVEYABLE',
  'WORDING_INVALID',
  'SEGMENT_NOT_FOUND',
  'OPTION_NOT_FOUND',
  'OPTION_NOT_SUPPORTED',
  'CLAUSE_NOT_FOUND',
  'CLAUSE_VERSION_CONFLICT',
  'AGREEMENT_FINAL',
  'PARTY_MEMBER_ONLY',
  'PROPOSAL_NOT_FOUND',
  'PROPOSAL_NOT_OPEN',
  'PROPOSAL_NOT_TABLED',
  'PROPOSAL_NOT_YOURS',
  'CLAUSE_BRACKETED',
  'AD_REFERENDUM_FIRST',
  'AGREEMENT_NOT_READY',
  'HEAD_OF_DELEGATION_ONLY',
  'AGREEMENT_NOT_FINAL',
  'SIGNOFF_HASH_MISMATCH',
  'ALREADY_SIGNED',
  'OBSERVER_TABLED_ONLY',
  'DRAFT_FORBIDDEN',
  'DRAFT_MESSAGE_INVALID',
  'VERSION_NOT_FOUND',
  'MEDIA_UNAVAILABLE',
  'MEDIA_NOT_JOINED',
  'FEED_NOT_FOUND',
  'MEDIA_FAILED',
  'MEDIA_UNSUPPORTED',
  'MEDIA_KIND_REFUSED',
  'CHANNEL_REFUSED',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'EMAIL_NOT_VERIFIED',
  'VERIFICATION_INVALID',
  'INVITATION_ADDRESSEE_UNKNOWN',
  'SIGN_IN_NOT_FOUND',
  'SIGN_IN_REVOKED',
  'ACCOUNT_LEADS_OPEN_SESSIONS',
  'ORIGIN_FORBIDDEN',
  'CSRF_FAILED',
  'MAIL_UNAVAILABLE',
  'CONSULTATION_NOT_FOUND',
  'CONSULTATION_LINK_UNKNOWN',
  'CONSULTATION_NOT_OPEN',
  'CONSULTATION_CLOSED',
  'CONSULTATION_NOT_CLOSED',
  'RESPONDENT_CODE_REQUIRED',
  'RESPONDENT_CODE_INVALID',
  'RESPONDENT_CODE_USED',
  'RESPONDENT_UNKNOWN',
  'STATEMENT_NOT_FOUND',
  'STATEMENT_LIMIT_REACHED',
  'STATEMENT_ALREADY_MODERATED',
  'MERGE_TARGET_INVALID',
  'VOTE_ALREADY_CAST',
  'VOTE_OWN_STATEMENT',
  'SUMMARY_STATEMENT_INVALID',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response and every failed socket acknowledgement. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  field?: string;
  /** Safe extra data, e.g. the allowed transitions. */
  details?: Record<string, unknown>;
  /**
   * Set on outages (a dependency away, the server stopping): the request changed nothing and the
   * same request may be sent again later. Absent on every other error.
   */
  retryable?: true;
}

/**
 * Codes that name an outage rather than a mistake: the platform is up, a dependency (or this
 * instance) is not, and nothing was changed. A client waits and retries; a person is told what is
 * missing, never "something went wrong".
 */
export const RETRYABLE_ERROR_CODES = [
  'DATABASE_UNAVAILABLE',
  'REDIS_UNAVAILABLE',
  'MEDIA_UNAVAILABLE',
  'SERVER_STOPPING',
] as const satisfies readonly ErrorCode[];
export type RetryableErrorCode = (typeof RETRYABLE_ERROR_CODES)[number];
export const isRetryable = (code: ErrorCode): code is RetryableErrorCode => (RETRYABLE_ERROR_CODES as readonly ErrorCode[]).includes(code);

export interface HttpErrorBody extends ApiError {
  statusCode: number;
}

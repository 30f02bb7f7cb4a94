/**
 * Stable error codes. Clients branch on `code`; `message` is a sentence for people;
 * `field` names the offending input when there is one. Messages never carry another room's data.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
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
  'ROOM_CLOSED',
  'LEAD_MEDIATOR_IMMUTABLE',
  'STATUS_TRANSITION_INVALID',
  'SESSION_NOT_OPEN',
  'SESSION_CLOSED',
  'SOCKET_NOT_JOINED',
  'UNKNOWN_EVENT',
  'ROUTE_NOT_FOUND',
  'DATABASE_UNAVAILABLE',
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
}

export interface HttpErrorBody extends ApiError {
  statusCode: number;
}

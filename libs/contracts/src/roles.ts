/** A participant's role in one mediation session. Roles are per session, never per account. */
export const PARTICIPANT_ROLES = ['lead_mediator', 'co_mediator', 'party_member', 'observer', 'interpreter'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Roles an invitation may carry: there is exactly one lead mediator, the session's creator. */
export const INVITABLE_ROLES = ['co_mediator', 'party_member', 'observer', 'interpreter'] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];

export const ROOM_KINDS = ['plenary', 'caucus', 'mediator', 'joint'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** draft → open ⇄ suspended → closed (draft may also be closed without ever opening). */
export const SESSION_STATUSES = ['draft', 'open', 'suspended', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * A language as a session declares it: an ISO 639 code, optionally with a region (`ar`, `fr`,
 * `pt-BR`). An interpreter's pair and an interpretation channel name only declared languages.
 */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
/** The most languages a session declares. */
export const MAX_SESSION_LANGUAGES = 12;

/** An interpreter's two working languages (`ar↔en`): they interpret into either. */
export type LanguagePair = [string, string];

import { DomainError } from '@parley/platform/domain';
import type { SessionStatus } from '@parley/contracts';

/** The allowed moves of a session's status. A closed session stays closed. */
export const STATUS_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  draft: ['open', 'closed'],
  open: ['suspended', 'closed'],
  suspended: ['open', 'closed'],
  closed: [],
};

export function assertTransition(from: SessionStatus, to: SessionStatus): void {
  if (!STATUS_TRANSITIONS[from].includes(to)) {
    throw new DomainError('STATUS_TRANSITION_INVALID', `A ${from} session cannot become ${to}.`, 'status', {
      from,
      to,
      allowed: STATUS_TRANSITIONS[from],
    });
  }
}

/**
 * What each status allows, action by action. Every use case that one of these actions names asks
 * `assertStatusAllows` first, before anything else is looked at (so a refusal says nothing about a
 * message or a room); test/support/permission-table.ts states the same rules independently of this
 * table (STATUS_TABLE), and a unit spec and an e2e suite are generated from it.
 * - configure: edit details, add parties, open joint rooms, invite, change roles — not once closed;
 * - connect: be present (lobby or a room) — every status but closed;
 * - seatParties: put non-mediators into rooms — only while open. In draft and suspended the
 *   mediators may still meet among themselves, and everyone else waits in the lobby;
 * - mediatorPost / partyPost: post in a room's chat. Mediators may confer in a draft or suspended
 *   session; party members speak only while it is open;
 * - shuttleSubmit: a party member writes to the mediator — a party member's act, so only while
 *   open, as their chat;
 * - shuttleWithdraw: the sender takes a message back while it cools off — while open, and also
 *   during a break: a break does not stop the cooling-off clock (the message is released on
 *   time), so refusing the withdrawal then would let a break take away the sender's last word on
 *   what the mediators see;
 * - shuttleDecide: a mediator conveys (verbatim, edited, as their own), holds or declines — a
 *   mediator's act, so in every status but closed, as their chat;
 * - shuttleRelease: the cooling-off scheduler moves a cooled-off message into the mediators'
 *   queue — whenever the mediators may decide it, so every status but closed. A message still
 *   cooling when the session closes stays as it was: `cooling`, stored with its submission's audit
 *   entry, visible to its delegation, never released and no longer withdrawable. Nothing is lost,
 *   and nothing changes in a closed session (the scheduler does not even look at it again).
 *
 * Nothing is allowed once closed, and the refusal is `SESSION_CLOSED` for every action.
 */
export const STATUS_ACTIONS = [
  'configure',
  'connect',
  'seatParties',
  'mediatorPost',
  'partyPost',
  'shuttleSubmit',
  'shuttleWithdraw',
  'shuttleDecide',
  'shuttleRelease',
] as const;
export type StatusAction = (typeof STATUS_ACTIONS)[number];

/** What mediators may do without the parties: confer, and work through the shuttle queue. */
const MEDIATORS_AT_WORK: readonly StatusAction[] = ['configure', 'connect', 'mediatorPost', 'shuttleDecide', 'shuttleRelease'];

const ALLOWED: Readonly<Record<SessionStatus, readonly StatusAction[]>> = {
  draft: MEDIATORS_AT_WORK,
  open: [...MEDIATORS_AT_WORK, 'seatParties', 'partyPost', 'shuttleSubmit', 'shuttleWithdraw'],
  suspended: [...MEDIATORS_AT_WORK, 'shuttleWithdraw'],
  closed: [],
};

export const statusAllows = (status: SessionStatus, action: StatusAction): boolean => ALLOWED[status].includes(action);

/** The statuses in which `action` is allowed (for a query that must leave the others alone). */
export const statusesAllowing = (action: StatusAction): SessionStatus[] =>
  (Object.keys(ALLOWED) as SessionStatus[]).filter((s) => statusAllows(s, action));

export function assertStatusAllows(status: SessionStatus, action: StatusAction): void {
  if (statusAllows(status, action)) return;
  if (status === 'closed') throw new DomainError('SESSION_CLOSED', 'The session is closed.');
  throw new DomainError(
    'SESSION_NOT_OPEN',
    action === 'seatParties'
      ? `The session is ${status}: only mediators may be seated in rooms.`
      : `The session is ${status}: party members act only while it is open.`,
  );
}

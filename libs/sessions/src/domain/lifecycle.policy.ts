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
    throw new DomainError(
      'STATUS_TRANSITION_INVALID',
      `A ${from} session cannot become ${to}.`,
      'status',
      { from, to, allowed: STATUS_TRANSITIONS[from] },
    );
  }
}

/**
 * What each status allows.
 * - configure: edit details, add parties, open joint rooms, invite, change roles — not once closed;
 * - connect: be present (lobby or a room) — every status but closed;
 * - seatParties: put non-mediators into rooms — only while open. In draft and suspended the
 *   mediators may still meet among themselves, and everyone else waits in the lobby.
 */
export type StatusCapability = 'configure' | 'connect' | 'seatParties';

const CAPABILITIES: Readonly<Record<SessionStatus, readonly StatusCapability[]>> = {
  draft: ['configure', 'connect'],
  open: ['configure', 'connect', 'seatParties'],
  suspended: ['configure', 'connect'],
  closed: [],
};

export const statusAllows = (status: SessionStatus, capability: StatusCapability): boolean =>
  CAPABILITIES[status].includes(capability);

export function assertStatusAllows(status: SessionStatus, capability: StatusCapability): void {
  if (statusAllows(status, capability)) return;
  if (status === 'closed') throw new DomainError('SESSION_CLOSED', 'The session is closed.');
  throw new DomainError('SESSION_NOT_OPEN', `The session is ${status}: only mediators may be seated in rooms.`);
}

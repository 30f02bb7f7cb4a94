import { DomainError } from '@parley/platform/domain';
import type { SessionStatus } from '@parley/contracts';
import type { LocatedParticipant } from './model';

export interface DepartureDecision {
  type: 'participant.left';
  participantId: string;
  /** The room the seat was in (null = the lobby). */
  fromRoomId: string | null;
}

/**
 * A participant leaves a session for good (their account is deleted). A closed session keeps its
 * seats as they were: it is a record, nothing is left. A lead mediator of a session not closed may
 * not leave it — a session is never without its lead (ACCOUNT_LEADS_OPEN_SESSIONS: close it or
 * hand it over first). Anyone else's seat is emptied, wherever it was.
 */
export function decideDeparture(p: LocatedParticipant, status: SessionStatus): DepartureDecision | null {
  if (status === 'closed') return null;
  if (p.role === 'lead_mediator') {
    throw new DomainError(
      'ACCOUNT_LEADS_OPEN_SESSIONS',
      'This account leads sessions that are not closed: close them or hand them over first.',
    );
  }
  return { type: 'participant.left', participantId: p.id, fromRoomId: p.roomId };
}

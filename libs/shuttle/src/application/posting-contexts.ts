import type { SessionStatus } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import type { LocatedParticipant, Room } from '@parley/sessions';

export interface PostingContext {
  status: SessionStatus;
  actor: LocatedParticipant & { displayName: string };
  room: Room | null;
}

/** A posting context and where it came from: read now, or remembered from an earlier read. */
export interface RecalledContext {
  context: PostingContext;
  /**
   * True when it was remembered: it may be out of date, so it can only let a post through (the
   * write checks that every fact it holds still stands); a refusal must be decided on a fresh read.
   */
  remembered: boolean;
}

/**
 * Everything the posting rules need — the session's status, the caller's participant and the
 * target room (with whether a joint room names the caller) — read at once: posting is the hottest
 * path of the control plane. A store may answer from memory unless `fresh` is asked for (see
 * RecalledContext). SESSION_NOT_FOUND when the caller is not part of the session.
 */
export abstract class PostingContexts {
  abstract load(sessionId: string, userId: string, roomId: string, opts?: { fresh?: boolean }): Promise<RecalledContext>;
}

export const roomNotFound = () => new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');

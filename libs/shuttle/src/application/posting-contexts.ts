import type { SessionStatus } from '@parley/contracts';
import { DomainError } from '@parley/platform';
import type { LocatedParticipant, Room } from '@parley/sessions';

export interface PostingContext {
  status: SessionStatus;
  actor: LocatedParticipant & { displayName: string };
  room: Room | null;
}

/**
 * Everything the posting rules need — the session's status, the caller's participant and the
 * target room (with whether a joint room names the caller) — read at once: posting is the hottest
 * path of the control plane. SESSION_NOT_FOUND when the caller is not part of the session.
 */
export abstract class PostingContexts {
  abstract load(sessionId: string, userId: string, roomId: string): Promise<PostingContext>;
}

export const roomNotFound = () => new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');

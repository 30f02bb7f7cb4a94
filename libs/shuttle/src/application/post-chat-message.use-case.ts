import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { assertMayPost, normaliseText, textHash } from '../domain';
import { PostingContexts, roomNotFound } from './posting-contexts';
import { RoomEventSequencer } from './room-event-sequencer';
import { RoomStreams } from './room-streams';

export interface PostChatCommand {
  userId: string;
  sessionId: string;
  roomId: string;
  text: string;
  clientMessageId: string;
  /**
   * The socket it came over, when it came over one: that socket has the event in its
   * acknowledgement and is not sent it again (the sender's other sockets, another device, are).
   */
  originSocketId?: string;
}

/** How often a post is decided again when its poster was moved (or re-roled) between decision and write. */
const MAX_ATTEMPTS = 3;

/**
 * A chat message: decided on the poster's seat, then stored with its place in the room's stream
 * and its audit entry — group-committed with the posts arriving alongside it, in one write —
 * before the sender hears back; only then sent to the room (but for the socket it came over, whose
 * acknowledgement carries it). A retry with the same
 * clientMessageId, even two racing copies, returns the stored message and sends nothing again.
 * Sent through the sequencer, which keeps the room's live events in seq order although writes
 * answer in any order.
 */
@Injectable()
export class PostChatMessageUseCase {
  constructor(
    private readonly contexts: PostingContexts,
    private readonly streams: RoomStreams,
    private readonly sequencer: RoomEventSequencer,
  ) {}

  async execute(cmd: PostChatCommand): Promise<RoomEvent> {
    for (let attempt = 1; ; attempt++) {
      const { status, actor, room } = await this.contexts.load(cmd.sessionId, cmd.userId, cmd.roomId);
      if (!room) throw roomNotFound();
      assertMayPost(actor, room, status);
      const text = normaliseText(cmd.text);
      const payload: ChatMessageView = {
        id: randomUUID(),
        text,
        authorParticipantId: actor.id,
        authorName: actor.displayName,
        authorRole: actor.role,
        clientMessageId: cmd.clientMessageId,
      };
      const write = this.sequencer.begin(room.id);
      try {
        // Written only if the seat the decision was made on still holds when the write happens.
        const outcome = await this.streams.appendChat({
          sessionId: cmd.sessionId,
          roomId: room.id,
          payload,
          seat: { participantId: actor.id, role: actor.role, roomId: actor.roomId },
          audit: {
            type: 'chat.message.posted',
            actorUserId: cmd.userId,
            actorParticipantId: actor.id,
            payload: { roomId: room.id, eventId: payload.id, authorParticipantId: actor.id, textSha256: textHash(text) },
          },
        });
        if (outcome.kind === 'stored') {
          write.publish([outcome.event], cmd.originSocketId);
          return outcome.event;
        }
        // This key was used before: answer with what was stored then.
        if (outcome.kind === 'repeat') return outcome.event;
      } finally {
        write.end(); // stored nothing (a failure, a repeat, a moved seat): no event waits for this write
      }
      // Moved (or re-roled) meanwhile: decide again on the new seat, which answers with the refusal.
      if (attempt >= MAX_ATTEMPTS) throw new Error('chat post: the seat kept changing under it');
    }
  }
}

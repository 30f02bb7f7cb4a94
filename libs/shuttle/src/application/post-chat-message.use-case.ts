import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { assertMayPost, normaliseText, textHash } from '../domain';
import type { Room } from '@parley/sessions';
import { PostingContexts, roomNotFound, type PostingContext } from './posting-contexts';
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

/** How many writes decided on a fresh read a post gets when what it was decided on keeps changing before the write. */
const MAX_ATTEMPTS = 3;

/**
 * A chat message: decided on the poster's context, then stored with its place in the room's stream
 * and its audit entry — group-committed with the posts arriving alongside it, in one write —
 * before the sender hears back; only then sent to the room (but for the socket it came over, whose
 * acknowledgement carries it). A retry with the same clientMessageId, even two racing copies,
 * returns the stored message and sends nothing again. Sent through the sequencer, which keeps the
 * room's live events in seq order although writes answer in any order.
 *
 * The context may come from memory (a poster's seat changes rarely, posts come often). So that a
 * remembered context never decides wrongly: it can only let a post through, and the write stores
 * it only if every fact the decision read still holds; a refusal, or a write that finds a fact
 * changed, is decided again on a fresh read, which answers with the refusal when there is one.
 */
@Injectable()
export class PostChatMessageUseCase {
  constructor(
    private readonly contexts: PostingContexts,
    private readonly streams: RoomStreams,
    private readonly sequencer: RoomEventSequencer,
  ) {}

  async execute(cmd: PostChatCommand): Promise<RoomEvent> {
    let fresh = false;
    for (let writes = 0; ;) {
      const { context, remembered } = await this.contexts.load(cmd.sessionId, cmd.userId, cmd.roomId, { fresh });
      let room: Room;
      try {
        room = roomToPostIn(context);
      } catch (refusal) {
        if (!remembered) throw refusal;
        fresh = true; // a remembered context never refuses: the refusal may be out of date
        continue;
      }
      const { actor } = context;
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
        // Written only if what the decision was made on still holds when the write happens.
        const outcome = await this.streams.appendChat({
          sessionId: cmd.sessionId,
          roomId: room.id,
          payload,
          decidedOn: { ...context, room },
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
        write.end(); // stored nothing (a failure, a repeat, a stale decision): no event waits for this write
      }
      // Moved (or re-roled, or the session paused…) meanwhile: decide again on a fresh read.
      if (!remembered && ++writes >= MAX_ATTEMPTS) throw new Error('chat post: what it was decided on kept changing under it');
      fresh = true;
    }
  }
}

/** The room this context may post in; the refusal when it may not. */
function roomToPostIn({ status, actor, room }: PostingContext): Room {
  if (!room) throw roomNotFound();
  assertMayPost(actor, room, status);
  return room;
}

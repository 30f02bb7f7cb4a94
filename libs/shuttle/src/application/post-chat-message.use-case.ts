import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import { assertMayPost, normaliseText, textHash } from '../domain';
import { RoomStreams } from '../infrastructure/room-streams';
import { loadPostingContext, roomNotFound } from '../infrastructure/posting-context';

export interface PostChatCommand {
  userId: string;
  sessionId: string;
  roomId: string;
  text: string;
  clientMessageId: string;
}

/**
 * A chat message: stored with its place in the room's stream and its audit entry before the
 * sender hears back; only then sent to the room. A retry with the same clientMessageId — even two
 * racing copies — returns the stored message and sends nothing again (the unique index decides).
 */
@Injectable()
export class PostChatMessageUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
  ) {}

  async execute(cmd: PostChatCommand): Promise<RoomEvent> {
    try {
      const event = await this.dataSource.transaction(async (manager) => {
        const { status, actor, room } = await loadPostingContext(manager, cmd.sessionId, cmd.userId, cmd.roomId);
        if (!room) throw roomNotFound();
        assertMayPost(actor, room, status);
        const text = normaliseText(cmd.text);
        const payload: ChatMessageView = {
          id: randomUUID(), text, authorParticipantId: actor.id, authorName: actor.displayName, authorRole: actor.role, clientMessageId: cmd.clientMessageId,
        };
        const stored = await this.streams.append(manager, {
          sessionId: cmd.sessionId, roomId: room.id, type: 'chat.message', payload, authorParticipantId: actor.id, clientKey: cmd.clientMessageId,
        });
        // Already stored under this key: roll back (undoing the sequence bump) and answer with it.
        if (!stored) throw new AlreadyPosted(actor.id);
        await this.audit.append(manager, cmd.sessionId, [{
          type: 'chat.message.posted', actorUserId: cmd.userId, actorParticipantId: actor.id,
          payload: { roomId: room.id, seq: stored.seq, authorParticipantId: actor.id, textSha256: textHash(text) },
        }]);
        return stored;
      });
      this.channel.toRoom(event.roomId, 'room.event', event);
      return event;
    } catch (e) {
      if (!(e instanceof AlreadyPosted)) throw e;
      return (await this.streams.byClientKey(this.dataSource.manager, e.authorParticipantId, cmd.clientMessageId))!;
    }
  }
}

/** Internal signal: this client key was used before (a retry). */
class AlreadyPosted extends Error {
  constructor(readonly authorParticipantId: string) {
    super('already posted');
  }
}

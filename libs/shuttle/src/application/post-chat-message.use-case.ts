import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError } from '@parley/platform';
import { REALTIME_CHANNEL, loadActor, loadRoom, toLocated, type RealtimeChannel } from '@parley/sessions';
import { assertMayPost, normaliseText, textHash } from '../domain';
import { RoomStreams } from '../infrastructure/room-streams';
import { isUniqueViolation } from './unique-violation';

export interface PostChatCommand {
  userId: string;
  sessionId: string;
  roomId: string;
  text: string;
  clientMessageId: string;
}

/**
 * A chat message: stored with its place in the room's stream and its audit entry before the
 * sender hears back; only then sent to the room. A retry with the same clientMessageId returns
 * the stored message and sends nothing again.
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
    let result: { event: RoomEvent; fresh: boolean };
    try {
      result = await this.dataSource.transaction(async (manager) => {
        const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId);
        const room = await loadRoom(manager, session.id, cmd.roomId);
        if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
        assertMayPost(toLocated(actor), room, session.status);
        const earlier = await this.streams.byClientKey(manager, actor.id, cmd.clientMessageId);
        if (earlier) return { event: earlier, fresh: false };
        const text = normaliseText(cmd.text);
        const payload: ChatMessageView = {
          id: randomUUID(), text, authorParticipantId: actor.id, authorName: actor.displayName, authorRole: actor.role, clientMessageId: cmd.clientMessageId,
        };
        const event = await this.streams.append(manager, {
          sessionId: session.id, roomId: room.id, type: 'chat.message', payload, authorParticipantId: actor.id, clientKey: cmd.clientMessageId,
        });
        await this.audit.append(manager, session.id, [{
          type: 'chat.message.posted', actorUserId: cmd.userId, actorParticipantId: actor.id,
          payload: { roomId: room.id, seq: event.seq, authorParticipantId: actor.id, textSha256: textHash(text) },
        }]);
        return { event, fresh: true };
      });
    } catch (e) {
      // Two copies of one retry raced: the first stored it; answer with that one.
      if (!isUniqueViolation(e, 'room_events_idempotency')) throw e;
      const { actor } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
      result = { event: (await this.streams.byClientKey(this.dataSource.manager, actor.id, cmd.clientMessageId))!, fresh: false };
    }
    if (result.fresh) this.channel.toRoom(result.event.roomId, 'room.event', result.event);
    return result.event;
  }
}

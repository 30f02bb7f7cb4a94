import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { REALTIME_CHANNEL, type RealtimeChannel } from '@parley/sessions';
import { preparedQuery } from '@parley/platform';
import { assertMayPost, normaliseText, textHash } from '../domain';
import { RoomStreams, STREAM_GUARD, toStoredEvent } from '../infrastructure/room-streams';
import { loadPostingContext, roomNotFound } from '../infrastructure/posting-context';

export interface PostChatCommand {
  userId: string;
  sessionId: string;
  roomId: string;
  text: string;
  clientMessageId: string;
}

/**
 * A chat message: stored with its place in the room's stream and its audit entry — in a single
 * statement, the control plane's hottest path — before the sender hears back; only then sent to
 * the room. A retry with the same clientMessageId, even two racing copies, returns the stored
 * message and sends nothing again (the unique index decides).
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
    const { status, actor, room } = await loadPostingContext(this.dataSource, cmd.sessionId, cmd.userId, cmd.roomId);
    if (!room) throw roomNotFound();
    assertMayPost(actor, room, status);
    const text = normaliseText(cmd.text);
    const payload: ChatMessageView = {
      id: randomUUID(), text, authorParticipantId: actor.id, authorName: actor.displayName, authorRole: actor.role, clientMessageId: cmd.clientMessageId,
    };
    const event = { sessionId: cmd.sessionId, roomId: room.id, type: 'chat.message' as const, payload, authorParticipantId: actor.id, clientKey: cmd.clientMessageId };
    const stream = this.streams.appendSql({ ...event, id: payload.id });
    const audit = this.audit.appendSql(cmd.sessionId, {
      type: 'chat.message.posted', actorUserId: cmd.userId, actorParticipantId: actor.id,
      payload: { roomId: room.id, eventId: payload.id, authorParticipantId: actor.id, textSha256: textHash(text) },
    }, new Date(), stream.params.length, 'audit', 'stream_event');
    // One statement, so one commit: the message, its number in the room and its audit entry.
    // No row inserted means this key was used before: answer with what was stored then.
    let row: { seq: number | null; created_at: Date | null };
    try {
      [row] = await preparedQuery<typeof row>(this.dataSource,
        `WITH ${stream.ctes}, ${audit.ctes}
         SELECT (SELECT seq FROM stream_event) AS seq, (SELECT created_at FROM stream_event) AS created_at, ${STREAM_GUARD} AS guard`,
        [...stream.params, ...audit.params],
      );
    } catch (e) {
      if ((e as { code?: string }).code !== '22012') throw e;
      row = { seq: null, created_at: null }; // two copies of one retry raced; the other stored it
    }
    if (row.seq === null) return (await this.streams.byClientKey(this.dataSource.manager, actor.id, cmd.clientMessageId))!;
    const stored = toStoredEvent(event, row as { seq: number; created_at: Date });
    this.channel.toRoom(stored.roomId, 'room.event', stored);
    return stored;
  }
}

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatMessageView, RoomEvent } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { preparedQuery } from '@parley/platform';
import { assertMayPost, normaliseText, textHash } from '../domain';
import { RoomStreams, STREAM_RESULT, toStoredEvent } from '../infrastructure/room-streams';
import { loadPostingContext, roomNotFound } from '../infrastructure/posting-context';
import { RoomEventSequencer } from './room-event-sequencer';

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
 * message and sends nothing again (the unique index decides). Sent through the sequencer, which
 * keeps the room's live events in seq order although commits answer in any order.
 */
@Injectable()
export class PostChatMessageUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: RoomStreams,
    private readonly audit: AuditTrail,
    private readonly sequencer: RoomEventSequencer,
  ) {}

  async execute(cmd: PostChatCommand, attempt = 1): Promise<RoomEvent> {
    const { status, actor, room } = await loadPostingContext(this.dataSource, cmd.sessionId, cmd.userId, cmd.roomId);
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
    const event = {
      sessionId: cmd.sessionId,
      roomId: room.id,
      type: 'chat.message' as const,
      payload,
      authorParticipantId: actor.id,
      clientKey: cmd.clientMessageId,
    };
    // The decision above holds only if the poster's seat is unchanged when the write happens:
    // `seat` locks their participant row (a concurrent move or role change is waited for, then
    // seen) and requires the role and room the decision was made on.
    const seat = `seat AS (
        SELECT 1 FROM participants WHERE id = $1::uuid AND role = $2 AND room_id IS NOT DISTINCT FROM $3::uuid FOR SHARE
      )`;
    const seatParams = [actor.id, actor.role, actor.roomId];
    const stream = this.streams.appendSql({ ...event, id: payload.id }, seatParams.length, 'seat');
    const audit = this.audit.appendSql(
      cmd.sessionId,
      {
        type: 'chat.message.posted',
        actorUserId: cmd.userId,
        actorParticipantId: actor.id,
        payload: { roomId: room.id, eventId: payload.id, authorParticipantId: actor.id, textSha256: textHash(text) },
      },
      new Date(),
      seatParams.length + stream.params.length,
      'audit',
      'stream_event',
    );
    // One statement, so one commit: the message, its number in the room and its audit entry.
    let row: { seq: number | null; created_at: Date | null; seated: number };
    const write = this.sequencer.begin(room.id);
    try {
      try {
        [row] = await preparedQuery<typeof row>(
          this.dataSource,
          `WITH ${seat}, ${stream.ctes}, ${audit.ctes}
           ${STREAM_RESULT}, (SELECT count(*)::int FROM seat) AS seated`,
          [...seatParams, ...stream.params, ...audit.params],
        );
      } catch (e) {
        if ((e as { code?: string }).code !== '22012') throw e;
        row = { seq: null, created_at: null, seated: 1 }; // two copies of one retry raced; the other stored it
      }
      if (row.seq !== null) {
        const stored = toStoredEvent(event, row as { seq: number; created_at: Date });
        write.publish([stored]);
        return stored;
      }
    } finally {
      write.end(); // stored nothing (a failure, a repeat, a moved seat): no event waits for this write
    }
    // Moved (or re-roled) meanwhile: decide again on the new seat, which answers with the refusal.
    if (row.seated === 0 && attempt < 3) return this.execute(cmd, attempt + 1);
    // This key was used before: answer with what was stored then.
    const earlier = await this.streams.byClientKey(this.dataSource.manager, actor.id, cmd.clientMessageId);
    if (!earlier) throw new Error('chat post neither stored nor found');
    return earlier;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import type { RoomEvent, RoomHistory } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { APP_CONFIG, GroupCommit, managerOf, preparedQuery, type AppConfig, type Tx } from '@parley/platform';
import { RoomStreams, type ChatAppendOutcome, type ChatPost, type NewRoomEvent } from '../application/room-streams';

import { RoomEventEntity, RoomStreamEntity } from './persistence';

export type { NewRoomEvent } from '../application/room-streams';

export const toRoomEvent = (e: RoomEventEntity): RoomEvent =>
  ({
    sessionId: e.sessionId,
    roomId: e.roomId,
    seq: e.seq,
    type: e.type,
    payload: e.payload,
    createdAt: e.createdAt.toISOString(),
  }) as unknown as RoomEvent;

export const MAX_PAGE = 200;

const toStoredEvent = (e: NewRoomEvent, row: { seq: number; created_at: Date | string }): RoomEvent =>
  ({
    sessionId: e.sessionId,
    roomId: e.roomId,
    seq: row.seq,
    type: e.type,
    payload: e.payload,
    createdAt: new Date(row.created_at).toISOString(),
  }) as unknown as RoomEvent;

/** The facts a post was decided on, as `parley_append_decided_chats` checks them at write time. */
const decidedOn = ({ decidedOn: { status, actor, room } }: ChatPost) => ({
  role: actor.role,
  seat_room: actor.roomId,
  party: actor.partyId,
  brought_by: actor.broughtByPartyId ?? null,
  is_head: actor.isHead,
  name: actor.displayName,
  status,
  closed: room.closed,
  named: room.memberIds.includes(actor.id),
});

/** What one batched write says of a post; a repeat's earlier event is read after the batch. */
type Written = { kind: 'stored'; event: RoomEvent } | { kind: 'repeat' } | { kind: 'stale' };

interface AppendRow {
  o_ord: number;
  o_outcome: 'stored' | 'repeat' | 'stale';
  o_seq: number | null;
  o_created_at: Date | string | null;
}

/**
 * The rooms' streams in PostgreSQL. A server-made event takes the room's next number inside the
 * caller's transaction (the counter row stays locked until commit: a rolled-back write leaves no
 * gap and two writers never share a number). Chat posts are group-committed: those that arrive
 * while a write is under way (or within CHAT_COMMIT_WINDOW_MS) go together in one call of
 * `parley_append_decided_chats` (migration 1764450000000), one round trip and
 * one commit for all of them, each with its own check of what it was decided on, idempotency key,
 * number and audit entry.
 */
@Injectable()
export class SqlRoomStreams extends RoomStreams {
  private readonly chats: GroupCommit<ChatPost, Written>;
  private stale = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.chats = new GroupCommit((posts) => this.writeChats(posts), config.chatCommit);
  }

  async append(tx: Tx, e: Omit<NewRoomEvent, 'clientKey'>): Promise<RoomEvent> {
    const [row] = await managerOf(tx).query<Array<{ seq: number; created_at: Date | string }>>(
      `WITH stream_next AS (
          INSERT INTO room_streams (room_id, last_seq) VALUES ($2::uuid, 1)
          ON CONFLICT (room_id) DO UPDATE SET last_seq = room_streams.last_seq + 1
          RETURNING last_seq
        )
        INSERT INTO room_events (id, session_id, room_id, seq, type, payload, author_participant_id, client_key)
        SELECT $1::uuid, $3::uuid, $2::uuid, stream_next.last_seq, $4, $5::jsonb, $6::uuid, NULL FROM stream_next
        RETURNING seq, created_at`,
      [randomUUID(), e.roomId, e.sessionId, e.type, JSON.stringify(e.payload), e.authorParticipantId ?? null],
    );
    return toStoredEvent(e, row);
  }

  async appendChat(post: ChatPost): Promise<ChatAppendOutcome> {
    const outcome = await this.chats.submit(post);
    if (outcome.kind !== 'repeat') return outcome;
    // A key used before: what was stored then, read outside the batch so the next write need not wait for it.
    const earlier = await this.byClientKey(post.decidedOn.actor.id, post.payload.clientMessageId);
    if (!earlier) throw new Error('chat post neither stored nor found');
    return { kind: 'repeat', event: earlier };
  }

  /**
   * Statistics since start (for the benchmark, tests and logs): writes made, posts carried, and
   * posts found stale at write time (what they were decided on had changed).
   */
  groupCommitStats(): { writes: number; posts: number; stale: number } {
    return { ...this.chats.stats(), stale: this.stale };
  }

  /** One write for a batch of posts, in arrival order within each room. */
  private async writeChats(posts: ChatPost[]): Promise<Written[]> {
    const at = new Date();
    const rows = posts.map((p) => ({
      id: p.payload.id,
      session_id: p.sessionId,
      room_id: p.roomId,
      type: 'chat.message',
      payload: p.payload,
      author: p.decidedOn.actor.id,
      client_key: p.payload.clientMessageId,
      decided_on: decidedOn(p),
      audit: this.audit.prepare(p.sessionId, p.audit, at),
    }));
    const answered = await preparedQuery<AppendRow>(this.dataSource, `SELECT * FROM parley_append_decided_chats($1::jsonb)`, [
      JSON.stringify(rows),
    ]);
    const byOrd = new Map(answered.map((r) => [Number(r.o_ord), r]));
    return posts.map((p, i): Written => {
      const row = byOrd.get(i + 1);
      if (!row) throw new Error('chat batch answered without this post');
      if (row.o_outcome === 'stale') {
        this.stale++;
        return { kind: 'stale' };
      }
      if (row.o_outcome === 'repeat') return { kind: 'repeat' };
      const event = { sessionId: p.sessionId, roomId: p.roomId, type: 'chat.message' as const, payload: p.payload };
      return { kind: 'stored', event: toStoredEvent(event, { seq: row.o_seq!, created_at: row.o_created_at! }) };
    });
  }

  /** The event a client already posted under this idempotency key, if any. */
  private async byClientKey(authorParticipantId: string, clientKey: string): Promise<RoomEvent | null> {
    const found = await this.dataSource.getRepository(RoomEventEntity).findOne({ where: { authorParticipantId, clientKey } });
    return found ? toRoomEvent(found) : null;
  }

  async read(tx: Tx, roomId: string, q: { afterSeq?: number; beforeSeq?: number; limit?: number }): Promise<RoomHistory> {
    const limit = Math.min(q.limit ?? 50, MAX_PAGE);
    const repo = managerOf(tx).getRepository(RoomEventEntity);
    const ascending = q.afterSeq !== undefined;
    const rows = await repo.find({
      where: { roomId, ...(ascending ? { seq: MoreThan(q.afterSeq!) } : q.beforeSeq !== undefined ? { seq: LessThan(q.beforeSeq) } : {}) },
      order: { seq: ascending ? 'ASC' : 'DESC' },
      take: limit + 1,
    });
    const stream = await managerOf(tx).getRepository(RoomStreamEntity).findOne({ where: { roomId } });
    const page = rows.slice(0, limit);
    return { roomId, events: page.map(toRoomEvent), lastSeq: stream?.lastSeq ?? 0, more: rows.length > limit };
  }
}

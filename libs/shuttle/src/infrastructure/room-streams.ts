import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan, MoreThan } from 'typeorm';
import type { RoomEvent, RoomEventType, RoomHistory } from '@parley/contracts';
import { RoomEventEntity, RoomStreamEntity } from './persistence';

export interface NewRoomEvent {
  sessionId: string;
  roomId: string;
  type: RoomEventType;
  payload: object;
  authorParticipantId?: string | null;
  clientKey?: string | null;
}

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

/**
 * Fails the statement (division by zero, SQLSTATE 22012) when the counter was bumped but no event
 * was inserted — only when two copies of one retry raced — so that the bump is rolled back.
 */
const STREAM_GUARD = `1 / (1 - ((SELECT count(*) FROM stream_next) - (SELECT count(*) FROM stream_event))::int)`;

/**
 * The result of a statement built on `appendSql`: the event's number and time (null when nothing
 * was inserted), with STREAM_GUARD. Further columns may follow (`, … AS name`).
 */
export const STREAM_RESULT = `SELECT (SELECT seq FROM stream_event) AS seq, (SELECT created_at FROM stream_event) AS created_at, ${STREAM_GUARD} AS guard`;

export const toStoredEvent = (e: NewRoomEvent, row: { seq: number; created_at: Date | string }): RoomEvent =>
  ({
    sessionId: e.sessionId,
    roomId: e.roomId,
    seq: row.seq,
    type: e.type,
    payload: e.payload,
    createdAt: new Date(row.created_at).toISOString(),
  }) as unknown as RoomEvent;

/**
 * Each room's stream: events numbered 1, 2, 3 … per room. The number is taken by bumping the
 * room's counter inside the writing transaction, so a rolled-back write leaves no gap and two
 * concurrent writers never share a number (the counter row is locked until commit).
 */
@Injectable()
export class RoomStreams {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * CTEs appending one event: `stream_next` bumps the room's counter unless the author already used
   * this client key, `stream_event` inserts the event with that number. When two copies of one
   * retry race, both may bump and one insert does nothing: the caller must then fail the statement
   * (see `STREAM_GUARD`), which undoes that bump, so no number is ever skipped. `gate`, when
   * given, names a CTE whose rows the append requires.
   */
  appendSql(e: NewRoomEvent & { id: string }, offset = 0, gate?: string): { ctes: string; params: unknown[] } {
    const $ = (n: number) => `$${offset + n}`;
    return {
      ctes: `stream_next AS (
          INSERT INTO room_streams (room_id, last_seq)
          SELECT ${$(2)}::uuid, 1${gate ? ` FROM ${gate}` : ''}
           WHERE ${$(7)}::text IS NULL
              OR NOT EXISTS (SELECT 1 FROM room_events WHERE author_participant_id = ${$(6)}::uuid AND client_key = ${$(7)}::text)
          ON CONFLICT (room_id) DO UPDATE SET last_seq = room_streams.last_seq + 1
          RETURNING last_seq
        ), stream_event AS (
          INSERT INTO room_events (id, session_id, room_id, seq, type, payload, author_participant_id, client_key)
          SELECT ${$(1)}::uuid, ${$(3)}::uuid, ${$(2)}::uuid, stream_next.last_seq, ${$(4)}, ${$(5)}::jsonb, ${$(6)}::uuid, ${$(7)}::text FROM stream_next
          ON CONFLICT (author_participant_id, client_key) WHERE client_key IS NOT NULL DO NOTHING
          RETURNING seq, created_at
        )`,
      params: [e.id, e.roomId, e.sessionId, e.type, JSON.stringify(e.payload), e.authorParticipantId ?? null, e.clientKey ?? null],
    };
  }

  /** Appends a server-made event (no client key, so it always gets its number). */
  async append(manager: EntityManager, e: Omit<NewRoomEvent, 'clientKey'>): Promise<RoomEvent> {
    const { ctes, params } = this.appendSql({ ...e, clientKey: null, id: randomUUID() });
    const [row] = await manager.query<Array<{ seq: number; created_at: Date | string }>>(`WITH ${ctes} ${STREAM_RESULT}`, params);
    return toStoredEvent(e, row);
  }

  /** The event a client already posted under this idempotency key, if any. */
  async byClientKey(manager: EntityManager, authorParticipantId: string, clientKey: string): Promise<RoomEvent | null> {
    const found = await manager.getRepository(RoomEventEntity).findOne({ where: { authorParticipantId, clientKey } });
    return found ? toRoomEvent(found) : null;
  }

  /**
   * A page of a room's stream: after `afterSeq` in ascending order (what a reconnecting client
   * missed), or before `beforeSeq` newest first (scrolling back); the newest page by default.
   */
  async read(roomId: string, q: { afterSeq?: number; beforeSeq?: number; limit?: number }): Promise<RoomHistory> {
    const limit = Math.min(q.limit ?? 50, MAX_PAGE);
    const repo = this.dataSource.getRepository(RoomEventEntity);
    const ascending = q.afterSeq !== undefined;
    const rows = await repo.find({
      where: { roomId, ...(ascending ? { seq: MoreThan(q.afterSeq!) } : q.beforeSeq !== undefined ? { seq: LessThan(q.beforeSeq) } : {}) },
      order: { seq: ascending ? 'ASC' : 'DESC' },
      take: limit + 1,
    });
    const stream = await this.dataSource.getRepository(RoomStreamEntity).findOne({ where: { roomId } });
    const page = rows.slice(0, limit);
    return { roomId, events: page.map(toRoomEvent), lastSeq: stream?.lastSeq ?? 0, more: rows.length > limit };
  }
}

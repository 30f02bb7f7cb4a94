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
  ({ sessionId: e.sessionId, roomId: e.roomId, seq: e.seq, type: e.type, payload: e.payload, createdAt: e.createdAt.toISOString() }) as unknown as RoomEvent;

export const MAX_PAGE = 200;

/**
 * Each room's stream: events numbered 1, 2, 3 … per room. The number is taken by bumping the
 * room's counter inside the writing transaction, so a rolled-back write leaves no gap and two
 * concurrent writers never share a number (the counter row is locked until commit).
 */
@Injectable()
export class RoomStreams {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one event: the counter bump and the insert are one statement (one round trip). With
   * a client key already used by this author nothing is inserted and null is returned — the
   * caller must then roll back, which also undoes the bump, so no number is skipped.
   */
  async append(manager: EntityManager, e: NewRoomEvent): Promise<RoomEvent | null> {
    const rows: Array<{ id: string; seq: number; created_at: Date }> = await manager.query(
      `WITH next AS (
         INSERT INTO room_streams (room_id, last_seq) VALUES ($2, 1)
         ON CONFLICT (room_id) DO UPDATE SET last_seq = room_streams.last_seq + 1
         RETURNING last_seq
       )
       INSERT INTO room_events (id, session_id, room_id, seq, type, payload, author_participant_id, client_key)
       SELECT $1, $3, $2, next.last_seq, $4, $5::jsonb, $6, $7 FROM next
       ON CONFLICT (author_participant_id, client_key) WHERE client_key IS NOT NULL DO NOTHING
       RETURNING id, seq, created_at`,
      [randomUUID(), e.roomId, e.sessionId, e.type, JSON.stringify(e.payload), e.authorParticipantId ?? null, e.clientKey ?? null],
    );
    if (rows.length === 0) return null;
    return { sessionId: e.sessionId, roomId: e.roomId, seq: rows[0].seq, type: e.type, payload: e.payload, createdAt: new Date(rows[0].created_at).toISOString() } as unknown as RoomEvent;
  }

  /** Appends an event that has no client key (server-made): it always gets its number. */
  async appendServerEvent(manager: EntityManager, e: Omit<NewRoomEvent, 'clientKey'>): Promise<RoomEvent> {
    const event = await this.append(manager, { ...e, clientKey: null });
    if (!event) throw new Error('unreachable: server events have no client key');
    return event;
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

import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan, MoreThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
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

  async append(manager: EntityManager, e: NewRoomEvent): Promise<RoomEvent> {
    const [{ last_seq: seq }] = await manager.query(
      `INSERT INTO room_streams (room_id, last_seq) VALUES ($1, 1)
       ON CONFLICT (room_id) DO UPDATE SET last_seq = room_streams.last_seq + 1
       RETURNING last_seq`,
      [e.roomId],
    );
    const entity = manager.getRepository(RoomEventEntity).create({
      id: randomUUID(),
      sessionId: e.sessionId,
      roomId: e.roomId,
      seq,
      type: e.type,
      payload: JSON.parse(JSON.stringify(e.payload)) as Record<string, unknown>,
      authorParticipantId: e.authorParticipantId ?? null,
      clientKey: e.clientKey ?? null,
      createdAt: new Date(),
    });
    await manager.getRepository(RoomEventEntity).insert(entity as QueryDeepPartialEntity<RoomEventEntity>);
    return toRoomEvent(entity);
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

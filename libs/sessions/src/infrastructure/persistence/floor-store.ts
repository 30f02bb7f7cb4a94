import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { FloorEvent, Hand, LocatedParticipant, Timer } from '../../domain';
import { RaisedHandEntity, RoomTimerEntity } from './floor.entity';
import { ParticipantEntity } from './participant.entity';

const toHand = (e: RaisedHandEntity): Hand => ({ participantId: e.participantId, roomId: e.roomId, raisedAt: e.raisedAt });
const toTimer = (e: RoomTimerEntity): Timer => ({
  roomId: e.roomId,
  purpose: e.purpose,
  label: e.label,
  durationSeconds: e.durationSeconds,
  startedAt: e.startedAt,
  endsAt: e.endsAt,
  setBy: e.setBy,
});

/**
 * The floors of a session as the domain sees them (hands, clocks, and where the hands' owners are
 * now), and what a floor decision writes back. Owns its SQL; takes and returns domain types.
 */
@Injectable()
export class FloorStore {
  async handOf(manager: EntityManager, participantId: string): Promise<Hand | null> {
    const row = await manager.getRepository(RaisedHandEntity).findOne({ where: { participantId } });
    return row ? toHand(row) : null;
  }

  /** The session's hands (of some rooms only, when named), in no particular order. */
  async hands(manager: EntityManager, sessionId: string, roomIds?: readonly string[]): Promise<Hand[]> {
    const rows = await manager
      .getRepository(RaisedHandEntity)
      .find({ where: roomIds ? { sessionId, roomId: In([...roomIds]) } : { sessionId } });
    return rows.map(toHand);
  }

  async timers(manager: EntityManager, sessionId: string, roomIds?: readonly string[]): Promise<Timer[]> {
    const rows = await manager
      .getRepository(RoomTimerEntity)
      .find({ where: roomIds ? { sessionId, roomId: In([...roomIds]) } : { sessionId } });
    return rows.map(toTimer);
  }

  async timerOf(manager: EntityManager, roomId: string): Promise<Timer | null> {
    const row = await manager.getRepository(RoomTimerEntity).findOne({ where: { roomId } });
    return row ? toTimer(row) : null;
  }

  /** The owners of hands, where they are now (the rule that drops hands reads them). */
  async people(manager: EntityManager, sessionId: string, ids?: readonly string[]): Promise<LocatedParticipant[]> {
    const rows = await manager.getRepository(ParticipantEntity).find({
      where: ids ? { sessionId, id: In([...ids]) } : { sessionId },
      select: { id: true, role: true, partyId: true, isHead: true, roomId: true },
    });
    return rows.map((p) => ({ id: p.id, role: p.role, partyId: p.partyId, isHead: p.isHead, roomId: p.roomId }));
  }

  async apply(manager: EntityManager, sessionId: string, e: FloorEvent): Promise<void> {
    switch (e.type) {
      case 'hand.raised':
        await manager.query(
          `INSERT INTO "raised_hands" ("participant_id", "session_id", "room_id", "raised_at") VALUES ($1, $2, $3, $4)
           ON CONFLICT ("participant_id") DO UPDATE SET "room_id" = EXCLUDED."room_id", "raised_at" = EXCLUDED."raised_at"`,
          [e.participantId, sessionId, e.roomId, e.raisedAt],
        );
        return;
      case 'hand.lowered':
        await manager.getRepository(RaisedHandEntity).delete({ participantId: e.participantId, roomId: e.roomId });
        return;
      case 'timer.set': {
        const t = e.timer;
        await manager.query(
          `INSERT INTO "room_timers" ("room_id", "session_id", "purpose", "label", "duration_seconds", "started_at", "ends_at", "set_by")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT ("room_id") DO UPDATE SET "purpose" = EXCLUDED."purpose", "label" = EXCLUDED."label",
             "duration_seconds" = EXCLUDED."duration_seconds", "started_at" = EXCLUDED."started_at",
             "ends_at" = EXCLUDED."ends_at", "set_by" = EXCLUDED."set_by"`,
          [t.roomId, sessionId, t.purpose, t.label, t.durationSeconds, t.startedAt, t.endsAt, t.setBy],
        );
        return;
      }
      case 'timer.cleared':
        await manager.getRepository(RoomTimerEntity).delete({ roomId: e.roomId });
        return;
    }
  }

  /** Removes exactly these hands (each in its room: a hand raised since in another room stays); the ones removed. */
  async drop(manager: EntityManager, hands: readonly Hand[]): Promise<Hand[]> {
    const dropped: Hand[] = [];
    for (const h of hands) {
      const r = await manager
        .createQueryBuilder()
        .delete()
        .from(RaisedHandEntity)
        .where('participant_id = :p AND room_id = :r', { p: h.participantId, r: h.roomId })
        .returning('"participant_id"')
        .execute();
      if ((r.raw as unknown[]).length) dropped.push(h);
    }
    return dropped;
  }
}

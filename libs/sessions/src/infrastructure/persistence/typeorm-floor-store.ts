import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { managerOf, type Tx } from '@parley/platform';
import type { FloorEvent, Hand, LocatedParticipant, Timer } from '../../domain';
import { FloorStore } from '../../application/floor-store';
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

/** The floor port on the `raised_hands` and `room_timers` tables. Owns its SQL; takes and returns domain types. */
@Injectable()
export class TypeOrmFloorStore extends FloorStore {
  async handOf(tx: Tx, participantId: string): Promise<Hand | null> {
    const manager = managerOf(tx);
    const row = await manager.getRepository(RaisedHandEntity).findOne({ where: { participantId } });
    return row ? toHand(row) : null;
  }

  /** The session's hands (of some rooms only, when named), in no particular order. */
  async hands(tx: Tx, sessionId: string, roomIds?: readonly string[]): Promise<Hand[]> {
    const manager = managerOf(tx);
    const rows = await manager
      .getRepository(RaisedHandEntity)
      .find({ where: roomIds ? { sessionId, roomId: In([...roomIds]) } : { sessionId } });
    return rows.map(toHand);
  }

  async timers(tx: Tx, sessionId: string, roomIds?: readonly string[]): Promise<Timer[]> {
    const manager = managerOf(tx);
    const rows = await manager
      .getRepository(RoomTimerEntity)
      .find({ where: roomIds ? { sessionId, roomId: In([...roomIds]) } : { sessionId } });
    return rows.map(toTimer);
  }

  async timerOf(tx: Tx, roomId: string): Promise<Timer | null> {
    const manager = managerOf(tx);
    const row = await manager.getRepository(RoomTimerEntity).findOne({ where: { roomId } });
    return row ? toTimer(row) : null;
  }

  /** The owners of hands, where they are now (the rule that drops hands reads them). */
  async people(tx: Tx, sessionId: string, ids?: readonly string[]): Promise<LocatedParticipant[]> {
    const manager = managerOf(tx);
    const rows = await manager.getRepository(ParticipantEntity).find({
      where: ids ? { sessionId, id: In([...ids]) } : { sessionId },
      select: { id: true, role: true, partyId: true, broughtByPartyId: true, isHead: true, roomId: true },
    });
    return rows.map((p) => ({
      id: p.id,
      role: p.role,
      partyId: p.partyId,
      broughtByPartyId: p.broughtByPartyId,
      isHead: p.isHead,
      roomId: p.roomId,
    }));
  }

  async apply(tx: Tx, sessionId: string, e: FloorEvent): Promise<void> {
    const manager = managerOf(tx);
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
  async drop(tx: Tx, hands: readonly Hand[]): Promise<Hand[]> {
    const manager = managerOf(tx);
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

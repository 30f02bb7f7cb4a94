import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { DomainError, managerOf, type Tx } from '@parley/platform';
import { sessionNotFound } from '../../application/session-errors';
import type { PartyRecord } from '../../application/session-directory';
import { SessionRoster, type RoomRecord, type Seat, type SessionDetails } from '../../application/session-roster';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { PartyEntity } from './party.entity';
import { RoomEntity, RoomMemberEntity } from './room.entity';

export const toSessionDetails = (s: MediationSessionEntity): SessionDetails => ({
  id: s.id,
  title: s.title,
  description: s.description,
  status: s.status,
  coolingOffSeconds: s.coolingOffSeconds,
  languages: s.languages ?? [],
  breakState: { reason: s.breakReason, startedAt: s.breakStartedAt, endsAt: s.breakEndsAt },
  createdByUserId: s.createdByUserId,
  createdAt: s.createdAt,
});

export const toSeat = (p: ParticipantEntity): Seat => ({
  id: p.id,
  sessionId: p.sessionId,
  userId: p.userId,
  displayName: p.displayName,
  role: p.role,
  partyId: p.partyId,
  isHead: p.isHead,
  broughtByPartyId: p.broughtByPartyId,
  languages: p.languages,
  roomId: p.roomId,
  joinedAt: p.joinedAt,
});

export const toRoomRecord = (r: RoomEntity, memberIds: string[]): RoomRecord => ({
  id: r.id,
  kind: r.kind,
  partyId: r.partyId,
  memberIds,
  closed: r.closedAt !== null,
  name: r.name,
  createdAt: r.createdAt,
});

/**
 * The sessions context's tables as the domain sees them: who is asking and where, the rooms with
 * their named members, the parties. Returns plain data, never a row object.
 */
@Injectable()
export class TypeOrmSessionDirectory extends SessionRoster {
  async actor(
    tx: Tx,
    sessionId: string,
    userId: string,
    lock: boolean | 'share' = false,
  ): Promise<{ session: SessionDetails; actor: Seat }> {
    const manager = managerOf(tx);
    if (!lock) {
      // One statement, the session joined to the caller's seat (it was two: every socket message
      // and request asks this, and on the embedded database each statement crosses to its thread).
      const seat = await manager
        .getRepository(ParticipantEntity)
        .createQueryBuilder('p')
        .innerJoinAndSelect('p.session', 's')
        .where('p.session_id = :sessionId AND p.user_id = :userId', { sessionId, userId })
        .getOne();
      if (!seat?.session) throw sessionNotFound();
      return { session: toSessionDetails(seat.session), actor: toSeat(seat) };
    }
    const session = await manager.getRepository(MediationSessionEntity).findOne({
      where: { id: sessionId },
      lock: { mode: lock === 'share' ? ('pessimistic_read' as const) : ('pessimistic_write' as const) },
    });
    if (!session) throw sessionNotFound();
    const actor = await manager.getRepository(ParticipantEntity).findOne({ where: { sessionId, userId } });
    if (!actor) throw sessionNotFound();
    return { session: toSessionDetails(session), actor: toSeat(actor) };
  }

  async participant(tx: Tx, sessionId: string, participantId: string, field = 'participantId'): Promise<Seat> {
    const p = await managerOf(tx)
      .getRepository(ParticipantEntity)
      .findOne({ where: { id: participantId, sessionId } });
    if (!p) throw new DomainError('PARTICIPANT_NOT_FOUND', 'No such participant in this session.', field);
    return toSeat(p);
  }

  async participants(tx: Tx, sessionId: string): Promise<Seat[]> {
    const rows = await managerOf(tx)
      .getRepository(ParticipantEntity)
      .find({ where: { sessionId }, order: { joinedAt: 'ASC', id: 'ASC' } });
    return rows.map(toSeat);
  }

  async rooms(tx: Tx, sessionId: string): Promise<RoomRecord[]> {
    const manager = managerOf(tx);
    const rooms = await manager.getRepository(RoomEntity).find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const jointIds = rooms.filter((r) => r.kind === 'joint').map((r) => r.id);
    const members = jointIds.length
      ? await manager.getRepository(RoomMemberEntity).createQueryBuilder('m').where('m.room_id IN (:...ids)', { ids: jointIds }).getMany()
      : [];
    return rooms.map((r) =>
      toRoomRecord(
        r,
        members.filter((m) => m.roomId === r.id).map((m) => m.participantId),
      ),
    );
  }

  async room(tx: Tx, sessionId: string, roomId: string): Promise<RoomRecord | null> {
    const manager = managerOf(tx);
    const r = await manager.getRepository(RoomEntity).findOne({ where: { id: roomId, sessionId } });
    if (!r) return null;
    const members = r.kind === 'joint' ? await manager.getRepository(RoomMemberEntity).find({ where: { roomId: r.id } }) : [];
    return toRoomRecord(
      r,
      members.map((m) => m.participantId),
    );
  }

  async caucus(tx: Tx, sessionId: string, partyId: string): Promise<RoomRecord | null> {
    const r = await managerOf(tx)
      .getRepository(RoomEntity)
      .findOne({ where: { sessionId, kind: 'caucus', partyId } });
    return r ? toRoomRecord(r, []) : null;
  }

  async parties(tx: Tx, sessionId: string): Promise<PartyRecord[]> {
    const rows = await managerOf(tx)
      .getRepository(PartyEntity)
      .find({ where: { sessionId }, order: { position: 'ASC' } });
    return rows.map((p) => ({ id: p.id, name: p.name, position: p.position }));
  }

  async session(tx: Tx, sessionId: string, lock = false): Promise<SessionDetails | null> {
    const s = await managerOf(tx)
      .getRepository(MediationSessionEntity)
      .findOne({ where: { id: sessionId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    return s ? toSessionDetails(s) : null;
  }

  async participantsByIds(tx: Tx, sessionId: string, ids: readonly string[]): Promise<Seat[]> {
    const rows = await managerOf(tx)
      .getRepository(ParticipantEntity)
      .find({ where: { sessionId, id: In([...ids]) } });
    return rows.map(toSeat);
  }

  async occupants(tx: Tx, sessionId: string, roomId: string): Promise<Seat[]> {
    const rows = await managerOf(tx).getRepository(ParticipantEntity).find({ where: { sessionId, roomId } });
    return rows.map(toSeat);
  }

  async participantsByUsers(tx: Tx, sessionId: string, userIds: readonly string[]): Promise<Seat[]> {
    const rows = await managerOf(tx)
      .getRepository(ParticipantEntity)
      .find({ where: { sessionId, userId: In([...userIds]) } });
    return rows.map(toSeat);
  }

  async seatsOf(tx: Tx, userId: string): Promise<Seat[]> {
    const rows = await managerOf(tx).getRepository(ParticipantEntity).find({ where: { userId } });
    return rows.map(toSeat);
  }

  isParticipant(tx: Tx, sessionId: string, userId: string): Promise<boolean> {
    return managerOf(tx).getRepository(ParticipantEntity).exists({ where: { sessionId, userId } });
  }

  async sessions(tx: Tx, ids: readonly string[]): Promise<SessionDetails[]> {
    const rows = await managerOf(tx)
      .getRepository(MediationSessionEntity)
      .find({ where: { id: In([...ids]) }, order: { createdAt: 'DESC' } });
    return rows.map(toSessionDetails);
  }

  hasParty(tx: Tx, sessionId: string, partyId: string): Promise<boolean> {
    return managerOf(tx)
      .getRepository(PartyEntity)
      .exists({ where: { id: partyId, sessionId } });
  }

  async partyName(tx: Tx, partyId: string): Promise<string | null> {
    const party = await managerOf(tx).getRepository(PartyEntity).findOneBy({ id: partyId });
    return party?.name ?? null;
  }

  async headOf(tx: Tx, partyId: string): Promise<string | null> {
    const head = await managerOf(tx).getRepository(ParticipantEntity).findOneBy({ partyId, isHead: true });
    return head?.id ?? null;
  }

  hasHead(tx: Tx, partyId: string): Promise<boolean> {
    return managerOf(tx)
      .getRepository(ParticipantEntity)
      .exists({ where: { partyId, isHead: true } });
  }
}

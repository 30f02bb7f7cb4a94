import { DomainError } from '@parley/platform';
import type { EntityManager } from 'typeorm';
import { isMediator, type BreakState, type LocatedParticipant, type Room } from '../../domain';
import type { SocketPlacement } from '../../application/realtime-channel';
import { sessionNotFound } from '../../application/session-errors';
import { MediationSessionEntity } from './mediation-session.entity';
import { ParticipantEntity } from './participant.entity';
import { RoomEntity, RoomMemberEntity } from './room.entity';

/*
 * The helpers other contexts called before the SessionDirectory port, on rows: kept until their
 * last callers (shuttle, agreement, media) speak through SessionDirectory. Sessions' own use cases
 * no longer use them.
 */

/**
 * The session and the caller's participant in it. A session the caller is not part of does not
 * exist for them: the same 404 as an unknown id, so ids reveal nothing.
 * With `lock`, the session row is locked until the transaction ends: changes of one session are
 * serialised (and so is its audit chain). With `lock = 'share'` it is locked only against changes:
 * an act decided on the session's status (a shuttle message's) commits before a status change
 * begins, or waits for it and sees the new status — never lands in a session closed meanwhile.
 */
export async function loadActor(manager: EntityManager, sessionId: string, userId: string, lock: boolean | 'share' = false) {
  const session = await manager.getRepository(MediationSessionEntity).findOne({
    where: { id: sessionId },
    ...(lock ? { lock: { mode: lock === 'share' ? ('pessimistic_read' as const) : ('pessimistic_write' as const) } } : {}),
  });
  if (!session) throw sessionNotFound();
  const actor = await manager.getRepository(ParticipantEntity).findOne({ where: { sessionId, userId } });
  if (!actor) throw sessionNotFound();
  return { session, actor };
}

export async function loadParticipant(manager: EntityManager, sessionId: string, participantId: string, field = 'participantId') {
  const p = await manager.getRepository(ParticipantEntity).findOne({ where: { id: participantId, sessionId } });
  if (!p) throw new DomainError('PARTICIPANT_NOT_FOUND', 'No such participant in this session.', field);
  return p;
}

/** Rooms of a session as the domain sees them (joint rooms with their named members). */
export async function loadRooms(manager: EntityManager, sessionId: string): Promise<Array<Room & { entity: RoomEntity }>> {
  const rooms = await manager.getRepository(RoomEntity).find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
  const jointIds = rooms.filter((r) => r.kind === 'joint').map((r) => r.id);
  const members = jointIds.length
    ? await manager.getRepository(RoomMemberEntity).createQueryBuilder('m').where('m.room_id IN (:...ids)', { ids: jointIds }).getMany()
    : [];
  return rooms.map((r) =>
    toRoom(
      r,
      members.filter((m) => m.roomId === r.id).map((m) => m.participantId),
    ),
  );
}

export async function loadRoom(manager: EntityManager, sessionId: string, roomId: string): Promise<(Room & { entity: RoomEntity }) | null> {
  const r = await manager.getRepository(RoomEntity).findOne({ where: { id: roomId, sessionId } });
  if (!r) return null;
  const members = r.kind === 'joint' ? await manager.getRepository(RoomMemberEntity).find({ where: { roomId: r.id } }) : [];
  return toRoom(
    r,
    members.map((m) => m.participantId),
  );
}

/** A party's caucus, or null when the session has no such party. */
export async function loadCaucus(
  manager: EntityManager,
  sessionId: string,
  partyId: string,
): Promise<(Room & { entity: RoomEntity }) | null> {
  const r = await manager.getRepository(RoomEntity).findOne({ where: { sessionId, kind: 'caucus', partyId } });
  return r ? toRoom(r, []) : null;
}

const toRoom = (r: RoomEntity, memberIds: string[]): Room & { entity: RoomEntity } => ({
  id: r.id,
  kind: r.kind,
  partyId: r.partyId,
  memberIds,
  closed: r.closedAt !== null,
  entity: r,
});

export const toLocated = (p: ParticipantEntity): LocatedParticipant => ({
  id: p.id,
  role: p.role,
  partyId: p.partyId,
  isHead: p.isHead,
  roomId: p.roomId,
});

export const syncTarget = (p: ParticipantEntity): SocketPlacement => ({
  id: p.id,
  roomId: p.roomId,
  isMediator: isMediator(p),
  partyId: p.partyId,
});

/** The session's current break as the domain sees it. */
export const breakOf = (s: MediationSessionEntity): BreakState => ({
  reason: s.breakReason,
  startedAt: s.breakStartedAt,
  endsAt: s.breakEndsAt,
});

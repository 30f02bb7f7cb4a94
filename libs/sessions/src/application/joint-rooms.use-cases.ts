import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RoomView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError, UnitOfWork } from '@parley/platform';
import { assertJointMembers, assertMayConfigure } from '../domain';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { PlacementStore } from './placement-store';
import { socketPlacementOf } from './realtime-channel';
import { RoomNotifier } from './room-notifier';
import { SessionRoster } from './session-roster';
import { SessionStore } from './session-store';
import { toRoomView } from './views';

/** Joint rooms: ad-hoc rooms a mediator opens with named party members, and closes. */
@Injectable()
export class JointRoomsUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly sessions: SessionStore,
    private readonly placements: PlacementStore,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  /** The mediators' overview shows the new room at once (empty until someone is moved in). */
  async open(cmd: { userId: string; sessionId: string; name: string; memberIds: string[] }): Promise<RoomView> {
    const view = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const ids = [...new Set(cmd.memberIds)];
      const members = ids.length ? await this.roster.participantsByIds(tx, session.id, ids) : [];
      if (members.length !== ids.length) {
        throw new DomainError('PARTICIPANT_NOT_FOUND', 'A named member is not a participant of this session.', 'memberIds');
      }
      assertJointMembers(members);
      const roomId = randomUUID();
      await this.sessions.openJointRoom(tx, session.id, { id: roomId, name: cmd.name.trim(), memberIds: ids });
      await this.audit.append(tx, session.id, [
        {
          type: 'room.created',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { roomId, kind: 'joint', name: cmd.name.trim(), memberIds: ids },
        },
      ]);
      return toRoomView((await this.roster.room(tx, session.id, roomId))!);
    });
    await this.notifier.presenceChanged(cmd.sessionId, []);
    return view;
  }

  /** Closing a joint room returns whoever is in it to the lobby. */
  async close(cmd: { userId: string; sessionId: string; roomId: string }): Promise<void> {
    this.fanout.assertAvailable();
    const occupants = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const room = await this.roster.room(tx, session.id, cmd.roomId);
      if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
      if (room.kind !== 'joint') throw new DomainError('VALIDATION_FAILED', 'Only a joint room can be closed.', 'roomId');
      if (room.closed) return [];
      const inside = await this.roster.occupants(tx, session.id, room.id);
      if (inside.length) await this.placements.emptyRoom(tx, room.id);
      await this.sessions.closeRoom(tx, room.id);
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(tx, session.id, [
        { ...by, type: 'room.closed', payload: { roomId: room.id } },
        ...inside.map((p) => ({
          ...by,
          type: 'participant.sent_to_lobby',
          payload: { participantId: p.id, fromRoomId: room.id, reason: 'room_closed' },
        })),
      ]);
      return inside;
    });
    for (const p of occupants) {
      await this.notifier.syncParticipant(cmd.sessionId, { ...socketPlacementOf(p), roomId: null });
      this.notifier.locationChanged({ sessionId: cmd.sessionId, participantId: p.id, room: null, reason: 'sent_to_lobby' });
    }
    await this.notifier.presenceChanged(cmd.sessionId, [cmd.roomId]);
  }
}

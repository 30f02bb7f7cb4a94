import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import type { RoomView } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError } from '@parley/platform';
import { assertJointMembers, assertMayConfigure } from '../domain';
import { ParticipantEntity, RoomEntity, RoomMemberEntity } from '../infrastructure/persistence';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { RoomNotifier } from './room-notifier';
import { loadActor, loadRoom, syncTarget, toLocated } from './session-access';
import { toRoomView } from './views';

/** Joint rooms: ad-hoc rooms a mediator opens with named party members, and closes. */
@Injectable()
export class JointRoomsUseCases {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  /** The mediators' overview shows the new room at once (empty until someone is moved in). */
  async open(cmd: { userId: string; sessionId: string; name: string; memberIds: string[] }): Promise<RoomView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const ids = [...new Set(cmd.memberIds)];
      const members = ids.length
        ? await manager.getRepository(ParticipantEntity).find({ where: { sessionId: session.id, id: In(ids) } })
        : [];
      if (members.length !== ids.length) {
        throw new DomainError('PARTICIPANT_NOT_FOUND', 'A named member is not a participant of this session.', 'memberIds');
      }
      assertJointMembers(members.map(toLocated));
      const roomId = randomUUID();
      await manager
        .getRepository(RoomEntity)
        .insert({ id: roomId, sessionId: session.id, kind: 'joint', name: cmd.name.trim(), partyId: null, closedAt: null });
      if (ids.length) await manager.getRepository(RoomMemberEntity).insert(ids.map((participantId) => ({ roomId, participantId })));
      await this.audit.append(manager, session.id, [
        {
          type: 'room.created',
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { roomId, kind: 'joint', name: cmd.name.trim(), memberIds: ids },
        },
      ]);
      return toRoomView((await loadRoom(manager, session.id, roomId))!);
    });
    await this.notifier.presenceChanged(cmd.sessionId, []);
    return view;
  }

  /** Closing a joint room returns whoever is in it to the lobby. */
  async close(cmd: { userId: string; sessionId: string; roomId: string }): Promise<void> {
    this.fanout.assertAvailable();
    const occupants = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayConfigure(actor, session.status);
      const room = await loadRoom(manager, session.id, cmd.roomId);
      if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', 'roomId');
      if (room.kind !== 'joint') throw new DomainError('VALIDATION_FAILED', 'Only a joint room can be closed.', 'roomId');
      if (room.closed) return [];
      const inside = await manager.getRepository(ParticipantEntity).find({ where: { sessionId: session.id, roomId: room.id } });
      if (inside.length) await manager.getRepository(ParticipantEntity).update({ roomId: room.id }, { roomId: null });
      await manager.getRepository(RoomEntity).update({ id: room.id, closedAt: IsNull() }, { closedAt: new Date() });
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(manager, session.id, [
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
      await this.notifier.syncParticipant(cmd.sessionId, { ...syncTarget(p), roomId: null });
      this.notifier.locationChanged({ sessionId: cmd.sessionId, participantId: p.id, room: null, reason: 'sent_to_lobby' });
    }
    await this.notifier.presenceChanged(cmd.sessionId, [cmd.roomId]);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LocationChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { decidePlacement, type PlacementKind } from '../domain';
import { ParticipantEntity } from '../infrastructure/persistence';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { RoomNotifier } from './room-notifier';
import { loadActor, loadParticipant, loadRoom, syncTarget, toLocated } from './session-access';
import { toRoomView } from './views';

export interface PlaceCommand {
  userId: string;
  sessionId: string;
  participantId: string;
  kind: PlacementKind;
  roomId?: string;
}

/**
 * Admit, move, send back to the lobby. The new location is committed with its audit entry;
 * then, before the caller hears back, the participant's sockets leave the old room and join the
 * new one — from that moment nothing of the old room reaches them.
 */
@Injectable()
export class PlaceParticipantUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: PlaceCommand): Promise<LocationChanged> {
    this.fanout.assertAvailable();
    const { decision, target, room } = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      const target = await loadParticipant(manager, session.id, cmd.participantId);
      const room = cmd.kind === 'send_to_lobby' || !cmd.roomId ? null : await loadRoom(manager, session.id, cmd.roomId);
      const decision = decidePlacement({
        kind: cmd.kind,
        actor: toLocated(actor),
        target: toLocated(target),
        room,
        status: session.status,
      });
      await manager.getRepository(ParticipantEntity).update({ id: target.id }, { roomId: decision.toRoomId });
      await this.audit.append(manager, session.id, [
        {
          type: decision.type,
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { participantId: target.id, fromRoomId: decision.fromRoomId, toRoomId: decision.toRoomId },
        },
      ]);
      return { decision, target, room };
    });

    await this.notifier.syncParticipant(cmd.sessionId, { ...syncTarget(target), roomId: decision.toRoomId });
    const event: LocationChanged = {
      sessionId: cmd.sessionId,
      participantId: target.id,
      room: room ? toRoomView(room) : null,
      reason: decision.type === 'participant.admitted' ? 'admitted' : decision.type === 'participant.moved' ? 'moved' : 'sent_to_lobby',
    };
    this.notifier.locationChanged(event);
    await this.notifier.presenceChanged(cmd.sessionId, [decision.fromRoomId, decision.toRoomId]);
    return event;
  }
}

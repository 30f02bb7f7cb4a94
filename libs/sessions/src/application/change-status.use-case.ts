import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SessionStatus, StatusChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { assertMayChangeStatus, relocationsOnStatus } from '../domain';
import { MediationSessionEntity, ParticipantEntity } from '../infrastructure/persistence';
import { RoomNotifier } from './room-notifier';
import { loadActor, syncTarget, toLocated } from './session-access';

/**
 * draft → open ⇄ suspended → closed. Suspending returns every non-mediator to the lobby;
 * closing returns everyone. Those moves are part of the same transaction and audit entry set.
 */
@Injectable()
export class ChangeStatusUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
  ) {}

  async execute(cmd: { userId: string; sessionId: string; status: SessionStatus }): Promise<StatusChanged> {
    const { relocated, from } = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayChangeStatus(actor, session.status, cmd.status);
      const participants = await manager.getRepository(ParticipantEntity).find({ where: { sessionId: session.id } });
      const toMove = relocationsOnStatus(cmd.status, participants.map(toLocated));
      const moved = participants.filter((p) => toMove.some((m) => m.id === p.id));
      if (moved.length) await manager.getRepository(ParticipantEntity).update(moved.map((p) => p.id), { roomId: null });
      await manager.getRepository(MediationSessionEntity).update({ id: session.id }, { status: cmd.status });
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(manager, session.id, [
        { ...by, type: 'session.status_changed', payload: { from: session.status, to: cmd.status } },
        ...moved.map((p) => ({ ...by, type: 'participant.sent_to_lobby', payload: { participantId: p.id, fromRoomId: p.roomId, reason: `session_${cmd.status}` } })),
      ]);
      return { relocated: moved, from: session.status };
    });

    for (const p of relocated) {
      await this.notifier.syncParticipant(cmd.sessionId, { ...syncTarget(p), roomId: null });
      this.notifier.locationChanged({
        sessionId: cmd.sessionId, participantId: p.id, room: null,
        reason: cmd.status === 'closed' ? 'session_closed' : 'session_suspended',
      });
    }
    this.notifier.statusChanged(cmd.sessionId, cmd.status);
    if (relocated.length || from !== cmd.status) await this.notifier.presenceChanged(cmd.sessionId, [...new Set(relocated.map((p) => p.roomId))]);
    return { sessionId: cmd.sessionId, status: cmd.status };
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AccountTies, type AccountTie } from '@parley/auth';
import { AuditTrail } from '@parley/audit';
import { decideDeparture, type DepartureDecision } from '../domain';
import { BreakSeatEntity, MediationSessionEntity, ParticipantEntity } from '../infrastructure/persistence';
import { RoomNotifier } from './room-notifier';
import { syncTarget, toLocated } from './session-access';

/**
 * A deleted account's seats (Auth's AccountTies): refused while it leads a session not closed;
 * otherwise, in the deletion's transaction, each seat in a session not closed is emptied with a
 * `participant.left` audit entry (a seat kept for after a break is dropped too), and once committed
 * the rooms it was in see the participant go. The participant row stays: what they wrote keeps
 * its author and the name they spoke under.
 */
@Injectable()
export class AccountSeats implements AccountTie, OnModuleInit {
  constructor(
    private readonly ties: AccountTies,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
  ) {}

  onModuleInit(): void {
    this.ties.register(this);
  }

  async assertMayLeave(userId: string, manager: EntityManager): Promise<void> {
    await this.decide(userId, manager);
  }

  async leave(userId: string, manager: EntityManager): Promise<() => Promise<void>> {
    const departures = await this.decide(userId, manager);
    for (const { participant, sessionId, decision } of departures) {
      await manager.getRepository(ParticipantEntity).update({ id: participant.id }, { roomId: null });
      await manager.getRepository(BreakSeatEntity).delete({ participantId: participant.id });
      await this.audit.append(manager, sessionId, [
        {
          type: decision.type,
          actorUserId: userId,
          actorParticipantId: participant.id,
          payload: { participantId: participant.id, fromRoomId: decision.fromRoomId },
        },
      ]);
    }
    return async () => {
      for (const { participant, sessionId, decision } of departures) {
        await this.notifier.syncParticipant(sessionId, { ...syncTarget(participant), roomId: null });
        await this.notifier.presenceChanged(sessionId, [decision.fromRoomId, null]);
      }
    };
  }

  private async decide(userId: string, manager: EntityManager) {
    const seats = await manager.getRepository(ParticipantEntity).find({ where: { userId } });
    if (seats.length === 0) return [];
    const sessions = await manager
      .getRepository(MediationSessionEntity)
      .find({ where: { id: In([...new Set(seats.map((s) => s.sessionId))]) } });
    const statusOf = new Map(sessions.map((s) => [s.id, s.status]));
    const out: Array<{ participant: ParticipantEntity; sessionId: string; decision: DepartureDecision }> = [];
    for (const participant of seats) {
      const decision = decideDeparture(toLocated(participant), statusOf.get(participant.sessionId) ?? 'closed');
      if (decision) out.push({ participant, sessionId: participant.sessionId, decision });
    }
    return out;
  }
}

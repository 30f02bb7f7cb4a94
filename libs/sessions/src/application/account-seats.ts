import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountTies, type AccountTie } from '@parley/auth';
import { AuditTrail } from '@parley/audit';
import type { Tx } from '@parley/platform';
import { decideDeparture, type DepartureDecision } from '../domain';
import { PlacementStore } from './placement-store';
import { socketPlacementOf } from './realtime-channel';
import { RoomNotifier } from './room-notifier';
import { SessionRoster, type Seat } from './session-roster';

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
    private readonly roster: SessionRoster,
    private readonly placements: PlacementStore,
  ) {}

  onModuleInit(): void {
    this.ties.register(this);
  }

  // Auth hands in the deletion's transaction (a `Tx` as far as this context is concerned).
  async assertMayLeave(userId: string, tx: Tx): Promise<void> {
    await this.decide(userId, tx);
  }

  async leave(userId: string, tx: Tx): Promise<() => Promise<void>> {
    const departures = await this.decide(userId, tx);
    for (const { participant, sessionId, decision } of departures) {
      await this.placements.place(tx, participant.id, null);
      await this.placements.forgetBreakSeatOf(tx, participant.id);
      await this.audit.append(tx, sessionId, [
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
        await this.notifier.syncParticipant(sessionId, { ...socketPlacementOf(participant), roomId: null });
        await this.notifier.presenceChanged(sessionId, [decision.fromRoomId, null]);
      }
    };
  }

  private async decide(userId: string, tx: Tx) {
    const seats = await this.roster.seatsOf(tx, userId);
    if (seats.length === 0) return [];
    const sessions = await this.roster.sessions(tx, [...new Set(seats.map((s) => s.sessionId))]);
    const statusOf = new Map(sessions.map((s) => [s.id, s.status]));
    const out: Array<{ participant: Seat; sessionId: string; decision: DepartureDecision }> = [];
    for (const participant of seats) {
      const decision = decideDeparture(participant, statusOf.get(participant.sessionId) ?? 'closed');
      if (decision) out.push({ participant, sessionId: participant.sessionId, decision });
    }
    return out;
  }
}

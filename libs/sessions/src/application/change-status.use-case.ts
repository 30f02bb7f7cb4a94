import { Injectable } from '@nestjs/common';
import type { SessionStatus, StatusChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { UnitOfWork, type Tx } from '@parley/platform';
import {
  assertMayChangeStatus,
  breakOnStatus,
  checkStatusOptions,
  relocationsOnStatus,
  seatsOnResume,
  seatsToRemember,
  toBreakView,
  type CheckedStatusOptions,
  type SeatsOnResume,
} from '../domain';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { PlacementStore } from './placement-store';
import { socketPlacementOf } from './realtime-channel';
import { RoomNotifier } from './room-notifier';
import { SessionRoster, type Seat } from './session-roster';
import { SessionStore } from './session-store';
import { toRoomView } from './views';

export interface ChangeStatusCommand {
  userId: string;
  sessionId: string;
  status: SessionStatus;
  /** A break's reason and length (suspended only). */
  reason?: string | null;
  minutes?: number | null;
  /** On resume: false leaves everyone in the lobby. */
  restoreSeats?: boolean | null;
}

/**
 * draft → open ⇄ suspended → closed. Suspending returns every non-mediator to the lobby and
 * remembers where they sat; resuming gives those seats back (unless the mediator says not to, or
 * a seat can no longer be taken); closing returns everyone. The moves, the break and the memory
 * of seats are part of the same transaction and audit entry set.
 */
@Injectable()
export class ChangeStatusUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly sessions: SessionStore,
    private readonly placements: PlacementStore,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: ChangeStatusCommand): Promise<StatusChanged> {
    // Input first: a bad reason or length changes nothing, whatever the session's state.
    const options = checkStatusOptions(cmd.status, cmd);
    // Suspending, resuming and closing move people: refused while other instances cannot be reached.
    this.fanout.assertAvailable();
    const { relocated, restored, from, event } = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayChangeStatus(actor, session.status, cmd.status);
      const participants = await this.roster.participants(tx, session.id);
      const toMove = relocationsOnStatus(cmd.status, participants);
      const moved = participants.filter((p) => toMove.some((m) => m.id === p.id));
      if (moved.length)
        await this.placements.sendToLobby(
          tx,
          moved.map((p) => p.id),
        );

      const resume =
        session.status === 'suspended' && cmd.status === 'open' ? await this.resume(tx, session.id, participants, options) : null;
      await this.placements.forgetBreakSeats(tx, session.id);
      if (cmd.status === 'suspended') {
        const remembered = seatsToRemember(toMove);
        if (remembered.length) await this.placements.rememberBreakSeats(tx, session.id, remembered);
      }

      const brk = breakOnStatus(cmd.status, options, new Date());
      await this.sessions.setStatus(tx, session.id, cmd.status, brk);
      const view = toBreakView(cmd.status, brk);
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(tx, session.id, [
        {
          ...by,
          type: 'session.status_changed',
          payload: {
            from: session.status,
            to: cmd.status,
            ...(view ? { reason: view.reason, endsAt: view.endsAt } : {}),
            ...(resume ? { restoreSeats: options.restoreSeats, keptInLobby: resume.decision.keptInLobby } : {}),
          },
        },
        ...moved.map((p) => ({
          ...by,
          type: 'participant.sent_to_lobby',
          payload: { participantId: p.id, fromRoomId: p.roomId, reason: `session_${cmd.status}` },
        })),
        ...(resume?.decision.restored ?? []).map((r) => ({
          ...by,
          type: 'participant.admitted',
          payload: { participantId: r.participantId, fromRoomId: null, toRoomId: r.roomId, reason: 'session_resumed' },
        })),
      ]);
      const event: StatusChanged = { sessionId: session.id, status: cmd.status, break: view };
      return { relocated: moved, restored: resume?.seated ?? [], from: session.status, event };
    });

    // On resume the status comes first: people hear the session is open, then where they sit.
    // Otherwise last: people hear they were sent to the lobby, then why.
    const resumed = from === 'suspended' && cmd.status === 'open';
    if (resumed) this.notifier.statusChanged(event);
    for (const { participant, room } of restored) {
      await this.notifier.syncParticipant(cmd.sessionId, socketPlacementOf(participant));
      this.notifier.locationChanged({
        sessionId: cmd.sessionId,
        participantId: participant.id,
        room: toRoomView(room),
        reason: 'session_resumed',
      });
    }
    for (const p of relocated) {
      await this.notifier.syncParticipant(cmd.sessionId, { ...socketPlacementOf(p), roomId: null });
      this.notifier.locationChanged({
        sessionId: cmd.sessionId,
        participantId: p.id,
        room: null,
        reason: cmd.status === 'closed' ? 'session_closed' : 'session_suspended',
      });
    }
    if (!resumed) this.notifier.statusChanged(event);
    if (relocated.length || restored.length || from !== cmd.status) {
      await this.notifier.presenceChanged(cmd.sessionId, [
        ...new Set([...relocated.map((p) => p.roomId), ...restored.map((r) => r.room.id)]),
      ]);
    }
    return event;
  }

  /** Gives back the seats that can still be taken (and says where each participant restored sits now). */
  private async resume(tx: Tx, sessionId: string, participants: readonly Seat[], options: CheckedStatusOptions) {
    const [seats, rooms] = await Promise.all([this.placements.breakSeats(tx, sessionId), this.roster.rooms(tx, sessionId)]);
    const decision: SeatsOnResume = seatsOnResume({
      participants,
      seats,
      rooms,
      restoreSeats: options.restoreSeats,
    });
    const seated = decision.restored.map((r) => {
      const participant: Seat = { ...participants.find((p) => p.id === r.participantId)!, roomId: r.roomId };
      return { participant, room: rooms.find((room) => room.id === r.roomId)! };
    });
    for (const roomId of new Set(decision.restored.map((r) => r.roomId))) {
      const ids = decision.restored.filter((r) => r.roomId === roomId).map((r) => r.participantId);
      await this.placements.placeAll(tx, sessionId, ids, roomId);
    }
    return { decision, seated };
  }
}

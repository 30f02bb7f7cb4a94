import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { SessionStatus, StatusChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
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
import { BreakSeatEntity, MediationSessionEntity, ParticipantEntity } from '../infrastructure/persistence';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { RoomNotifier } from './room-notifier';
import { loadActor, loadRooms, syncTarget, toLocated } from './session-access';
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
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: ChangeStatusCommand): Promise<StatusChanged> {
    // Input first: a bad reason or length changes nothing, whatever the session's state.
    const options = checkStatusOptions(cmd.status, cmd);
    // Suspending, resuming and closing move people: refused while other instances cannot be reached.
    this.fanout.assertAvailable();
    const { relocated, restored, from, event } = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayChangeStatus(actor, session.status, cmd.status);
      const participants = await manager.getRepository(ParticipantEntity).find({ where: { sessionId: session.id } });
      const toMove = relocationsOnStatus(cmd.status, participants.map(toLocated));
      const moved = participants.filter((p) => toMove.some((m) => m.id === p.id));
      if (moved.length)
        await manager.getRepository(ParticipantEntity).update(
          moved.map((p) => p.id),
          { roomId: null },
        );

      const resume =
        session.status === 'suspended' && cmd.status === 'open' ? await this.resume(manager, session.id, participants, options) : null;
      const seats = manager.getRepository(BreakSeatEntity);
      await seats.delete({ sessionId: session.id });
      if (cmd.status === 'suspended') {
        const remembered = seatsToRemember(toMove);
        if (remembered.length) await seats.insert(remembered.map((s) => ({ ...s, sessionId: session.id })));
      }

      const brk = breakOnStatus(cmd.status, options, new Date());
      await manager.getRepository(MediationSessionEntity).update(
        { id: session.id },
        {
          status: cmd.status,
          breakReason: brk.reason,
          breakStartedAt: brk.startedAt,
          breakEndsAt: brk.endsAt,
        },
      );
      const view = toBreakView(cmd.status, brk);
      const by = { actorUserId: cmd.userId, actorParticipantId: actor.id };
      await this.audit.append(manager, session.id, [
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
      await this.notifier.syncParticipant(cmd.sessionId, syncTarget(participant));
      this.notifier.locationChanged({
        sessionId: cmd.sessionId,
        participantId: participant.id,
        room: toRoomView(room),
        reason: 'session_resumed',
      });
    }
    for (const p of relocated) {
      await this.notifier.syncParticipant(cmd.sessionId, { ...syncTarget(p), roomId: null });
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

  /** Gives back the seats that can still be taken; the rows of `participants` are updated in place. */
  private async resume(manager: EntityManager, sessionId: string, participants: ParticipantEntity[], options: CheckedStatusOptions) {
    const [seats, rooms] = await Promise.all([
      manager.getRepository(BreakSeatEntity).find({ where: { sessionId } }),
      loadRooms(manager, sessionId),
    ]);
    const decision: SeatsOnResume = seatsOnResume({
      participants: participants.map(toLocated),
      seats,
      rooms,
      restoreSeats: options.restoreSeats,
    });
    const seated = decision.restored.map((r) => {
      const participant = participants.find((p) => p.id === r.participantId)!;
      participant.roomId = r.roomId;
      return { participant, room: rooms.find((room) => room.id === r.roomId)! };
    });
    for (const roomId of new Set(decision.restored.map((r) => r.roomId))) {
      const ids = decision.restored.filter((r) => r.roomId === roomId).map((r) => r.participantId);
      await manager.getRepository(ParticipantEntity).update({ id: In(ids), sessionId }, { roomId });
    }
    return { decision, seated };
  }
}

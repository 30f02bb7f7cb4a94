import { Injectable } from '@nestjs/common';
import type { BulkMoveResult, LocationChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError, UnitOfWork } from '@parley/platform';
import {
  assertMayMove,
  caucusMoves,
  decideBulkPlacement,
  decidePlacement,
  plenaryMoves,
  type BulkMove,
  type PlacementKind,
} from '../domain';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { PlacementStore } from './placement-store';
import { socketPlacementOf } from './realtime-channel';
import { RoomNotifier } from './room-notifier';
import { SessionRoster, type Seat } from './session-roster';
import { toRoomView } from './views';

/**
 * A bulk move: explicit moves (the console's multi-select), or one of the two gatherings —
 * each delegation to its caucus, everyone to the plenary.
 */
export type BulkPlaceCommand = { userId: string; sessionId: string } & (
  { kind: 'moves'; moves: ReadonlyArray<{ participantId: string; roomId: string }> } | { kind: 'caucuses' } | { kind: 'plenary' }
);

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
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly placements: PlacementStore,
    private readonly audit: AuditTrail,
    private readonly notifier: RoomNotifier,
    private readonly fanout: MembershipFanoutGuard,
  ) {}

  async execute(cmd: PlaceCommand): Promise<LocationChanged> {
    this.fanout.assertAvailable();
    const { decision, target, room } = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      const target = await this.roster.participant(tx, session.id, cmd.participantId);
      const room = cmd.kind === 'send_to_lobby' || !cmd.roomId ? null : await this.roster.room(tx, session.id, cmd.roomId);
      const decision = decidePlacement({
        kind: cmd.kind,
        actor,
        target,
        room,
        status: session.status,
      });
      await this.placements.place(tx, target.id, decision.toRoomId);
      await this.audit.append(tx, session.id, [
        {
          type: decision.type,
          actorUserId: cmd.userId,
          actorParticipantId: actor.id,
          payload: { participantId: target.id, fromRoomId: decision.fromRoomId, toRoomId: decision.toRoomId },
        },
      ]);
      return { decision, target, room };
    });

    await this.notifier.syncParticipant(cmd.sessionId, { ...socketPlacementOf(target), roomId: decision.toRoomId });
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

  /**
   * Many moves in one request. All are decided first, against the same rule as a single move
   * (decideBulkPlacement); if any is refused, the request is refused as a whole — the first
   * refusal's code (CAUCUS_FORBIDDEN, OBSERVER_PLENARY_ONLY…), field `moves`, and in details every
   * refused move with the person's name — and nothing moves. Otherwise every move is applied in one
   * transaction with its own audit entry, exactly as a single move writes it; after the commit each
   * moved participant gets what a single move gives: the media cut and the socket channels
   * (syncParticipant, awaited, one participant after the other), then their location event; the
   * rooms concerned hear the new presence once.
   */
  async executeMany(cmd: BulkPlaceCommand): Promise<BulkMoveResult> {
    this.fanout.assertAvailable();
    const { applied, unchanged } = await this.uow.transaction(async (tx) => {
      const { session, actor } = await this.roster.actor(tx, cmd.sessionId, cmd.userId, true);
      assertMayMove(actor);
      const rooms = await this.roster.rooms(tx, session.id);
      let moves: BulkMove[];
      let people: Seat[];
      if (cmd.kind === 'moves') {
        const ids = [...new Set(cmd.moves.map((m) => m.participantId))];
        people = await this.roster.participantsByIds(tx, session.id, ids);
        moves = cmd.moves.map((m, i) => {
          const target = people.find((p) => p.id === m.participantId);
          if (!target) {
            throw new DomainError('PARTICIPANT_NOT_FOUND', 'No such participant in this session.', `moves.${i}.participantId`);
          }
          const room = rooms.find((r) => r.id === m.roomId);
          if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', `moves.${i}.roomId`);
          return { target, room };
        });
      } else {
        people = await this.roster.participants(tx, session.id);
        moves = cmd.kind === 'caucuses' ? caucusMoves(people, rooms) : plenaryMoves(people, rooms);
      }
      const verdict = decideBulkPlacement(actor, moves, session.status);
      if (verdict.refused.length) {
        const nameOf = (id: string) => people.find((p) => p.id === id)?.displayName ?? '';
        const first = verdict.refused[0];
        const names = verdict.refused.map((r) => nameOf(r.participantId)).join(', ');
        throw new DomainError(first.code, `Nothing was moved: ${names} may not be moved there. ${first.message}`, 'moves', {
          refused: verdict.refused.map((r) => ({ ...r, displayName: nameOf(r.participantId) })),
        });
      }
      for (const d of verdict.decisions) await this.placements.place(tx, d.participantId, d.toRoomId);
      if (verdict.decisions.length) {
        await this.audit.append(
          tx,
          session.id,
          verdict.decisions.map((d) => ({
            type: d.type,
            actorUserId: cmd.userId,
            actorParticipantId: actor.id,
            payload: { participantId: d.participantId, fromRoomId: d.fromRoomId, toRoomId: d.toRoomId },
          })),
        );
      }
      const applied = verdict.decisions.map((d) => ({
        decision: d,
        target: people.find((p) => p.id === d.participantId)!,
        room: rooms.find((r) => r.id === d.toRoomId)!,
      }));
      return { applied, unchanged: verdict.unchanged };
    });

    for (const { decision, target, room } of applied) {
      await this.notifier.syncParticipant(cmd.sessionId, { ...socketPlacementOf(target), roomId: decision.toRoomId });
      this.notifier.locationChanged({
        sessionId: cmd.sessionId,
        participantId: target.id,
        room: toRoomView(room),
        reason: decision.type === 'participant.admitted' ? 'admitted' : 'moved',
      });
    }
    if (applied.length) {
      await this.notifier.presenceChanged(cmd.sessionId, [
        ...applied.map((a) => a.decision.fromRoomId),
        ...applied.map((a) => a.decision.toRoomId),
      ]);
    }
    return {
      moved: applied.map(({ decision }) => ({
        participantId: decision.participantId,
        fromRoomId: decision.fromRoomId,
        toRoomId: decision.toRoomId!,
      })),
      unchanged,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { BulkMoveResult, LocationChanged } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { DomainError } from '@parley/platform';
import {
  assertMayMove,
  caucusMoves,
  decideBulkPlacement,
  decidePlacement,
  plenaryMoves,
  type BulkMove,
  type PlacementKind,
} from '../domain';
import { ParticipantEntity } from '../infrastructure/persistence';
import { MembershipFanoutGuard } from './membership-fanout.guard';
import { RoomNotifier } from './room-notifier';
import { loadActor, loadParticipant, loadRoom, loadRooms, syncTarget, toLocated } from './session-access';
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
    const { applied, unchanged } = await this.dataSource.transaction(async (manager) => {
      const { session, actor } = await loadActor(manager, cmd.sessionId, cmd.userId, true);
      assertMayMove(actor);
      const repo = manager.getRepository(ParticipantEntity);
      const rooms = await loadRooms(manager, session.id);
      let moves: BulkMove[];
      let people: ParticipantEntity[];
      if (cmd.kind === 'moves') {
        const ids = [...new Set(cmd.moves.map((m) => m.participantId))];
        people = await repo.find({ where: { sessionId: session.id, id: In(ids) } });
        moves = cmd.moves.map((m, i) => {
          const target = people.find((p) => p.id === m.participantId);
          if (!target) {
            throw new DomainError('PARTICIPANT_NOT_FOUND', 'No such participant in this session.', `moves.${i}.participantId`);
          }
          const room = rooms.find((r) => r.id === m.roomId);
          if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room in this session.', `moves.${i}.roomId`);
          return { target: toLocated(target), room };
        });
      } else {
        people = await repo.find({ where: { sessionId: session.id }, order: { joinedAt: 'ASC', id: 'ASC' } });
        const located = people.map(toLocated);
        moves = cmd.kind === 'caucuses' ? caucusMoves(located, rooms) : plenaryMoves(located, rooms);
      }
      const verdict = decideBulkPlacement(toLocated(actor), moves, session.status);
      if (verdict.refused.length) {
        const nameOf = (id: string) => people.find((p) => p.id === id)?.displayName ?? '';
        const first = verdict.refused[0];
        const names = verdict.refused.map((r) => nameOf(r.participantId)).join(', ');
        throw new DomainError(first.code, `Nothing was moved: ${names} may not be moved there. ${first.message}`, 'moves', {
          refused: verdict.refused.map((r) => ({ ...r, displayName: nameOf(r.participantId) })),
        });
      }
      for (const d of verdict.decisions) await repo.update({ id: d.participantId }, { roomId: d.toRoomId });
      if (verdict.decisions.length) {
        await this.audit.append(
          manager,
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
      await this.notifier.syncParticipant(cmd.sessionId, { ...syncTarget(target), roomId: decision.toRoomId });
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

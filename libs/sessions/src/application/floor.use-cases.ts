import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RoomFloor, TimerPurpose } from '@parley/contracts';
import { AuditTrail } from '@parley/audit';
import { Clock, DomainError, UnitOfWork, type Tx } from '@parley/platform';
import {
  decideClearTimer,
  decideLower,
  decideRaise,
  decideTimer,
  floorRoomsVisibleTo,
  queueOf,
  staleHands,
  type FloorEvent,
  type Hand,
  type Timer,
} from '../domain';
import { FloorStore } from './floor-store';
import { PlacementListeners, type PlacementListener } from './placement-listeners';
import { REALTIME_CHANNEL, type RealtimeChannel, type SocketPlacement } from './realtime-channel';
import { SessionRoster } from './session-roster';

export interface FloorActor {
  userId: string;
  sessionId: string;
}

export interface SetTimerCommand extends FloorActor {
  roomId: string;
  seconds: number;
  purpose: TimerPurpose;
  label?: string;
}

/** What the audit trail keeps of a floor change (a hand's or a clock's). */
function auditPayload(e: FloorEvent): Record<string, unknown> {
  switch (e.type) {
    case 'hand.raised':
      return { participantId: e.participantId, roomId: e.roomId };
    case 'hand.lowered':
      return { participantId: e.participantId, roomId: e.roomId, byMediator: e.byMediator };
    case 'timer.set':
      return {
        roomId: e.timer.roomId,
        purpose: e.timer.purpose,
        label: e.timer.label,
        durationSeconds: e.timer.durationSeconds,
        endsAt: e.timer.endsAt.toISOString(),
      };
    case 'timer.cleared':
      return { roomId: e.roomId };
  }
}

/**
 * The floor of each room: hands raised in order, and the mediator's clock. Every change is decided
 * by the floor rule, stored with its audit entry in one transaction, and then the room's floor goes
 * to its occupants and to the session's mediators (wherever they are), on every API instance.
 * A hand is dropped when its owner leaves its room by any path: this listens to every placement
 * change (moves, bulk moves, the lobby, breaks, role changes, departures), and reading a floor
 * leaves out any hand whose owner is no longer in its room, so a drop that has not landed yet is
 * never shown.
 */
@Injectable()
export class FloorUseCases implements PlacementListener {
  private readonly logger = new Logger('Floor');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly roster: SessionRoster,
    private readonly audit: AuditTrail,
    private readonly store: FloorStore,
    private readonly clock: Clock,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    listeners: PlacementListeners,
  ) {
    listeners.register(this);
  }

  /** A party member raises their hand in the room they are in (again: nothing changes). */
  async raise(cmd: FloorActor): Promise<RoomFloor> {
    const { roomIds } = await this.uow.transaction(async (m) => {
      const { session, actor } = await this.roster.actor(m, cmd.sessionId, cmd.userId, 'share');
      const current = await this.store.handOf(m, actor.id);
      const event = decideRaise(actor, session.status, current, this.now());
      await this.record(m, cmd, actor.id, event);
      const here = actor.roomId!;
      return { roomIds: event && current && current.roomId !== here ? [here, current.roomId] : event ? [here] : [], here };
    });
    const floors = await this.publish(cmd.sessionId, roomIds);
    return floors[0] ?? this.floorOfCaller(cmd);
  }

  /** One's own hand down, or — a mediator — anyone's (`participantId`). Not up: nothing changes. */
  async lower(cmd: FloorActor & { participantId?: string }): Promise<RoomFloor> {
    const { roomId, changed } = await this.uow.transaction(async (m) => {
      const { actor } = await this.roster.actor(m, cmd.sessionId, cmd.userId, 'share');
      const target = cmd.participantId ? await this.roster.participant(m, actor.sessionId, cmd.participantId) : actor;
      const current = await this.store.handOf(m, target.id);
      const event = decideLower(actor, target, current);
      await this.record(m, cmd, actor.id, event);
      const roomId = current?.roomId ?? target.roomId ?? actor.roomId;
      if (!roomId) throw new DomainError('NOT_IN_ROOM', 'This participant is in the lobby: no hand is up.', 'participantId');
      return { roomId, changed: event !== null };
    });
    if (changed) return (await this.publish(cmd.sessionId, [roomId]))[0];
    return this.read(cmd.sessionId, roomId);
  }

  /** A mediator starts (or replaces) a room's clock. */
  async setTimer(cmd: SetTimerCommand): Promise<RoomFloor> {
    await this.uow.transaction(async (m) => {
      const { session, actor } = await this.roster.actor(m, cmd.sessionId, cmd.userId, 'share');
      const room = await this.roster.room(m, session.id, cmd.roomId);
      const event = decideTimer({
        actor: actor,
        room,
        status: session.status,
        seconds: cmd.seconds,
        purpose: cmd.purpose,
        label: cmd.label,
        now: this.now(),
      });
      await this.record(m, cmd, actor.id, event);
    });
    return (await this.publish(cmd.sessionId, [cmd.roomId]))[0];
  }

  /** A mediator stops a room's clock (none running: nothing changes). */
  async clearTimer(cmd: FloorActor & { roomId: string }): Promise<RoomFloor> {
    const changed = await this.uow.transaction(async (m) => {
      const { session, actor } = await this.roster.actor(m, cmd.sessionId, cmd.userId, 'share');
      const room = await this.roster.room(m, session.id, cmd.roomId);
      const current = room ? await this.store.timerOf(m, room.id) : null;
      const event = decideClearTimer(actor, room, session.status, current);
      await this.record(m, cmd, actor.id, event);
      return event !== null;
    });
    if (changed) return (await this.publish(cmd.sessionId, [cmd.roomId]))[0];
    return this.read(cmd.sessionId, cmd.roomId);
  }

  /** The floors the caller may see: the room they are in; every open room for a mediator (in the rooms' order). */
  async floors(cmd: FloorActor): Promise<RoomFloor[]> {
    const m = this.uow.autocommit;
    const { actor } = await this.roster.actor(m, cmd.sessionId, cmd.userId);
    const rooms = floorRoomsVisibleTo(actor, await this.roster.rooms(m, cmd.sessionId));
    return this.build(
      m,
      cmd.sessionId,
      rooms.map((r) => r.id),
    );
  }

  /**
   * After any placement change: the participant's hand, if it no longer stands (another room, the
   * lobby, a role that holds none), is dropped before the move is answered, so that nothing reads
   * it afterwards; its room is told without holding up the rest of the move (the media cut). With
   * no hand up this costs one read by primary key. The rule reads the stored location, so it never
   * removes a hand raised since in the new room.
   */
  async placementChanged(sessionId: string, placement: SocketPlacement): Promise<void> {
    const m = this.uow.autocommit;
    const hand = await this.store.handOf(m, placement.id);
    if (!hand) return;
    const dropped = await this.store.drop(m, staleHands([hand], await this.store.people(m, sessionId, [placement.id])));
    if (dropped.length) {
      void this.publish(
        sessionId,
        dropped.map((h) => h.roomId),
      ).catch((e: Error) => this.logger.warn(`telling a room of a dropped hand: ${e.message}`));
    }
  }

  private async record(m: Tx, cmd: FloorActor, actorParticipantId: string, event: FloorEvent | null): Promise<void> {
    if (!event) return;
    await this.store.apply(m, cmd.sessionId, event);
    await this.audit.append(m, cmd.sessionId, [
      { type: event.type, actorUserId: cmd.userId, actorParticipantId, payload: auditPayload(event) },
    ]);
  }

  /** The rooms' floors as stored now, each to its occupants and the mediators. */
  private async publish(sessionId: string, roomIds: readonly string[]): Promise<RoomFloor[]> {
    if (!roomIds.length) return [];
    const floors = await this.build(this.uow.autocommit, sessionId, roomIds);
    for (const f of floors) this.channel.toRoomAndMediators(sessionId, f.roomId, 'room.floor', f);
    return floors;
  }

  private async read(sessionId: string, roomId: string): Promise<RoomFloor> {
    return (await this.build(this.uow.autocommit, sessionId, [roomId]))[0];
  }

  private async floorOfCaller(cmd: FloorActor): Promise<RoomFloor> {
    const { actor } = await this.roster.actor(this.uow.autocommit, cmd.sessionId, cmd.userId);
    return this.read(cmd.sessionId, actor.roomId!);
  }

  private async build(m: Tx, sessionId: string, roomIds: readonly string[]): Promise<RoomFloor[]> {
    if (!roomIds.length) return [];
    const [hands, timers] = await Promise.all([this.store.hands(m, sessionId, roomIds), this.store.timers(m, sessionId, roomIds)]);
    const people = hands.length ? await this.store.people(m, sessionId, [...new Set(hands.map((h) => h.participantId))]) : [];
    const stale = new Set(staleHands(hands, people));
    const standing = hands.filter((h) => !stale.has(h));
    const serverTime = this.now().toISOString();
    return roomIds.map((roomId) =>
      toFloor(sessionId, roomId, queueOf(standing, roomId), timers.find((t) => t.roomId === roomId) ?? null, serverTime),
    );
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function toFloor(sessionId: string, roomId: string, hands: Hand[], timer: Timer | null, serverTime: string): RoomFloor {
  return {
    sessionId,
    roomId,
    hands: hands.map((h) => ({ participantId: h.participantId, raisedAt: h.raisedAt.toISOString() })),
    timer: timer && {
      purpose: timer.purpose,
      label: timer.label,
      durationSeconds: timer.durationSeconds,
      startedAt: timer.startedAt.toISOString(),
      endsAt: timer.endsAt.toISOString(),
      setBy: timer.setBy,
    },
    serverTime,
  };
}

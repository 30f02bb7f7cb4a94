import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { LocationChanged, OccupantView, PresenceOverview, ServerToClientEvents, StatusChanged } from '@parley/contracts';
import { orderRooms } from '../domain';
import { ParticipantEntity, PartyEntity } from '../infrastructure/persistence';
import { loadRooms } from './session-access';
import { toRoomView } from './views';

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * The realtime port: where events go, by audience. Use cases never touch a socket; the
 * Socket.IO adapter sits behind this (and, with Redis, reaches sockets on every API instance).
 */
export interface RealtimeChannel {
  /**
   * Puts every socket of the participant in exactly the channels their state allows and nothing
   * else: their current room (if any), the mediators' channel (if a mediator), their delegation's
   * channel (if a party member), the observers' channel (if neither).
   */
  syncParticipant(sessionId: string, participant: SocketPlacement): Promise<void>;
  connectedParticipants(sessionId: string): Promise<Set<string>>;
  toParticipant<E extends EventName>(participantId: string, event: E, payload: Payload<E>): void;
  toRoom<E extends EventName>(roomId: string, event: E, payload: Payload<E>): void;
  toMediators<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void;
  /** The members of one delegation, wherever they are (never the mediators). */
  toParty<E extends EventName>(partyId: string, event: E, payload: Payload<E>): void;
  /**
   * The sockets in a room and the mediators' (each once), but for one socket — the sender, who
   * has it already. Without a room: the mediators only.
   */
  toRoomAndMediators<E extends EventName>(
    sessionId: string,
    roomId: string | null,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
  ): void;
  /** The observers of a session, wherever they are. */
  toObservers<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void;
  toSession<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void;
}

export const REALTIME_CHANNEL = Symbol('REALTIME_CHANNEL');

/** Where a participant's sockets belong. */
export interface SocketPlacement {
  id: string;
  roomId: string | null;
  isMediator: boolean;
  partyId: string | null;
}

/** Presence, built from the stored locations and the live connections. */
@Injectable()
export class PresenceReader {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
  ) {}

  async overview(sessionId: string): Promise<PresenceOverview> {
    const [participants, stored, parties, connected] = await Promise.all([
      this.dataSource.getRepository(ParticipantEntity).find({ where: { sessionId }, order: { joinedAt: 'ASC', id: 'ASC' } }),
      loadRooms(this.dataSource.manager, sessionId),
      this.dataSource.getRepository(PartyEntity).find({ where: { sessionId }, order: { position: 'ASC' } }),
      this.channel.connectedParticipants(sessionId),
    ]);
    // Every page, pushed or fetched, lists the rooms in the one order (joint rooms come in opening order from loadRooms).
    const rooms = orderRooms(
      stored,
      parties.map((p) => p.id),
    );
    const occupant = (p: ParticipantEntity): OccupantView => ({
      participantId: p.id,
      displayName: p.displayName,
      role: p.role,
      partyId: p.partyId,
      connected: connected.has(p.id),
    });
    return {
      sessionId,
      lobby: participants.filter((p) => p.roomId === null).map(occupant),
      rooms: rooms
        .filter((r) => !r.closed)
        .map((r) => ({ room: toRoomView(r), occupants: participants.filter((p) => p.roomId === r.id).map(occupant) })),
    };
  }
}

/**
 * What else must follow a participant's placement or role at once — media: the old room's
 * streams are torn down before anything of the new room reaches them.
 */
export interface PlacementListener {
  placementChanged(sessionId: string, placement: SocketPlacement): Promise<void>;
}

/** Where other contexts register what follows a change of placement (sessions knows none of them). */
@Injectable()
export class PlacementListeners {
  private readonly listeners: PlacementListener[] = [];
  private readonly logger = new Logger('Placement');

  register(listener: PlacementListener): void {
    this.listeners.push(listener);
  }

  /** Runs every listener; one failing is logged and does not stop the others or the move. */
  async changed(sessionId: string, placement: SocketPlacement): Promise<void> {
    for (const l of this.listeners) {
      await l.placementChanged(sessionId, placement).catch((e: Error) => this.logger.error(`after a placement change: ${e.message}`));
    }
  }
}

/** What use cases announce after a committed change. */
@Injectable()
export class RoomNotifier {
  constructor(
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    private readonly presence: PresenceReader,
    private readonly listeners: PlacementListeners,
  ) {}

  /** First what follows the placement (media cut), then the sockets' channels. */
  async syncParticipant(sessionId: string, participant: SocketPlacement): Promise<void> {
    await this.listeners.changed(sessionId, participant);
    return this.channel.syncParticipant(sessionId, participant);
  }

  locationChanged(event: LocationChanged): void {
    this.channel.toParticipant(event.participantId, 'participant.location', event);
  }

  /** The overview to the mediators; to each listed room, who is in it now. */
  async presenceChanged(sessionId: string, roomIds: ReadonlyArray<string | null>): Promise<void> {
    const overview = await this.presence.overview(sessionId);
    this.channel.toMediators(sessionId, 'presence.overview', overview);
    for (const roomId of new Set(roomIds)) {
      if (!roomId) continue;
      const entry = overview.rooms.find((r) => r.room.id === roomId);
      if (entry) this.channel.toRoom(roomId, 'room.presence', { sessionId, roomId, occupants: entry.occupants });
    }
  }

  /** To everyone in the session, with the break when it is one. */
  statusChanged(event: StatusChanged): void {
    this.channel.toSession(event.sessionId, 'session.status', event);
  }
}

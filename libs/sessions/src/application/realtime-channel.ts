import type { ServerToClientEvents } from '@parley/contracts';
import { isInterpreter, isMediator, type LocatedParticipant } from '../domain';

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
   * channel (if a party member), the observers' channel (if neither), the interpreters' channel
   * (if an interpreter: what a room must not give them is sent to the room except that channel).
   */
  syncParticipant(sessionId: string, participant: SocketPlacement): Promise<void>;
  connectedParticipants(sessionId: string): Promise<Set<string>>;
  toParticipant<E extends EventName>(participantId: string, event: E, payload: Payload<E>): void;
  /**
   * The sockets in a room; with `exceptSocketId`, all but that one (the sender, who has it in its
   * ack); with `exceptInterpreters`, none of an interpreter's (what a room carries that is not
   * theirs: the shuttle).
   */
  toRoom<E extends EventName>(
    roomId: string,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
    options?: { exceptInterpreters?: boolean },
  ): void;
  toMediators<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void;
  /** The members of one delegation, wherever they are (never the mediators). */
  toParty<E extends EventName>(partyId: string, event: E, payload: Payload<E>): void;
  /**
   * The sockets in a room and the mediators' (each once), but for one socket — the sender, who
   * has it already. Without a room: the mediators only. `exceptInterpreters` as for toRoom.
   */
  toRoomAndMediators<E extends EventName>(
    sessionId: string,
    roomId: string | null,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
    options?: { exceptInterpreters?: boolean },
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
  /** An interpreter's sockets also join the interpreters' channel. */
  isInterpreter?: boolean;
}

/** Where the participant's sockets belong, given where they are and who they are. */
export const socketPlacementOf = (p: LocatedParticipant): SocketPlacement => ({
  id: p.id,
  roomId: p.roomId,
  isMediator: isMediator(p),
  partyId: p.partyId,
  isInterpreter: isInterpreter(p),
});

/** Whether two placements put a participant's sockets in the same channels. */
export const samePlacement = (a: SocketPlacement, b: SocketPlacement): boolean =>
  a.id === b.id &&
  a.roomId === b.roomId &&
  a.isMediator === b.isMediator &&
  a.partyId === b.partyId &&
  !!a.isInterpreter === !!b.isInterpreter;

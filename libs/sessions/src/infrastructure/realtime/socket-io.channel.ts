import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import type { ServerToClientEvents } from '@parley/contracts';
import type { RealtimeChannel, SocketPlacement } from '../../application/realtime-channel';

/** Socket.IO room names. A client never picks any of them: the server derives them from state. */
export const channels = {
  session: (sessionId: string) => `session:${sessionId}`,
  mediators: (sessionId: string) => `session:${sessionId}:mediators`,
  participant: (participantId: string) => `participant:${participantId}`,
  party: (partyId: string) => `party:${partyId}`,
  observers: (sessionId: string) => `session:${sessionId}:observers`,
  /** Every interpreter's sockets, whatever the session: a room's event they may not have goes to the room except this. */
  interpreters: () => 'role:interpreter',
  room: (roomId: string) => `room:${roomId}`,
  /** Every socket of an account, and of one of its sign-ins: joined at the handshake, kept until the socket ends. */
  user: (userId: string) => `user:${userId}`,
  family: (familyId: string) => `family:${familyId}`,
};

/** A room of who the socket is (its account, its sign-in), not of where it is: no placement takes it away. */
export const isIdentityRoom = (room: string): boolean => room.startsWith('user:') || room.startsWith('family:');

export interface SocketData {
  userId: string;
  tokenExpiresAt: number;
  /** The sign-in (refresh family) of the socket's token, when it names one. */
  familyId?: string;
  sessionId?: string;
  participantId?: string;
}

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * The realtime port over Socket.IO. Uses only server-side room operations and fetchSockets, which
 * the Redis adapter carries to every API instance.
 */
@Injectable()
export class SocketIoChannel implements RealtimeChannel {
  private server: Server | null = null;

  attach(server: Server): void {
    this.server = server;
  }

  private get io(): Server {
    if (!this.server) throw new Error('Socket.IO server not attached yet');
    return this.server;
  }

  /** `scope` 'local': this instance's sockets only (the heal after a fan-out outage, run by every instance). */
  async syncParticipant(sessionId: string, p: SocketPlacement, scope: 'everywhere' | 'local' = 'everywhere'): Promise<void> {
    const keep = new Set([channels.session(sessionId), channels.participant(p.id)]);
    if (p.roomId) keep.add(channels.room(p.roomId));
    if (p.isMediator) keep.add(channels.mediators(sessionId));
    if (p.partyId) keep.add(channels.party(p.partyId));
    if (!p.isMediator && !p.partyId) keep.add(channels.observers(sessionId));
    if (p.isInterpreter) keep.add(channels.interpreters());
    const sockets = await (scope === 'local' ? this.io.local : this.io).in(channels.participant(p.id)).fetchSockets();
    for (const socket of sockets) {
      const stale = [...socket.rooms].filter((r) => r !== socket.id && !keep.has(r) && !isIdentityRoom(r));
      for (const r of stale) socket.leave(r);
      socket.join([...keep]);
    }
  }

  /** Every participant with a socket on this instance, with their session. */
  async localParticipants(): Promise<Array<{ sessionId: string; participantId: string }>> {
    const seen = new Map<string, string>();
    for (const s of await this.io.local.fetchSockets()) {
      const { sessionId, participantId } = s.data as SocketData;
      if (sessionId && participantId) seen.set(participantId, sessionId);
    }
    return [...seen].map(([participantId, sessionId]) => ({ sessionId, participantId }));
  }

  async connectedParticipants(sessionId: string): Promise<Set<string>> {
    const sockets = await this.io.in(channels.session(sessionId)).fetchSockets();
    return new Set(sockets.map((s) => (s.data as SocketData).participantId).filter((id): id is string => !!id));
  }

  /** The ids of a participant's sockets, on every instance. */
  async socketsOf(participantId: string): Promise<string[]> {
    return (await this.io.in(channels.participant(participantId)).fetchSockets()).map((s) => s.id);
  }

  toSockets<E extends EventName>(socketIds: string[], event: E, payload: Payload<E>): void {
    this.io.to(socketIds).emit(event, payload);
  }

  toParticipant<E extends EventName>(participantId: string, event: E, payload: Payload<E>): void {
    this.emit(channels.participant(participantId), event, payload);
  }

  toRoom<E extends EventName>(
    roomId: string,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
    options?: { exceptInterpreters?: boolean },
  ): void {
    this.emitExcept(channels.room(roomId), event, payload, exceptSocketId, options);
  }

  toMediators<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void {
    this.emit(channels.mediators(sessionId), event, payload);
  }

  toParty<E extends EventName>(partyId: string, event: E, payload: Payload<E>): void {
    this.emit(channels.party(partyId), event, payload);
  }

  toRoomAndMediators<E extends EventName>(
    sessionId: string,
    roomId: string | null,
    event: E,
    payload: Payload<E>,
    exceptSocketId?: string,
    options?: { exceptInterpreters?: boolean },
  ): void {
    const targets = roomId ? [channels.room(roomId), channels.mediators(sessionId)] : [channels.mediators(sessionId)];
    this.emitExcept(targets, event, payload, exceptSocketId, options);
  }

  /** To `targets` but the sending socket and, when asked, every interpreter's sockets. */
  private emitExcept<E extends EventName>(
    targets: string | string[],
    event: E,
    payload: Payload<E>,
    exceptSocketId: string | undefined,
    options: { exceptInterpreters?: boolean } | undefined,
  ): void {
    const except = [...(exceptSocketId ? [exceptSocketId] : []), ...(options?.exceptInterpreters ? [channels.interpreters()] : [])];
    const op = this.io.to(targets);
    (except.length ? op.except(except) : op).emit(event, payload);
  }

  toObservers<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void {
    this.emit(channels.observers(sessionId), event, payload);
  }

  toSession<E extends EventName>(sessionId: string, event: E, payload: Payload<E>): void {
    this.emit(channels.session(sessionId), event, payload);
  }

  private emit(room: string, event: string, payload: unknown): void {
    this.io.to(room).emit(event, payload);
  }
}

import type { ClientToServerEvents, ServerToClientEvents, SessionView } from '@parley/contracts';
import { api, ApiFailure } from '../lib/api';
import { ask, connectRealtime, type AnswerOf, type ClientEvent, type ParleySocket } from '../lib/realtime';
import { initialState, isMediatorRole, reduce, type SessionAction, type SessionState } from './session-state';

export type Connection = 'connecting' | 'online' | 'offline';

/**
 * One session as this page lives it: the socket, the state the server's events build, and the
 * actions people take. Components read `state` and call methods; they never touch the socket.
 */
export class SessionController {
  readonly socket: ParleySocket;
  state: SessionState;
  connection: Connection = 'connecting';
  /** Set when the server refused us the session (removed, or never a participant). */
  fatal: ApiFailure | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly watched = new Set<string>();

  constructor(session: SessionView) {
    this.state = initialState(session);
    this.socket = connectRealtime();
    this.wire();
  }

  get sessionId(): string {
    return this.state.session.id;
  }

  get isMediator(): boolean {
    return isMediatorRole(this.state.me.role);
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): SessionState => this.state;

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.listeners.clear();
  }

  dispatch(a: SessionAction): void {
    const next = reduce(this.state, a);
    if (next === this.state) return;
    const gapsBefore = this.state.gaps;
    this.state = next;
    for (const roomId of next.gaps) if (!gapsBefore.includes(roomId)) void this.catchUp(roomId);
    this.emit();
  }

  /** A socket request on behalf of this session. */
  ask<E extends ClientEvent>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AnswerOf<E>> {
    return ask(this.socket, event, payload);
  }

  /** Reads a room's latest page, and keeps it read: a mediator can follow a room they are not in. */
  async loadRoom(roomId: string): Promise<void> {
    this.watched.add(roomId);
    const h = await this.ask('room.history', { roomId, limit: 100 });
    this.dispatch({ type: 'history', h });
  }

  /** Whatever a room's stream gained since what this page holds. */
  async catchUp(roomId: string): Promise<void> {
    const stream = this.state.streams[roomId] ?? [];
    const afterSeq = stream.length ? stream[stream.length - 1].seq : 0;
    try {
      const h = await this.ask('room.history', { roomId, afterSeq, limit: 200 });
      this.dispatch({ type: 'history', h });
    } catch {
      // The room may have been closed to us meanwhile; the next location event says where we are.
    }
  }

  async refreshAgreement(): Promise<void> {
    const [view, proposals] = await Promise.all([
      this.ask('agreement.get', {}),
      this.state.me.role === 'observer' ? Promise.resolve([]) : api.proposals(this.sessionId),
    ]);
    this.dispatch({ type: 'agreement', view });
    this.dispatch({ type: 'proposals', proposals });
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): void {
    // socket.io's typed `on` needs the literal event: the contract types each handler.
    (this.socket as unknown as { on(e: string, h: unknown): void }).on(event, handler);
  }

  private wire(): void {
    this.on('participant.location', (e) => {
      const mine = e.participantId === this.state.me.id;
      this.dispatch({ type: 'location', e });
      if (mine && e.room) void this.loadRoom(e.room.id).catch(() => undefined);
      if (mine) void this.reloadSession();
    });
    this.on('session.status', (e) => this.dispatch({ type: 'status', status: e.status }));
    this.on('presence.overview', (e) => this.dispatch({ type: 'overview', e }));
    this.on('room.presence', (e) => this.dispatch({ type: 'room.presence', e }));
    this.on('room.event', (e) => this.dispatch({ type: 'room.event', e }));
    this.on('shuttle.queue', (m) => this.dispatch({ type: 'shuttle', messages: [m] }));
    this.on('shuttle.cooling', (m) => this.dispatch({ type: 'shuttle', messages: [m] }));
    this.on('agreement.text', (view) => this.dispatch({ type: 'agreement', view }));
    this.on('agreement.proposal', (p) => this.dispatch({ type: 'proposals', proposals: [p] }));

    this.socket.on('connect', () => void this.join());
    this.socket.on('disconnect', () => {
      this.connection = 'offline';
      this.emit();
    });
    this.socket.on('connect_error', () => {
      this.connection = 'offline';
      this.emit();
    });
  }

  /** On every (re)connection: join, then read what may have changed while away. */
  private async join(): Promise<void> {
    try {
      const joined = await this.ask('session.join', { sessionId: this.sessionId });
      this.connection = 'online';
      this.dispatch({ type: 'status', status: joined.status });
      this.dispatch({ type: 'location', e: { sessionId: this.sessionId, participantId: joined.participant.id, room: joined.room, reason: 'moved' } });
      await this.reloadSession();
      const loads: Promise<unknown>[] = [this.refreshAgreement()];
      if (joined.room) loads.push(this.loadRoom(joined.room.id));
      for (const roomId of this.watched) if (roomId !== joined.room?.id) loads.push(this.catchUp(roomId));
      if (this.isMediator) loads.push(this.ask('presence.get', {}).then((e) => this.dispatch({ type: 'overview', e })));
      if (this.isMediator || this.state.me.role === 'party_member') loads.push(this.ask('shuttle.list', {}).then((messages) => this.dispatch({ type: 'shuttle', messages })));
      await Promise.allSettled(loads);
      this.emit();
    } catch (e) {
      this.fatal = ApiFailure.of(e);
      this.emit();
    }
  }

  /** The session as this participant may see it now (rooms and parties change with moves and roles). */
  async reloadSession(): Promise<void> {
    try {
      this.dispatch({ type: 'session', session: await api.session(this.sessionId) });
    } catch {
      // Kept as it was: the socket's events still say where we are.
    }
  }
}

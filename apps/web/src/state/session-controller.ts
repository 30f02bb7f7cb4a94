import type { ClientToServerEvents, RoomFloor, ServerToClientEvents, SessionView, StatusChanged, TimerPurpose } from '@parley/contracts';
import { accessToken, api, ApiFailure, renewedAccessToken } from '../lib/api';
import { auth } from '../lib/auth-store';
import { JoinGate } from '../lib/join-gate';
import { ask, connectRealtime, type AnswerOf, type ClientEvent, type ParleySocket } from '../lib/realtime';
import { isMediator } from '@parley/sessions/domain/model';
import { consultationApi } from '../consultation/consultation-api';
import { contiguousEnd, initialState, reduce, type SessionAction, type SessionState } from './session-state';

/**
 * One session as this page lives it: the socket, the state the server's events build, and the
 * actions people take. Components read `state` and call methods; they never touch the socket.
 */
export class SessionController {
  readonly socket: ParleySocket;
  state: SessionState;
  private readonly listeners = new Set<() => void>();
  private readonly joinedListeners = new Set<() => void>();
  private readonly watched = new Set<string>();
  private readonly reading = new Map<string, Promise<void>>();
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  /** Requests wait here while the socket (re)joins: a reload or a reconnect never meets SOCKET_NOT_JOINED. */
  private readonly gate = new JoinGate(
    () => new ApiFailure(0, 'NETWORK', 'Not connected to the session: no join within the time allowed.', undefined, true),
  );
  private joining: Promise<void> | null = null;
  /** How many session.status events this page has had: a REST reading issued before the latest one is older than it. */
  private statusEvents = 0;
  private joinFailures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by `server.stopping`: the delay the draining server asked for before reconnecting. */
  private reconnectAfterMs: number | null = null;
  /** Set by `auth.expired`: the server ended the socket with its token; renew before reconnecting. */
  private tokenEnded = false;
  /** Set by `auth.ended`: the sign-in itself ended (signed out elsewhere, ended from the list, account deleted). */
  private signInEnded = false;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  private closed = false;

  constructor(session: SessionView) {
    this.state = initialState(session);
    const remembered = readLastRooms(session.id);
    if (remembered) this.state = reduce(this.state, { type: 'lastRooms', lastRooms: remembered });
    this.socket = connectRealtime();
    this.wire();
  }

  get sessionId(): string {
    return this.state.session.id;
  }

  get isMediator(): boolean {
    return isMediator(this.state.me);
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): SessionState => this.state;

  /** Resolves once the socket has joined the session (at most `boundMs` later, else rejects NETWORK). */
  whenJoined(boundMs?: number): Promise<void> {
    return this.gate.wait(boundMs);
  }

  /**
   * "Use here": this page takes the session back from the other device (which is told in turn).
   * A fresh connection and join; media follows the join.
   */
  useHere(): void {
    if (this.closed || this.state.device !== 'elsewhere') return;
    this.dispatch({ type: 'device', device: 'here' });
    this.socket.connect();
  }

  /** Called after every successful (re)join: what must resync with the server hooks here. */
  onJoined(l: () => void): () => void {
    this.joinedListeners.add(l);
    return () => this.joinedListeners.delete(l);
  }

  close(): void {
    this.closed = true;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.gate.abort(new ApiFailure(0, 'NETWORK', 'The page left the session.'));
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.listeners.clear();
    this.joinedListeners.clear();
  }

  dispatch(a: SessionAction): void {
    const next = reduce(this.state, a);
    if (next === this.state) return;
    const before = this.state;
    this.state = next;
    if (next.lastRooms !== before.lastRooms) writeLastRooms(this.sessionId, next.lastRooms);
    for (const roomId of next.gaps) if (!before.gaps.includes(roomId)) void this.catchUp(roomId);
    this.emit();
  }

  /**
   * A socket request on behalf of this session, sent once the socket has joined (it waits, bounded,
   * while the socket connects or rejoins). The socket's token is checked on every request; one
   * that expired (a laptop asleep past the renewal) is renewed on the connection, then the request
   * is sent once more. A server that lost this socket's join (it restarted in between) is joined
   * again, then the request is sent once more.
   */
  async ask<E extends ClientEvent>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AnswerOf<E>> {
    if (this.state.device === 'elsewhere') throw new ApiFailure(0, 'NETWORK', 'This session is open on another device.');
    await this.gate.wait();
    try {
      return await ask(this.socket, event, payload);
    } catch (e) {
      if (!(e instanceof ApiFailure) || event === 'auth.renew') throw e;
      if (e.code === 'TOKEN_EXPIRED') {
        await this.renewToken();
        return ask(this.socket, event, payload);
      }
      if (e.code === 'SOCKET_NOT_JOINED' && this.socket.connected) {
        this.gate.close();
        void this.join();
        await this.gate.wait();
        return ask(this.socket, event, payload);
      }
      throw e;
    }
  }

  /**
   * Reads a room and keeps it read (a mediator can follow a room they are not in): its latest
   * page the first time, and on a return whatever it gained meanwhile, from where this page's
   * copy has no hole. One reading per room at a time: a move and the chat that opens both ask.
   */
  loadRoom(roomId: string): Promise<void> {
    const running = this.reading.get(roomId);
    if (running) return running;
    const reading = (async () => {
      this.watched.add(roomId);
      // A room is read once the socket has joined (a component may ask before the handshake ends).
      await this.gate.wait();
      if (this.state.streams[roomId]) return this.catchUp(roomId, true);
      const h = await this.ask('room.history', { roomId, limit: 100 });
      this.dispatch({ type: 'history', h });
    })().finally(() => this.reading.delete(roomId));
    this.reading.set(roomId, reading);
    return reading;
  }

  /** Fills a room's stream from where it has no hole, page by page, up to the newest event. */
  async catchUp(roomId: string, rethrow = false): Promise<void> {
    try {
      for (let pages = 0; pages < 50; pages++) {
        const afterSeq = contiguousEnd(this.state.streams[roomId] ?? [], this.state.floors[roomId]);
        const h = await this.ask('room.history', { roomId, afterSeq, limit: 200 });
        this.dispatch({ type: 'history', h });
        if (!h.more) return;
      }
    } catch (e) {
      // In the background, a room closed to us meanwhile is no news: the next location event says where we are.
      if (rethrow) throw e;
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

  /** The consultation summaries tabled in the session (after a join, a resync: one may have been tabled meanwhile). */
  async refreshSummaries(): Promise<void> {
    const summaries = await consultationApi.summaries(this.sessionId);
    this.dispatch({ type: 'summaries', summaries });
  }

  /** Raises one's own hand in the room one is in (party members). */
  async raiseHand(): Promise<void> {
    this.floorAnswer(await this.ask('hand.raise', {}));
  }

  /** Lowers one's own hand, or — a mediator — someone else's. */
  async lowerHand(participantId?: string): Promise<void> {
    this.floorAnswer(await this.ask('hand.lower', participantId ? { participantId } : {}));
  }

  /** A mediator starts (or replaces) a room's clock. */
  async setTimer(roomId: string, seconds: number, purpose: TimerPurpose, label?: string): Promise<void> {
    this.floorAnswer(await this.ask('timer.set', { roomId, seconds, purpose, ...(label ? { label } : {}) }));
  }

  async clearTimer(roomId: string): Promise<void> {
    this.floorAnswer(await this.ask('timer.clear', { roomId }));
  }

  private floorAnswer(f: RoomFloor): void {
    this.dispatch({ type: 'floor', floors: [f], receivedAt: Date.now() });
  }

  /** Every floor this page may see, read again (after a join, a move, a resync). */
  async refreshFloors(): Promise<void> {
    const floors = await this.ask('floor.get', {});
    this.dispatch({ type: 'floors', floors, receivedAt: Date.now() });
  }

  /**
   * The session's status as the server just set it: its broadcast, or the answer to this page's own
   * change (which the broadcast may not beat). Any REST reading still on its way is older.
   */
  statusChanged(e: StatusChanged): void {
    this.statusEvents++;
    this.dispatch({ type: 'status', status: e.status, break: e.break });
  }

  /** The session as this participant may see it now (rooms and parties change with moves and roles). */
  async reloadSession(): Promise<void> {
    let session: SessionView;
    const statusSeen = this.statusEvents;
    try {
      session = await api.session(this.sessionId);
    } catch {
      return; // Kept as it was: the socket's events still say where we are.
    }
    // A status event that came while this reading was on its way is newer than the reading: the
    // mediator opened the session just after the join, the join's reading said "draft" and, landing
    // second, put the page back to Draft for good.
    if (this.statusEvents !== statusSeen) session = { ...session, status: this.state.status, break: this.state.break };
    const { role, partyId } = this.state.me;
    this.dispatch({ type: 'session', session });
    // A new role or delegation: what the page held was reset; read what this side may see.
    if (session.me.role !== role || session.me.partyId !== partyId) await this.loadAll(this.state.me.roomId);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Gives the connection a fresh access token (`auth.renew`): no reconnection, so no request in
   * flight is dropped and media and drafts carry on. Should the server refuse it, a reconnection
   * (whose handshake carries a fresh token) is the fallback.
   */
  private renewing: Promise<void> | null = null;
  private renewToken(): Promise<void> {
    this.renewing ??= (async () => {
      try {
        const token = await accessToken();
        if (!token) throw new ApiFailure(401, 'UNAUTHENTICATED', 'Signed out.');
        await ask(this.socket, 'auth.renew', { token });
        this.renewBeforeExpiry();
      } catch {
        this.gate.close();
        this.socket.disconnect().connect();
        // A refused join shows as the page's error; the request that waited gives up after 15 s.
        await this.gate.wait(15_000).catch(() => undefined);
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
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
      // The new room's floor (hands, clock): pushed only on its next change.
      if (mine && !this.isMediator && e.room) void this.refreshFloors().catch(() => undefined);
    });
    this.on('session.status', (e) => this.statusChanged(e));
    this.on('presence.overview', (e) => this.dispatch({ type: 'overview', e }));
    this.on('room.presence', (e) => this.dispatch({ type: 'room.presence', e }));
    this.on('room.event', (e) => this.dispatch({ type: 'room.event', e }));
    this.on('shuttle.queue', (m) => this.dispatch({ type: 'shuttle', messages: [m] }));
    this.on('shuttle.cooling', (m) => this.dispatch({ type: 'shuttle', messages: [m] }));
    this.on('agreement.text', (view) => this.dispatch({ type: 'agreement', view }));
    this.on('agreement.proposal', (p) => this.dispatch({ type: 'proposals', proposals: [p] }));
    this.on('room.floor', (f) => this.dispatch({ type: 'floor', floors: [f], receivedAt: Date.now() }));
    this.on('media.activity', (e) => this.dispatch({ type: 'activity', e }));
    this.on('consultation.summary', (summary) => this.dispatch({ type: 'summaries', summaries: [summary] }));

    this.on('session.resync', () => void this.resync());
    this.on('server.stopping', (e) => {
      this.reconnectAfterMs = Math.max(0, e.reconnectAfterMs);
    });
    this.on('session.replaced', (e) => this.replaced(e.here));
    this.on('auth.expired', () => {
      this.tokenEnded = true;
    });
    this.on('auth.ended', () => {
      this.signInEnded = true;
    });

    this.socket.on('connect', () => {
      this.dispatch({ type: 'connection', connection: 'joining' });
      void this.join();
    });
    this.socket.on('disconnect', (reason) => {
      this.gate.close();
      if (this.renewTimer) clearTimeout(this.renewTimer);
      this.dispatch({ type: 'connection', connection: 'offline' });
      if (this.closed || this.state.device === 'elsewhere') return;
      // A draining server asked for a delay: honour it whatever closed the socket. A server that
      // closed it without notice is reconnected too (Socket.IO itself only retries lost transports).
      const serverClosed = reason === 'io server disconnect';
      // No renewal can bring an ended sign-in back: the page signs out, and the sign-in page says so.
      if (this.signInEnded) return auth.clear(true);
      if (this.tokenEnded) {
        this.tokenEnded = false;
        void this.renewAndReconnect();
        return;
      }
      if (this.reconnectAfterMs === null && !serverClosed) return;
      if (!serverClosed) this.socket.disconnect(); // stops Socket.IO's own schedule: ours follows
      this.reconnectLater(this.reconnectAfterMs ?? 1000);
      this.reconnectAfterMs = null;
    });
    this.socket.on('connect_error', (e) => {
      console.warn(`Parley: connection refused or failed (${e.message}); retrying`);
      this.dispatch({ type: 'connection', connection: 'offline' });
      // The handshake found the token expired (this page's clock behind the server's): renew, retry.
      const code = (e as { data?: { code?: string } }).data?.code;
      if (code === 'TOKEN_EXPIRED') void this.renewAndReconnect();
      // The sign-in was ended, or the account deleted, while this page was away.
      if (code === 'SIGN_IN_REVOKED' || code === 'TOKEN_INVALID') auth.clear(true);
    });
  }

  /**
   * The server ended the socket at its token's expiry (a renewal missed: a page asleep, a clock
   * behind): a new token over HTTP, then a new connection, which rejoins. A refused refresh signs
   * the page out (the sign-in page says why); no answer is tried again, with backoff.
   */
  private async renewAndReconnect(attempt = 0): Promise<void> {
    try {
      if (!(await renewedAccessToken())) return;
    } catch (e) {
      const failure = ApiFailure.of(e);
      if (this.closed || !auth.get()) return; // signed out: the sign-in page says why
      if (!failure.retryable) return this.dispatch({ type: 'fatal', error: failure });
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.renewAndReconnect(attempt + 1), jittered(Math.min(8000, 500 * 2 ** attempt)));
      return;
    }
    if (!this.closed && this.state.device !== 'elsewhere' && !this.socket.connected) this.socket.connect();
  }

  private reconnectLater(delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed && this.state.device !== 'elsewhere' && !this.socket.connected) this.socket.connect();
    }, jittered(delayMs));
  }

  /** On every (re)connection: join (one at a time), then read what may have changed while away. */
  private join(): Promise<void> {
    this.joining ??= this.joinOnce().finally(() => {
      this.joining = null;
    });
    return this.joining;
  }

  private async joinOnce(): Promise<void> {
    let joined: AnswerOf<'session.join'>;
    try {
      joined = await ask(this.socket, 'session.join', { sessionId: this.sessionId });
    } catch (e) {
      const failure = ApiFailure.of(e);
      // An outage (the database away, the server stopping, no answer) is retried with backoff;
      // a refusal (removed from the session, signed out) is the page's error.
      if (failure.retryable && !this.closed && this.socket.connected) {
        const delay = Math.min(8000, 500 * 2 ** this.joinFailures++);
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (this.socket.connected) void this.join();
        }, jittered(delay));
        return;
      }
      this.dispatch({ type: 'fatal', error: failure });
      return;
    }
    this.joinFailures = 0;
    this.dispatch({ type: 'connection', connection: 'online' });
    this.dispatch({ type: 'status', status: joined.status, break: joined.break });
    this.dispatch({
      type: 'location',
      e: { sessionId: this.sessionId, participantId: joined.participant.id, room: joined.room, reason: 'moved' },
    });
    this.gate.open();
    this.renewBeforeExpiry();
    for (const l of this.joinedListeners) l();
    await this.reloadSession();
    await this.loadAll(joined.room?.id ?? null);
  }

  /**
   * The live fan-out between instances was interrupted: every followed room is read after the last
   * seq this page holds, and the state (presence, text, shuttle) once more. Several notices while
   * one resync runs make one more, not one each.
   */
  private resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true;
      return this.resyncing;
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        await this.gate.wait().catch(() => undefined);
        await this.loadAll(this.state.me.roomId);
      } while (this.resyncAgain && !this.closed);
    })().finally(() => {
      this.resyncing = null;
    });
    return this.resyncing;
  }

  /**
   * Another socket of this participant joined (`here: false`): the session is open on another
   * device and this page stops (its socket closes; media stops, see MediaEngine) until "Use here".
   * `here: true`: this page took it over from another device, which says so.
   */
  private replaced(here: boolean): void {
    if (here) {
      this.dispatch({ type: 'device', device: 'taken_over' });
      if (this.noticeTimer) clearTimeout(this.noticeTimer);
      this.noticeTimer = setTimeout(() => {
        if (this.state.device === 'taken_over') this.dispatch({ type: 'device', device: 'here' });
      }, 15_000);
      return;
    }
    this.dispatch({ type: 'device', device: 'elsewhere' });
    this.gate.abort(new ApiFailure(0, 'NETWORK', 'This session is open on another device.'));
    this.socket.disconnect();
  }

  private async loadAll(roomId: string | null): Promise<void> {
    const loads: Promise<unknown>[] = [this.refreshAgreement(), this.refreshFloors(), this.refreshSummaries()];
    if (roomId) loads.push(this.loadRoom(roomId));
    for (const watched of this.watched) if (watched !== roomId) loads.push(this.catchUp(watched));
    if (this.isMediator) loads.push(this.ask('presence.get', {}).then((e) => this.dispatch({ type: 'overview', e })));
    if (this.isMediator || this.state.me.role === 'party_member')
      loads.push(this.ask('shuttle.list', {}).then((messages) => this.dispatch({ type: 'shuttle', messages })));
    await Promise.allSettled(loads);
  }

  /** The connection's token is renewed (`auth.renew`) shortly before it expires. */
  private renewBeforeExpiry(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const due = auth.get()?.refreshAfter;
    if (!due || this.closed) return;
    this.renewTimer = setTimeout(() => void this.renewToken(), Math.max(1000, due - Date.now()));
  }
}

const lastRoomsKey = (sessionId: string) => `parley.lastRooms.${sessionId}`;

/** The Move lists' memory of where people were, kept per session across reloads (this browser only). */
function readLastRooms(sessionId: string): Record<string, string> | null {
  try {
    const raw = localStorage.getItem(lastRoomsKey(sessionId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return null;
  }
}

function writeLastRooms(sessionId: string, lastRooms: Record<string, string>): void {
  try {
    localStorage.setItem(lastRoomsKey(sessionId), JSON.stringify(lastRooms));
  } catch {
    // Storage full or refused: the memory lasts as long as the page.
  }
}

/** A delay with ±25 % jitter, so pages dropped together do not come back in step. */
export function jittered(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}

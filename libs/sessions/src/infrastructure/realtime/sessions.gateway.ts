import { BeforeApplicationShutdown, Logger, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import type { Ack, AuthEnded, AuthExpired } from '@parley/contracts';
import { AuthTokens, SignInEndings, SignIns, type SignInEnded } from '@parley/auth';
import { Clock, DomainError, toApiError, validateEmptyPayload, validatePayload } from '@parley/platform';
import { isMediator } from '../../domain';
import { ChangeStatusUseCase } from '../../application/change-status.use-case';
import { InvitationsUseCases } from '../../application/invitations.use-cases';
import { JoinSessionUseCase } from '../../application/join-session.use-case';
import { PlaceParticipantUseCase } from '../../application/place-participant.use-case';
import { RoomNotifier } from '../../application/room-notifier';
import { SessionQueries } from '../../application/session-queries';
import { ParticipantEntity } from '../persistence';
import { ChangeStatusDto, InviteDto, JoinSessionDto, PlacePayloadDto, RenewTokenDto, SendToLobbyDto } from '../http/sessions.dto';
import { answerOn } from './answer';
import { channels, isIdentityRoom, SocketIoChannel, type SocketData } from './socket-io.channel';
import { SocketRouter, type ParleySocket } from './socket-router';

/** What a socket is told when its sign-in ends, before it is closed. */
const endedNotice = (reason: SignInEnded['reason']): AuthEnded =>
  reason === 'ACCOUNT_DELETED'
    ? { code: 'SIGN_IN_REVOKED', reason: 'account_deleted', message: 'This account was deleted.' }
    : { code: 'SIGN_IN_REVOKED', reason: 'sign_in_ended', message: 'This sign-in was ended; sign in again.' };

/**
 * Ends one socket of this instance: it leaves every room first, so that nothing sent to a room from
 * this instant reaches it, then is told why and closed (the close flushes the notice first).
 */
function closeWithNotice(socket: ParleySocket, event: 'auth.expired' | 'auth.ended', notice: AuthExpired | AuthEnded): void {
  for (const r of [...socket.rooms]) if (r !== socket.id) void socket.leave(r);
  (socket as unknown as Socket).emit(event, notice);
  socket.disconnect(true);
}

/**
 * The Socket.IO entry point. The handshake carries the same access token as HTTP. Every inbound
 * event is validated and authorised by the same use cases as HTTP; the answer is always an
 * acknowledgement `{ ok, data | error }`. The server alone decides which rooms a socket is in.
 * A socket lives as long as its token: at the token's expiry (by the injected Clock), unless
 * `auth.renew` extended it, the socket leaves every room, is told `auth.expired` and is closed.
 * A socket also ends with its sign-in: each joins `user:<id>` and `family:<sign-in>` at the
 * handshake, and when Auth ends a sign-in (sign-out, ended from the list, account deleted) its
 * sockets on every instance leave every room, are told `auth.ended` and are closed.
 */
@WebSocketGateway() // CORS and the Origin check at the handshake: RealtimeAdapter (PUBLIC_URL, ALLOWED_ORIGINS)
export class SessionsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown, OnModuleInit {
  private readonly logger = new Logger('SessionsGateway');
  /** Once shutting down, disconnects are not presence changes: everyone is leaving. */
  private closing = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Each connected socket's end at its token's expiry: the cancel of its Clock wake-up. */
  private readonly leases = new Map<string, () => void>();

  constructor(
    private readonly tokens: AuthTokens,
    private readonly channel: SocketIoChannel,
    private readonly dataSource: DataSource,
    private readonly joinSession: JoinSessionUseCase,
    private readonly place: PlaceParticipantUseCase,
    private readonly changeStatus: ChangeStatusUseCase,
    private readonly invitations: InvitationsUseCases,
    private readonly queries: SessionQueries,
    private readonly notifier: RoomNotifier,
    private readonly router: SocketRouter,
    private readonly signIns: SignIns,
    private readonly endings: SignInEndings,
    private readonly clock: Clock,
  ) {}

  private server: Server | null = null;

  afterInit(server: Server): void {
    this.server = server;
    this.channel.attach(server);
    server.use((socket, next) => {
      const raw =
        (socket.handshake.auth as { token?: unknown } | undefined)?.token ??
        socket.handshake.headers.authorization?.replace(/^Bearer /, '');
      void (async () => {
        const { userId, expiresAt, familyId } = this.tokens.verifyAccess(raw);
        // A socket refused for its account's quota or flooding costs no database read.
        this.router.assertMayConnect(userId);
        // A token outlives its account and its sign-in by up to its lifetime: a deleted account or
        // an ended sign-in opens no socket. The database away is not a refusal (a refused handshake
        // is not retried by Socket.IO): the signed token lets the socket in, and its requests meet the outage.
        await this.signIns.assertLive({ userId, familyId });
        // Again once nothing is awaited any more: the count it reads is the one the socket joins.
        this.router.assertMayConnect(userId);
        (socket.data as SocketData) = { userId, tokenExpiresAt: expiresAt, ...(familyId ? { familyId } : {}) };
      })().then(
        () => next(),
        (e: unknown) => {
          const error = toApiError(e);
          next(Object.assign(new Error(error.message), { data: error }));
        },
      );
    });
  }

  handleConnection(socket: ParleySocket): void {
    this.router.attach(socket);
    void socket.join(this.identityRooms(socket.data));
    this.leaseUntilExpiry(socket);
    // A sign-in ended between the handshake's check and this join closed the sockets then in its
    // room, not this one: looked at again now that the socket is where an ending finds it.
    const { userId, familyId } = socket.data;
    void this.signIns.assertLive({ userId, familyId }).catch((e: unknown) => {
      if (!(e instanceof DomainError) || !socket.connected) return;
      closeWithNotice(socket, 'auth.ended', endedNotice(e.code === 'TOKEN_INVALID' ? 'ACCOUNT_DELETED' : 'SIGN_IN_REVOKED'));
    });
  }

  private identityRooms(data: SocketData): string[] {
    return data.familyId ? [channels.user(data.userId), channels.family(data.familyId)] : [channels.user(data.userId)];
  }

  /**
   * A sign-in ended (or the whole account): its sockets, on every instance (the adapter carries
   * fetchSockets and each remote operation), leave every room first — nothing sent to a room from
   * then on reaches them — then are told why and closed.
   */
  private async endSignIn(e: SignInEnded): Promise<void> {
    if (!this.server) return;
    const rooms = e.familyIds ? e.familyIds.map((f) => channels.family(f)) : [channels.user(e.userId)];
    const sockets = await this.server.in(rooms).fetchSockets();
    if (sockets.length === 0) return;
    for (const s of sockets) for (const r of [...s.rooms]) if (r !== s.id) s.leave(r);
    const ids = sockets.map((s) => s.id);
    this.server.to(ids).emit('auth.ended', endedNotice(e.reason));
    this.server.in(ids).disconnectSockets(true);
  }

  /** (Re)schedules the socket's end at its token's expiry. */
  private leaseUntilExpiry(socket: ParleySocket): void {
    this.leases.get(socket.id)?.();
    this.leases.set(
      socket.id,
      this.clock.wakeAt(socket.data.tokenExpiresAt, () => this.endLease(socket)),
    );
  }

  /** The token expired unrenewed: the socket is ended (closeWithNotice). */
  private endLease(socket: ParleySocket): void {
    this.leases.delete(socket.id);
    if (!socket.connected) return;
    if (this.clock.now() < socket.data.tokenExpiresAt) return this.leaseUntilExpiry(socket);
    const notice: AuthExpired = { code: 'TOKEN_EXPIRED', message: 'Your access token expired: renew it and reconnect.' };
    closeWithNotice(socket, 'auth.expired', notice);
  }

  /** Lets presence work already under way finish before the database and Redis close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
  }

  handleDisconnect(socket: ParleySocket): void {
    this.leases.get(socket.id)?.();
    this.leases.delete(socket.id);
    const { sessionId, participantId } = socket.data ?? {};
    if (!sessionId || !participantId || this.closing) return;
    const work = (async () => {
      const p = await this.dataSource.getRepository(ParticipantEntity).findOneBy({ id: participantId });
      await this.notifier.presenceChanged(sessionId, [p?.roomId ?? null]);
    })().catch((e: unknown) => this.logger.warn(`presence after disconnect failed: ${(e as Error).message}`));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  onModuleInit(): void {
    this.endings.listen((e) => this.endSignIn(e));
    this.router.on('auth.renew', (socket, body) => this.renew(socket, body), { acceptsExpiredToken: true });
    this.router.on('session.join', (socket, body) => this.answer(socket, false, () => this.join(socket, body)));
    this.router.on('participant.admit', (socket, body) => this.answer(socket, true, () => this.placeFrom(socket, 'admit', body)));
    this.router.on('participant.move', (socket, body) => this.answer(socket, true, () => this.placeFrom(socket, 'move', body)));
    this.router.on('participant.send-to-lobby', (socket, body) =>
      this.answer(socket, true, () => {
        const p = validatePayload(SendToLobbyDto, body);
        return this.place.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, kind: 'send_to_lobby', ...p });
      }),
    );
    this.router.on('session.change-status', (socket, body) =>
      this.answer(socket, true, () => {
        const dto = validatePayload(ChangeStatusDto, body);
        return this.changeStatus.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, ...dto });
      }),
    );
    this.router.on('invitation.create', (socket, body) =>
      this.answer(socket, true, () => {
        const dto = validatePayload(InviteDto, body);
        return this.invitations.invite({ userId: socket.data.userId, sessionId: socket.data.sessionId!, ...dto });
      }),
    );
    this.router.on('presence.get', (socket, body) =>
      this.answer(socket, true, () => {
        validateEmptyPayload(body);
        return this.queries.overview(socket.data.userId, socket.data.sessionId!);
      }),
    );
  }

  private async join(socket: ParleySocket, body: unknown) {
    const { sessionId } = validatePayload(JoinSessionDto, body);
    const joined = await this.joinSession.execute({ userId: socket.data.userId, sessionId });
    if (socket.data.sessionId && socket.data.sessionId !== sessionId) {
      for (const r of [...socket.rooms]) if (r !== socket.id && !isIdentityRoom(r)) await socket.leave(r);
    }
    socket.data.sessionId = sessionId;
    socket.data.participantId = joined.participant.id;
    // One live page per participant (the media seat is theirs, not their socket's): the newest join
    // takes the session over, and both pages are told (see SessionReplaced).
    const others = (await this.channel.socketsOf(joined.participant.id)).filter((id) => id !== socket.id);
    if (others.length) {
      this.channel.toSockets(others, 'session.replaced', { sessionId, here: false });
      this.channel.toSockets([socket.id], 'session.replaced', { sessionId, here: true });
    }
    await socket.join([channels.session(sessionId), channels.participant(joined.participant.id)]);
    await this.notifier.syncJoined(sessionId, {
      id: joined.participant.id,
      roomId: joined.room?.id ?? null,
      isMediator: isMediator(joined.participant),
      // The view's partyId is also an interpreter's party (the one that brought them): only a
      // delegation member joins a party's channel.
      partyId: joined.participant.role === 'party_member' ? joined.participant.partyId : null,
      isInterpreter: joined.participant.role === 'interpreter',
    });
    await this.notifier.presenceChanged(sessionId, [joined.room?.id ?? null]);
    return joined;
  }

  /**
   * A fresh access token for a connected socket — also one whose token has just expired, which is
   * why this answer skips the expiry check. Only the same account's token renews it, so a
   * socket never changes hands; the socket keeps its rooms, its media and its drafts, and its end
   * moves to the new token's expiry.
   */
  private async renew(socket: ParleySocket, body: unknown): Promise<Ack<{ expiresAt: string }>> {
    try {
      const { token } = validatePayload(RenewTokenDto, body);
      const { userId, expiresAt, familyId } = this.tokens.verifyAccess(token);
      if (userId !== socket.data.userId)
        throw new DomainError('TOKEN_INVALID', 'This token belongs to another account: sign in again.', 'token');
      await this.signIns.assertLive({ userId, familyId });
      socket.data.tokenExpiresAt = expiresAt;
      // A token of another sign-in of the same account (signed in again): the socket follows it.
      if (familyId !== socket.data.familyId) {
        if (socket.data.familyId) await socket.leave(channels.family(socket.data.familyId));
        socket.data.familyId = familyId;
        if (familyId) await socket.join(channels.family(familyId));
      }
      if (socket.connected) this.leaseUntilExpiry(socket);
      return { ok: true, data: { expiresAt: new Date(expiresAt).toISOString() } };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  private placeFrom(socket: ParleySocket, kind: 'admit' | 'move', body: unknown) {
    const p = validatePayload(PlacePayloadDto, body);
    return this.place.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, kind, ...p });
  }

  private answer<T>(socket: ParleySocket, needsSession: boolean, work: () => Promise<T>): Promise<Ack<T>> {
    return answerOn(socket.data, needsSession, work);
  }
}

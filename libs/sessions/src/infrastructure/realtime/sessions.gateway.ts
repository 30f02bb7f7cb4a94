import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import {
  ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { CLIENT_EVENTS, type Ack } from '@parley/contracts';
import { AuthTokens } from '@parley/auth';
import { toApiError, validateEmptyPayload, validatePayload } from '@parley/platform';
import { isMediator } from '../../domain';
import { ChangeStatusUseCase } from '../../application/change-status.use-case';
import { InvitationsUseCases } from '../../application/invitations.use-cases';
import { JoinSessionUseCase } from '../../application/join-session.use-case';
import { PlaceParticipantUseCase } from '../../application/place-participant.use-case';
import { RoomNotifier } from '../../application/room-notifier';
import { SessionQueries } from '../../application/session-queries';
import { ParticipantEntity } from '../persistence';
import { ChangeStatusDto, InviteDto, JoinSessionDto, PlacePayloadDto, SendToLobbyDto } from '../http/sessions.dto';
import { answerOn } from './answer';
import { channels, SocketIoChannel, type SocketData } from './socket-io.channel';

type ParleySocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

const KNOWN_EVENTS = new Set<string>(CLIENT_EVENTS);

/**
 * The Socket.IO entry point. The handshake carries the same access token as HTTP. Every inbound
 * event is validated and authorised by the same use cases as HTTP; the answer is always an
 * acknowledgement `{ ok, data | error }`. The server alone decides which rooms a socket is in.
 */
@WebSocketGateway({ cors: { origin: true, credentials: true } })
export class SessionsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown {
  private readonly logger = new Logger('SessionsGateway');
  /** Once shutting down, disconnects are not presence changes: everyone is leaving. */
  private closing = false;
  private readonly inFlight = new Set<Promise<unknown>>();

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
  ) {}

  afterInit(server: Server): void {
    this.channel.attach(server);
    server.use((socket, next) => {
      const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token
        ?? socket.handshake.headers.authorization?.replace(/^Bearer /, '');
      try {
        const { userId, expiresAt } = this.tokens.verifyAccess(raw);
        (socket.data as SocketData) = { userId, tokenExpiresAt: expiresAt };
        next();
      } catch (e) {
        const error = toApiError(e);
        next(Object.assign(new Error(error.message), { data: error }));
      }
    });
  }

  handleConnection(socket: ParleySocket): void {
    // Unknown events still get an answer, so a client bug is visible rather than silent.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (!KNOWN_EVENTS.has(event) && typeof ack === 'function') {
        (ack as (r: Ack<never>) => void)({ ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event.' } });
      }
    });
  }

  /** Lets presence work already under way finish before the database and Redis close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
  }

  handleDisconnect(socket: ParleySocket): void {
    const { sessionId, participantId } = socket.data ?? {};
    if (!sessionId || !participantId || this.closing) return;
    const work = (async () => {
      const p = await this.dataSource.getRepository(ParticipantEntity).findOneBy({ id: participantId });
      await this.notifier.presenceChanged(sessionId, [p?.roomId ?? null]);
    })().catch((e: unknown) => this.logger.warn(`presence after disconnect failed: ${(e as Error).message}`));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  @SubscribeMessage('session.join')
  join(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.answer(socket, false, async () => {
      const { sessionId } = validatePayload(JoinSessionDto, body);
      const joined = await this.joinSession.execute({ userId: socket.data.userId, sessionId });
      if (socket.data.sessionId && socket.data.sessionId !== sessionId) {
        for (const r of [...socket.rooms]) if (r !== socket.id) await socket.leave(r);
      }
      socket.data.sessionId = sessionId;
      socket.data.participantId = joined.participant.id;
      await socket.join([channels.session(sessionId), channels.participant(joined.participant.id)]);
      await this.channel.syncParticipant(sessionId, {
        id: joined.participant.id, roomId: joined.room?.id ?? null, isMediator: isMediator(joined.participant), partyId: joined.participant.partyId,
      });
      await this.notifier.presenceChanged(sessionId, [joined.room?.id ?? null]);
      return joined;
    });
  }

  @SubscribeMessage('participant.admit')
  admit(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.placeFrom(socket, 'admit', body);
  }

  @SubscribeMessage('participant.move')
  move(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.placeFrom(socket, 'move', body);
  }

  private placeFrom(socket: ParleySocket, kind: 'admit' | 'move', body: unknown) {
    return this.answer(socket, true, () => {
      const p = validatePayload(PlacePayloadDto, body);
      return this.place.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, kind, ...p });
    });
  }

  @SubscribeMessage('participant.sendToLobby')
  sendToLobby(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.answer(socket, true, () => {
      const p = validatePayload(SendToLobbyDto, body);
      return this.place.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, kind: 'send_to_lobby', ...p });
    });
  }

  @SubscribeMessage('session.changeStatus')
  status(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.answer(socket, true, () => {
      const { status } = validatePayload(ChangeStatusDto, body);
      return this.changeStatus.execute({ userId: socket.data.userId, sessionId: socket.data.sessionId!, status });
    });
  }

  @SubscribeMessage('invitation.create')
  invite(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.answer(socket, true, () => {
      const dto = validatePayload(InviteDto, body);
      return this.invitations.invite({ userId: socket.data.userId, sessionId: socket.data.sessionId!, ...dto });
    });
  }

  @SubscribeMessage('presence.get')
  presence(@ConnectedSocket() socket: ParleySocket, @MessageBody() body: unknown) {
    return this.answer(socket, true, () => {
      validateEmptyPayload(body);
      return this.queries.overview(socket.data.userId, socket.data.sessionId!);
    });
  }

  private answer<T>(socket: ParleySocket, needsSession: boolean, work: () => Promise<T>): Promise<Ack<T>> {
    return answerOn(socket.data, needsSession, work);
  }
}

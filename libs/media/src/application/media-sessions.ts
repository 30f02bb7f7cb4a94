import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FeedView, MediaCut, MediaJoinView, MediaKind, MediaStatusView, MediaSubscriptionOffer } from '@parley/contracts';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { APP_CONFIG, DomainError, type AppConfig } from '@parley/platform';
import {
  MediationSessionEntity,
  PlacementListeners,
  REALTIME_CHANNEL,
  loadActor,
  loadParticipant,
  loadRoom,
  loadRooms,
  toLocated,
  type PlacementListener,
  type RealtimeChannel,
  type SocketPlacement,
} from '@parley/sessions';
import { assertMayHaveMedia, effectiveKinds, mayPublish, mediaDenial, mediaToTearDown, type MediaRightsNow } from '../domain';
import { MediaRoomSettingsEntity } from '../infrastructure/persistence/media-room-settings.entity';
import { MEDIA_ROOM_IDLE_MS } from './media-room-idle';
import { MEDIA_PORT, type MediaPort, type SfuEngine, type SfuReset } from './media.port';

/** A participant's media seat: the room it is in, and what it may do there. */
interface Seat {
  sessionId: string;
  roomId: string;
  mayPublish: boolean;
  audioOnly: boolean;
}

interface Caller {
  userId: string;
  sessionId: string;
}

/**
 * Media in every room, by membership. Every request is decided on the stored location and role
 * (never on what the client says), and every change of placement or role tears the old room's
 * media down server-side before the participant's sockets move on. Seats live in this instance:
 * the SFU handles they stand for are held by this instance's connection to the SFU.
 */
@Injectable()
export class MediaSessions implements PlacementListener, OnModuleInit, OnModuleDestroy {
  private readonly seats = new Map<string, Seat>();
  /**
   * The media rooms this instance opened, and their session: released in the SFU when the session
   * or the room closes, or once they have had no seat for `idleMs`.
   */
  private readonly rooms = new Map<string, string>();
  /** The rooms without any seat, and the timer that releases each. */
  private readonly idle = new Map<string, NodeJS.Timeout>();
  /** Joins under way per room: a room being joined is never idle. */
  private readonly joining = new Map<string, number>();
  private readonly logger = new Logger('Media');

  constructor(
    @Inject(MEDIA_PORT) private readonly port: MediaPort,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly listeners: PlacementListeners,
    @Inject(MEDIA_ROOM_IDLE_MS) private readonly idleMs: number,
  ) {}

  onModuleDestroy(): void {
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
  }

  onModuleInit(): void {
    this.listeners.register(this);
    this.port.onReset((reset) => {
      this.reset(reset).catch((e: Error) => this.logger.warn(`after the SFU came back: ${e.message}`));
    });
    // Who speaks reaches the room whose media it is (and only that room's sockets).
    this.port.onActivity((a) => {
      const sessionId = this.rooms.get(a.roomId);
      if (sessionId)
        this.channel.toRoom(a.roomId, 'media.activity', { sessionId, roomId: a.roomId, speaking: a.speaking, levels: a.levels });
    });
  }

  /**
   * The SFU came back without any of its rooms (it restarted, or Parley reconnected to it): every
   * media seat of those sessions is forgotten — the streams died with the old SFU — and each of
   * their participants is told to join their media again. Rooms are made again on that join.
   */
  private async reset(reset: SfuReset): Promise<void> {
    const affected = new Set(reset.sessionIds);
    const dropped = new Map<string, string[]>();
    for (const [participantId, seat] of this.seats) {
      if (!affected.has(seat.sessionId)) continue;
      this.seats.delete(participantId);
      dropped.set(seat.sessionId, [...(dropped.get(seat.sessionId) ?? []), participantId]);
    }
    for (const [roomId, sessionId] of this.rooms) if (affected.has(sessionId)) this.forgetRoom(roomId);
    for (const sessionId of affected) this.channel.toSession(sessionId, 'media.reset', { sessionId, reason: reset.reason });
    for (const sessionId of affected) {
      const fact: AuditFact = {
        type: 'media.reset',
        actorUserId: null,
        actorParticipantId: null,
        payload: { reason: reset.reason, participantIds: (dropped.get(sessionId) ?? []).sort() },
      };
      await this.audit
        .append(this.dataSource.manager, sessionId, [fact])
        .catch((e: Error) => this.logger.warn(`media.reset of session ${sessionId} not audited: ${e.message}`));
    }
  }

  status(): MediaStatusView {
    return this.port.availability();
  }

  private assertAvailable(): SfuEngine {
    const a = this.port.availability();
    if (!a.available) throw new DomainError('MEDIA_UNAVAILABLE', `Media is unavailable on this platform: ${a.reason}`);
    return a.engine;
  }

  /** The caller, where they are now, and what the rules allow them there. */
  private async where(cmd: Caller) {
    const m = this.dataSource.manager;
    const { session, actor } = await loadActor(m, cmd.sessionId, cmd.userId);
    const located = toLocated(actor);
    if (!located.roomId) throw new DomainError('NOT_IN_ROOM', 'You are in the lobby: media starts once you are in a room.', 'roomId');
    const room = await loadRoom(m, session.id, located.roomId);
    if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
    assertMayHaveMedia(located, room, session.status, 'receive');
    return { session, actor: located, room, mayPublish: mayPublish(located, room, session.status) };
  }

  /** The mediators' settings of a room (audio only, bitrate cap), read when they apply: join and publish. */
  private roomSettings(roomId: string) {
    return this.dataSource.getRepository(MediaRoomSettingsEntity).findOne({ where: { roomId } });
  }

  private seatOf(participantId: string, roomId: string): Seat {
    const seat = this.seats.get(participantId);
    if (!seat || seat.roomId !== roomId)
      throw new DomainError('MEDIA_NOT_JOINED', 'Join the media of the room you are in first (media.join).');
    return seat;
  }

  /** A media seat in the room the caller is in; receive-only for observers. */
  async join(cmd: Caller & { audioOnly?: boolean }): Promise<MediaJoinView> {
    const sfu = this.assertAvailable();
    const { actor, room, mayPublish: publisher } = await this.where(cmd);
    const settings = await this.roomSettings(room.id);
    const previous = this.seats.get(actor.id);
    if (previous && previous.roomId !== room.id) await this.tearDown(actor.id, previous, 'moved');
    const bitrateKbps = settings?.bitrateKbps ?? this.config.mediaBitrateKbps;
    const audioOnly = Boolean(settings?.audioOnly || cmd.audioOnly);
    // A room being joined is not idle: its countdown stops, and cannot start again, until the seat is made.
    this.stopIdle(room.id);
    this.joining.set(room.id, (this.joining.get(room.id) ?? 0) + 1);
    try {
      await this.port.openRoom({ sessionId: cmd.sessionId, roomId: room.id, bitrateCapKbps: bitrateKbps });
      this.rooms.set(room.id, cmd.sessionId);
      await this.port.admit(room.id, actor.id, publisher);
      this.seats.set(actor.id, { sessionId: cmd.sessionId, roomId: room.id, mayPublish: publisher, audioOnly });
    } finally {
      const left = (this.joining.get(room.id) ?? 1) - 1;
      if (left > 0) this.joining.set(room.id, left);
      else this.joining.delete(room.id);
      // A join that failed leaves the room as empty as it found it.
      this.watchIdle(room.id);
    }
    await this.record(cmd, actor.id, 'media.joined', { roomId: room.id, mayPublish: publisher, audioOnly });
    return {
      sessionId: cmd.sessionId,
      roomId: room.id,
      mayPublish: publisher,
      audioOnly,
      bitrateKbps,
      feeds: await this.feedsFor(room.id, actor.id),
      sfu,
    };
  }

  async publish(cmd: Caller & { offerSdp: string; kinds: MediaKind[] }): Promise<{ answerSdp: string; feedId: string }> {
    this.assertAvailable();
    const { session, actor, room } = await this.where(cmd);
    const settings = await this.roomSettings(room.id);
    assertMayHaveMedia(actor, room, session.status, 'publish');
    const seat = this.seatOf(actor.id, room.id);
    const kinds = effectiveKinds(cmd.kinds, { participant: seat.audioOnly, room: Boolean(settings?.audioOnly) });
    if (!kinds.length)
      throw new DomainError('VALIDATION_FAILED', 'Nothing to publish: this room or your connection is audio only.', 'kinds');
    const answer = await this.port.publish({ roomId: room.id, participantId: actor.id, offerSdp: cmd.offerSdp, kinds });
    await this.record(cmd, actor.id, 'media.published', { roomId: room.id, kinds });
    await this.announceFeeds(cmd.sessionId, room.id);
    return answer;
  }

  /**
   * What the caller receives is decided here, once, for every SFU: never their own feed (it is not
   * among the feeds offered), and audio only when their seat or the room (as set now) says so.
   */
  async subscribe(cmd: Caller & { feedIds?: string[] }): Promise<MediaSubscriptionOffer> {
    this.assertAvailable();
    const { actor, room } = await this.where(cmd);
    const seat = this.seatOf(actor.id, room.id);
    const settings = await this.roomSettings(room.id);
    const available = await this.feedsFor(room.id, actor.id);
    const wanted = cmd.feedIds ? available.filter((f) => cmd.feedIds!.includes(f.feedId)) : available;
    if (cmd.feedIds && wanted.length !== cmd.feedIds.length)
      throw new DomainError('FEED_NOT_FOUND', 'No such feed in this room.', 'feedIds');
    if (!wanted.length) throw new DomainError('FEED_NOT_FOUND', 'Nobody publishes in this room yet.', 'feedIds');
    const offer = await this.port.subscribe({
      roomId: room.id,
      participantId: actor.id,
      feedIds: wanted.map((f) => f.feedId),
      audioOnly: seat.audioOnly || Boolean(settings?.audioOnly),
    });
    return { offerSdp: offer.offerSdp, feeds: wanted.filter((f) => offer.feedIds.includes(f.feedId)), streams: offer.streams };
  }

  async answer(cmd: Caller & { answerSdp: string }): Promise<{ subscribed: true }> {
    this.assertAvailable();
    const { actor, room } = await this.where(cmd);
    this.seatOf(actor.id, room.id);
    await this.port.answer(room.id, actor.id, cmd.answerSdp);
    return { subscribed: true };
  }

  async leave(cmd: Caller): Promise<{ left: true }> {
    const { actor } = await loadActor(this.dataSource.manager, cmd.sessionId, cmd.userId);
    const seat = this.seats.get(actor.id);
    if (seat) await this.tearDown(actor.id, seat, 'left', cmd.userId);
    return { left: true };
  }

  /**
   * After a move, a return to the lobby, a role change or a suspension (called once the change is
   * committed): the domain's one teardown rule (mediaToTearDown) says what goes — everything on a
   * move, what they may no longer have on a change in place — before their sockets are moved on.
   */
  async placementChanged(sessionId: string, p: SocketPlacement): Promise<void> {
    const seat = this.seats.get(p.id);
    if (seat && seat.sessionId === sessionId) {
      // A move needs no reading: the stored state is only asked when they stay in the seat's room.
      const now: MediaRightsNow =
        seat.roomId === p.roomId
          ? await this.rightsNow(sessionId, p.id, seat.roomId)
          : { roomId: p.roomId, mayReceive: false, mayPublish: false };
      const cut = mediaToTearDown(seat, now);
      if (cut) await this.tearDown(p.id, seat, cut.reason);
    }
    // Closing the session, or a joint room, sends people to the lobby: their media rooms go too.
    if (p.roomId === null) await this.closeFinishedRooms(sessionId);
  }

  /** What the stored participant, room and session allow in `roomId` now. */
  private async rightsNow(sessionId: string, participantId: string, roomId: string): Promise<MediaRightsNow> {
    const m = this.dataSource.manager;
    const [session, participant, room] = await Promise.all([
      m.getRepository(MediationSessionEntity).findOne({ where: { id: sessionId } }),
      loadParticipant(m, sessionId, participantId).catch(() => null),
      loadRoom(m, sessionId, roomId),
    ]);
    if (!session || !participant || !room) return { roomId, mayReceive: false, mayPublish: false };
    const located = toLocated(participant);
    return {
      roomId,
      mayReceive: mediaDenial(located, room, session.status, 'receive') === null,
      mayPublish: mayPublish(located, room, session.status),
    };
  }

  /** The media rooms of a closed session, or of a closed room, are destroyed in the SFU. */
  private async closeFinishedRooms(sessionId: string): Promise<void> {
    const ours = [...this.rooms].filter(([, s]) => s === sessionId).map(([roomId]) => roomId);
    if (!ours.length) return;
    const m = this.dataSource.manager;
    const session = await m.getRepository(MediationSessionEntity).findOne({ where: { id: sessionId } });
    const closedRooms = new Set((await loadRooms(m, sessionId)).filter((r) => r.closed).map((r) => r.id));
    for (const roomId of ours) {
      if (session && session.status !== 'closed' && !closedRooms.has(roomId)) continue;
      // Whoever still holds a seat there is cut first (audited, told), then the room goes.
      for (const [participantId, seat] of this.seats) if (seat.roomId === roomId) await this.tearDown(participantId, seat, 'moved');
      await this.port.closeRoom(roomId);
      this.forgetRoom(roomId);
    }
  }

  /** A room that has no seat left starts its countdown: released in the SFU after `idleMs` unless someone joins. */
  private watchIdle(roomId: string): void {
    if (!this.rooms.has(roomId) || this.idle.has(roomId) || this.joining.has(roomId)) return;
    for (const seat of this.seats.values()) if (seat.roomId === roomId) return;
    const timer = setTimeout(() => {
      this.idle.delete(roomId);
      this.releaseIdle(roomId).catch((e: Error) => this.logger.warn(`releasing idle media room ${roomId}: ${e.message}`));
    }, this.idleMs);
    timer.unref();
    this.idle.set(roomId, timer);
  }

  private stopIdle(roomId: string): void {
    clearTimeout(this.idle.get(roomId));
    this.idle.delete(roomId);
  }

  private async releaseIdle(roomId: string): Promise<void> {
    const sessionId = this.rooms.get(roomId);
    if (!sessionId || this.joining.has(roomId)) return;
    for (const seat of this.seats.values()) if (seat.roomId === roomId) return;
    // Forgotten before the SFU is asked: a join meanwhile opens the room again (the adapter
    // serialises its open after this close) and records it anew.
    this.forgetRoom(roomId);
    try {
      await this.port.closeRoom(roomId);
    } catch (e) {
      // Not released: known again, and tried again after another idle period, unless joined meanwhile.
      if (!this.rooms.has(roomId)) {
        this.rooms.set(roomId, sessionId);
        this.watchIdle(roomId);
      }
      throw e;
    }
    this.logger.log(`media room ${roomId} released after ${Math.round(this.idleMs / 1000)} s without anyone`);
  }

  private forgetRoom(roomId: string): void {
    this.rooms.delete(roomId);
    this.stopIdle(roomId);
  }

  /**
   * The seat is forgotten only once the SFU has cut it: should the SFU fail, the seat stays known
   * and the next placement change or join tries again (no stream is left alive unnoticed).
   */
  private async tearDown(participantId: string, seat: Seat, reason: MediaCut['reason'], userId: string | null = null): Promise<void> {
    await this.port.evict(seat.roomId, participantId);
    if (this.seats.get(participantId) === seat) this.seats.delete(participantId);
    this.watchIdle(seat.roomId);
    await this.record({ userId, sessionId: seat.sessionId }, participantId, reason === 'left' ? 'media.left' : 'media.torn_down', {
      roomId: seat.roomId,
      reason,
    });
    this.channel.toParticipant(participantId, 'media.cut', { sessionId: seat.sessionId, roomId: seat.roomId, reason });
    await this.announceFeeds(seat.sessionId, seat.roomId);
  }

  private async feedsFor(roomId: string, exceptParticipantId: string): Promise<FeedView[]> {
    return (await this.port.feeds(roomId)).filter((f) => f.participantId !== exceptParticipantId);
  }

  private async announceFeeds(sessionId: string, roomId: string): Promise<void> {
    this.channel.toRoom(roomId, 'media.feeds', { sessionId, roomId, feeds: await this.port.feeds(roomId) });
  }

  private async record(
    by: { userId: string | null; sessionId: string },
    participantId: string,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const fact: AuditFact = { type, actorUserId: by.userId, actorParticipantId: participantId, payload: { participantId, ...payload } };
    await this.audit.append(this.dataSource.manager, by.sessionId, [fact]);
  }
}

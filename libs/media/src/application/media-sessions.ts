import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { FeedView, MediaCut, MediaJoinView, MediaStatusView, MediaSubscriptionOffer, VideoLayer } from '@parley/contracts';
import { AuditTrail, type AuditFact } from '@parley/audit';
import { APP_CONFIG, DomainError, UnitOfWork, type AppConfig } from '@parley/platform';
import {
  PlacementListeners,
  REALTIME_CHANNEL,
  SessionDirectory,
  type PlacementListener,
  type RealtimeChannel,
  type SocketPlacement,
} from '@parley/sessions';
import {
  assertChannelAllowed,
  assertMayHaveMedia,
  channelTurns,
  effectiveKinds,
  mayPublish,
  mediaDenial,
  mediaToTearDown,
  takeChannel,
  noReports,
  reportLink,
  type ChannelTurn,
  type LinkReports,
  type MediaRightsNow,
} from '../domain';
import { MEDIA_CLUSTER, type ClusterMessage, type ClusterReply, type MediaCluster } from './media-cluster';
import { MEDIA_ROOM_IDLE_MS } from './media-room-idle';
import { MediaStore } from './media-store';
import { NotOwner, replyOf, resultOf, routeTo, type Caller, type MediaCommands, type MediaOp } from './media-routing';
import { MEDIA_PORT, type MediaPort, type SfuEngine, type SfuReset } from './media.port';

/**
 * How long a request forwarded to the owner of a room may wait for its answer (then
 * MEDIA_UNAVAILABLE, retryable): above Janus' own slowest answers, below the page's 8 s.
 */
export const FORWARDED_REQUEST_MS = 5_000;
/**
 * How long a placement change waits for the instance holding the seat to cut it: the move goes
 * on after that (logged), so a dead or stuck instance cannot hold a move. Its seats are then
 * reset with the rooms of that instance (see MediaCluster.onOrphaned).
 */
export const FORWARDED_CUT_MS = 1_500;
/** How often an instance checks that Redis still names it the owner of each room it holds. */
export const OWNERSHIP_CHECK_MS = 2_000;

/** A participant's media seat: the room it is in, and what it may do there. */
interface Seat {
  sessionId: string;
  roomId: string;
  mayPublish: boolean;
  audioOnly: boolean;
  /** The holder's microphone and camera as their page last said (media.state): the marks on their tile. */
  micOn: boolean;
  cameraOn: boolean;
  /**
   * The interpretation channel its holder publishes (an interpreter's language), null for the
   * floor. Kept with the seat, as the marks are, on the instance that owns the room: every request
   * about the room is decided there, so one instance alone knows who holds each channel's turn.
   */
  channel: string | null;
  /** When they started publishing on that channel (this instance's order): the earliest standby takes over. */
  channelSince: number;
  /** They hold the channel's active turn (the one listeners hear), as last settled (see channelTurns). */
  channelActive: boolean;
  /** The simulcast layer they receive of every camera (media.layer): kept for their later subscriptions. */
  layer: VideoLayer;
}

/**
 * Media in every room, by membership. Every request is decided on the stored location and role
 * (never on what the client says), and every change of placement or role tears the old room's
 * media down server-side before the participant's sockets move on.
 *
 * With several API instances, each media room has one owner (MediaCluster): the instance whose
 * SFU connection holds the room and every seat in it (`seats` and `rooms` here are this instance's
 * share). A request is executed by the owner of the room the participant is in — here, or
 * forwarded there and its answer relayed — and the owner decides it again from stored state,
 * trusting only the user and session ids the forwarding instance authenticated. A placement
 * change decided on any instance is sent to the instance holding the seat, and awaited (bounded)
 * before the sockets move on.
 */
@Injectable()
export class MediaSessions implements PlacementListener, OnModuleInit, OnModuleDestroy {
  private readonly seats = new Map<string, Seat>();
  /**
   * The media rooms this instance opened, and their session: released in the SFU when the session
   * or the room closes, or once they have had no seat for `idleMs`.
   */
  private readonly rooms = new Map<string, string>();
  /** The SFU's link reports per room and subscriber (`roomId/participantId`), the window's only. */
  private readonly linkReports = new Map<string, LinkReports>();
  /** The rooms without any seat, and the timer that releases each. */
  private readonly idle = new Map<string, NodeJS.Timeout>();
  /** Joins under way per room: a room being joined is never idle. */
  private readonly joining = new Map<string, number>();
  private readonly logger = new Logger('Media');
  /** The order in which publishers took up their channels (see Seat.channelSince). */
  private channelOrder = 0;
  /**
   * Who holds each channel's turn, per room (`linkKey(roomId, channel)`), as last settled: a change
   * nobody asked for (the holder left, was moved or stopped) is audited as the server's handover.
   * Only held channels are kept.
   */
  private readonly channelHolders = new Map<string, string>();
  private ownershipTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(MEDIA_PORT) private readonly port: MediaPort,
    @Inject(REALTIME_CHANNEL) private readonly channel: RealtimeChannel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionDirectory,
    private readonly store: MediaStore,
    private readonly audit: AuditTrail,
    private readonly listeners: PlacementListeners,
    @Inject(MEDIA_ROOM_IDLE_MS) private readonly idleMs: number,
    @Inject(MEDIA_CLUSTER) private readonly cluster: MediaCluster,
  ) {}

  onModuleDestroy(): void {
    if (this.ownershipTimer) clearInterval(this.ownershipTimer);
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
  }

  onModuleInit(): void {
    this.listeners.register(this);
    this.cluster.serve((m) => this.served(m));
    if (this.cluster.shared) {
      let checking = false;
      this.ownershipTimer = setInterval(() => {
        if (checking) return;
        checking = true;
        this.checkOwnership()
          .catch((e: Error) => this.logger.warn(`media room ownership not checked: ${e.message}`))
          .finally(() => (checking = false));
      }, OWNERSHIP_CHECK_MS);
      this.ownershipTimer.unref();
    }
    // An owner died holding a room: its streams died with its SFU connection (or will, with its
    // SFU); everyone in that room joins again (the rest of the session keeps its media), and the
    // first join makes the room on a live instance.
    this.cluster.onOrphaned((o) => {
      this.channel.toRoom(o.roomId, 'media.reset', { sessionId: o.sessionId, reason: 'sfu_restarted' });
      const fact: AuditFact = {
        type: 'media.reset',
        actorUserId: null,
        actorParticipantId: null,
        payload: { reason: 'instance_lost', roomId: o.roomId },
      };
      this.audit
        .append(this.uow.autocommit, o.sessionId, [fact])
        .catch((e: Error) => this.logger.warn(`media.reset of session ${o.sessionId} not audited: ${e.message}`));
    });
    this.port.onReset((reset) => {
      this.reset(reset).catch((e: Error) => this.logger.warn(`after the SFU came back: ${e.message}`));
    });
    // The SFU's side of a subscriber's link: its reports, made a poor link by the domain's rule, reach
    // that participant only (their page decides with its own readings; see MediaLink).
    this.port.onLinkReport((r) => {
      const sessionId = this.rooms.get(r.roomId);
      if (!sessionId) return;
      const key = linkKey(r.roomId, r.participantId);
      const { reports, tell } = reportLink(this.linkReports.get(key) ?? noReports(), Date.now(), r.lost);
      this.linkReports.set(key, reports);
      if (tell) {
        this.logger.log(
          `${r.participantId}'s link in room ${r.roomId} is poor as the SFU sees it (${tell.reports} reports, lost ${tell.lost ?? 'not counted'})`,
        );
        this.channel.toParticipant(r.participantId, 'media.link', { sessionId, roomId: r.roomId, quality: 'poor', ...tell });
      }
    });
    // Who speaks reaches the room whose media it is, and the session's mediators wherever they are
    // (their overview of the rooms): never anyone else. Pages keep only their own room's.
    this.port.onActivity((a) => {
      const sessionId = this.rooms.get(a.roomId);
      if (sessionId)
        this.channel.toRoomAndMediators(sessionId, a.roomId, 'media.activity', {
          sessionId,
          roomId: a.roomId,
          speaking: a.speaking,
          levels: a.levels,
        });
    });
  }

  /** A room's link reports and channel holders (their keys start with `linkKey(roomId, '')`). */
  private forgetRoomKeys(roomId: string): void {
    for (const map of [this.linkReports, this.channelHolders])
      for (const key of map.keys()) if (key.startsWith(linkKey(roomId, ''))) map.delete(key);
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
      this.cluster
        .seatFreed(participantId)
        .catch((e: Error) => this.logger.warn(`seat of ${participantId} not freed in Redis: ${e.message}`));
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
        .append(this.uow.autocommit, sessionId, [fact])
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
    const tx = this.uow.autocommit;
    const { session, actor } = await this.sessions.actor(tx, cmd.sessionId, cmd.userId);
    if (!actor.roomId) throw new DomainError('NOT_IN_ROOM', 'You are in the lobby: media starts once you are in a room.', 'roomId');
    const room = await this.sessions.room(tx, session.id, actor.roomId);
    if (!room) throw new DomainError('ROOM_NOT_FOUND', 'No such room.', 'roomId');
    assertMayHaveMedia(actor, room, session.status, 'receive');
    return { session, actor, room, mayPublish: mayPublish(actor, room, session.status) };
  }

  /** The mediators' settings of a room (audio only, bitrate cap), read when they apply: join and publish. */
  private roomSettings(roomId: string) {
    return this.store.roomSettings(this.uow.autocommit, roomId);
  }

  private seatOf(participantId: string, roomId: string): Seat {
    const seat = this.seats.get(participantId);
    if (!seat || seat.roomId !== roomId)
      throw new DomainError('MEDIA_NOT_JOINED', 'Join the media of the room you are in first (media.join).');
    return seat;
  }

  /** A media seat in the room the caller is in; receive-only for observers. */
  join(cmd: MediaCommands['join']): Promise<MediaJoinView> {
    return this.routed('join', cmd) as Promise<MediaJoinView>;
  }

  publish(cmd: MediaCommands['publish']): Promise<{ answerSdp: string; feedId: string }> {
    return this.routed('publish', cmd) as Promise<{ answerSdp: string; feedId: string }>;
  }

  subscribe(cmd: MediaCommands['subscribe']): Promise<MediaSubscriptionOffer> {
    return this.routed('subscribe', cmd) as Promise<MediaSubscriptionOffer>;
  }

  answer(cmd: MediaCommands['answer']): Promise<{ subscribed: true }> {
    return this.routed('answer', cmd) as Promise<{ subscribed: true }>;
  }

  leave(cmd: MediaCommands['leave']): Promise<{ left: true }> {
    return this.routed('leave', cmd) as Promise<{ left: true }>;
  }

  /**
   * The caller's microphone and camera are on or off (their page says so on each toggle and after
   * each publish): kept with their seat, on the instance holding it, and sent to the room in
   * media.feeds. Only a seat that may publish has any: an observer is refused (OBSERVER_READ_ONLY),
   * as for publishing, and a participant without a seat in their room too (MEDIA_NOT_JOINED).
   */
  state(cmd: MediaCommands['state']): Promise<{ micOn: boolean; cameraOn: boolean }> {
    return this.routed('state', cmd) as Promise<{ micOn: boolean; cameraOn: boolean }>;
  }

  /**
   * An interpreter takes the active turn on the channel they publish in their room (a handover):
   * the channel's previous holder becomes standby and the room gets media.feeds with both marks.
   * Both keep publishing, so listeners who receive both switch without a gap.
   */
  takeChannel(cmd: MediaCommands['take']): Promise<{ channel: string; feedId: string }> {
    return this.routed('take', cmd) as Promise<{ channel: string; feedId: string }>;
  }

  /**
   * The simulcast layer the caller receives of every camera in their room: the low one on a thin
   * link (their page decides, or they choose it), the full picture otherwise. Applied to their
   * subscription at once, without a new negotiation, and kept with their seat for the next ones. Any
   * seat has it, an observer's too (it only lessens what they receive); no seat: MEDIA_NOT_JOINED.
   */
  layer(cmd: MediaCommands['layer']): Promise<{ layer: VideoLayer }> {
    return this.routed('layer', cmd) as Promise<{ layer: VideoLayer }>;
  }

  /** Executes a request of this instance's own share (the owner's half of a forwarded one). */
  private here(op: MediaOp, cmd: MediaCommands[MediaOp]): Promise<unknown> {
    switch (op) {
      case 'join':
        return this.joinHere(cmd);
      case 'publish':
        return this.publishHere(cmd as MediaCommands['publish']);
      case 'subscribe':
        return this.subscribeHere(cmd);
      case 'answer':
        return this.answerHere(cmd as MediaCommands['answer']);
      case 'leave':
        return this.leaveHere(cmd);
      case 'state':
        return this.stateHere(cmd as MediaCommands['state']);
      case 'take':
        return this.takeHere(cmd as MediaCommands['take']);
      case 'layer':
        return this.layerHere(cmd as MediaCommands['layer']);
    }
  }

  /**
   * Sends a request where it is executed: the owner of the room the participant is in now (a
   * join claims a room nobody alive holds), or for a leave the instance holding their seat. The
   * stored location read here only chooses the instance; the owner reads it again and decides.
   * A room whose owner changed meanwhile answers NotOwner, and the request follows once.
   */
  private async routed(op: MediaOp, cmd: MediaCommands[MediaOp]): Promise<unknown> {
    if (!this.cluster.shared) return this.here(op, cmd);
    const { actor } = await this.sessions.actor(this.uow.autocommit, cmd.sessionId, cmd.userId);
    const roomId = actor.roomId;
    let owner: string | null;
    if (op === 'leave') owner = await this.shared(() => this.cluster.seatOwner(actor.id));
    else if (!roomId)
      owner = null; // refused here, as on one instance (NOT_IN_ROOM)
    else if (op === 'join') owner = await this.claimed(roomId, cmd.sessionId);
    else owner = await this.shared(() => this.cluster.ownerOf(roomId));
    if (op === 'join' && roomId) await this.cutElsewhere(cmd.sessionId, actor.id, roomId, owner);
    for (let attempt = 0; ; attempt++) {
      const route = routeTo(owner, this.cluster.self);
      if (route.here) return this.here(op, cmd);
      try {
        return resultOf(await this.cluster.call(route.to, { kind: 'call', op, cmd }, FORWARDED_REQUEST_MS));
      } catch (e) {
        if (!(e instanceof NotOwner) || attempt > 0) throw e;
        owner = e.owner;
      }
    }
  }

  /** Redis being away makes rooms held elsewhere unreachable: MEDIA_UNAVAILABLE, retryable. */
  private async shared<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      this.logger.warn(`media ownership not read: ${(e as Error).message}`);
      throw new DomainError('MEDIA_UNAVAILABLE', 'Media is unavailable for a moment (the servers cannot reach each other): try again.');
    }
  }

  /** The room's owner, claimed for this instance when nobody alive holds it. */
  private async claimed(roomId: string, sessionId: string): Promise<string> {
    const claim = await this.shared(() => this.cluster.claim(roomId, sessionId));
    if (claim.tookOverFrom) {
      // Taken from a dead owner before any sweep noticed: the room joins again, as after a sweep.
      this.logger.warn(`media room ${roomId} taken over from instance ${claim.tookOverFrom}, which is gone`);
      this.channel.toRoom(roomId, 'media.reset', { sessionId, reason: 'sfu_restarted' });
    }
    return claim.owner;
  }

  /**
   * A join into another room than the seat's (the cut at the move did not reach it): the seat's
   * instance cuts it first, bounded; a cut that fails is logged and the join goes on, as on one
   * instance where the previous seat is torn down by the join itself.
   */
  private async cutElsewhere(sessionId: string, participantId: string, roomIdNow: string, owner: string | null): Promise<void> {
    const holder = await this.cluster.seatOwner(participantId).catch(() => null);
    if (!holder || holder === this.cluster.self || holder === owner) return;
    await this.cutThere(holder, sessionId, participantId, roomIdNow);
  }

  /** What this instance answers to another: a forwarded request, a cut, a closed session. */
  private async served(m: ClusterMessage): Promise<ClusterReply> {
    try {
      switch (m.kind) {
        case 'call':
          return replyOf({ ok: true, data: await this.here(m.op, m.cmd) });
        case 'cut':
          return { ok: true, data: await this.cutHere(m.sessionId, m.participantId, m.roomIdNow, false) };
        case 'finished':
          await this.closeFinishedRooms(m.sessionId);
          return { ok: true, data: null };
      }
    } catch (error) {
      return replyOf({ ok: false, error });
    }
  }

  /**
   * A seat in the room the stored placement names. A placement change cuts the seat it finds; one
   * committed while this join made the seat (after `where` read the room, before the seat was known
   * here and in Redis) found none, and would have left a seat, and the join's answer of feeds, in a
   * room the participant had left. So once the seat is known, the placement is read again: a seat
   * it no longer allows is cut (audited, the participant told, as a move's cut), and the join is
   * decided again on what is stored now, once; a second change meanwhile answers MEDIA_UNAVAILABLE,
   * which the page retries. A change committed after that read finds the seat and cuts it itself.
   */
  private async joinHere(cmd: MediaCommands['join'], attempt = 0): Promise<MediaJoinView> {
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
    let seat: Seat;
    try {
      // The owner checks it still is (a room released meanwhile may have been claimed elsewhere).
      if (this.cluster.shared) {
        const owner = await this.claimed(room.id, cmd.sessionId);
        if (owner !== this.cluster.self) throw new NotOwner(owner);
      }
      await this.port.openRoom({ sessionId: cmd.sessionId, roomId: room.id, bitrateCapKbps: bitrateKbps });
      this.rooms.set(room.id, cmd.sessionId);
      await this.port.admit(room.id, actor.id, publisher);
      seat = {
        sessionId: cmd.sessionId,
        roomId: room.id,
        mayPublish: publisher,
        audioOnly,
        micOn: true,
        cameraOn: true,
        channel: null,
        channelSince: 0,
        channelActive: false,
        layer: 'high',
      };
      this.seats.set(actor.id, seat);
      // Where the seat is must be known to every instance, or a move decided elsewhere could not cut it.
      await this.cluster.seatTaken(actor.id).catch(async (e: Error) => {
        await this.tearDown(actor.id, seat, 'left', cmd.userId, false);
        this.logger.warn(`media seat of ${actor.id} not recorded in Redis: ${e.message}`);
        throw new DomainError('MEDIA_UNAVAILABLE', 'Media is unavailable for a moment (the servers cannot reach each other): try again.');
      });
    } finally {
      const left = (this.joining.get(room.id) ?? 1) - 1;
      if (left > 0) this.joining.set(room.id, left);
      else this.joining.delete(room.id);
      // A join that failed leaves the room as empty as it found it.
      this.watchIdle(room.id);
    }
    let stale: ReturnType<typeof mediaToTearDown>;
    try {
      await this.record(cmd, actor.id, 'media.joined', { roomId: room.id, mayPublish: publisher, audioOnly });
      stale = mediaToTearDown(seat, await this.rightsNow(cmd.sessionId, actor.id, room.id));
    } catch (e) {
      // The database failed between the seat and its check: no seat stays that was not checked (or
      // audited); the page's retry makes one again. The teardown's own audit may fail alike, after
      // the SFU and this instance have let the seat go.
      if (this.seats.get(actor.id) === seat)
        await this.tearDown(actor.id, seat, 'left', cmd.userId, false).catch((again: Error) =>
          this.logger.warn(`tearing down the unchecked media seat of ${actor.id} failed: ${again.message}`),
        );
      throw e;
    }
    if (stale) {
      if (this.seats.get(actor.id) === seat) await this.tearDown(actor.id, seat, stale.reason);
      if (attempt > 0) throw new DomainError('MEDIA_UNAVAILABLE', 'Your place in the session changed while your media started: try again.');
      return this.joinHere(cmd, attempt + 1);
    }
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

  private async publishHere(cmd: MediaCommands['publish']): Promise<{ answerSdp: string; feedId: string }> {
    this.assertAvailable();
    const { session, actor, room } = await this.where(cmd);
    const settings = await this.roomSettings(room.id);
    assertMayHaveMedia(actor, room, session.status, 'publish');
    // What is asked, not what audio only leaves of it: an interpreter asking for a camera is refused.
    assertChannelAllowed(actor, session.languages, {
      channel: cmd.channel,
      kinds: cmd.kinds,
    });
    const seat = this.seatOf(actor.id, room.id);
    const kinds = effectiveKinds(cmd.kinds, { participant: seat.audioOnly, room: Boolean(settings?.audioOnly) });
    if (!kinds.length)
      throw new DomainError('VALIDATION_FAILED', 'Nothing to publish: this room or your connection is audio only.', 'kinds');
    const answer = await this.port.publish({ roomId: room.id, participantId: actor.id, offerSdp: cmd.offerSdp, kinds });
    const channel = cmd.channel ?? null;
    // Publishing again on the same channel (a reload) keeps one's place and turn; another channel starts as its newest publisher.
    if (this.seats.get(actor.id) === seat && seat.channel !== channel) {
      seat.channel = channel;
      seat.channelSince = ++this.channelOrder;
      seat.channelActive = false;
    }
    await this.record(cmd, actor.id, 'media.published', { roomId: room.id, kinds, ...(channel ? { channel } : {}) });
    await this.announceFeeds(cmd.sessionId, room.id);
    return answer;
  }

  /**
   * What the caller receives is decided here, once, for every SFU: never their own feed (it is not
   * among the feeds offered), and audio only when their seat or the room (as set now) says so.
   */
  private async subscribeHere(cmd: MediaCommands['subscribe']): Promise<MediaSubscriptionOffer> {
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
      layer: seat.layer,
    });
    return { offerSdp: offer.offerSdp, feeds: wanted.filter((f) => offer.feedIds.includes(f.feedId)), streams: offer.streams };
  }

  private async answerHere(cmd: MediaCommands['answer']): Promise<{ subscribed: true }> {
    this.assertAvailable();
    const { actor, room } = await this.where(cmd);
    this.seatOf(actor.id, room.id);
    await this.port.answer(room.id, actor.id, cmd.answerSdp);
    return { subscribed: true };
  }

  private async stateHere(cmd: MediaCommands['state']): Promise<{ micOn: boolean; cameraOn: boolean }> {
    this.assertAvailable();
    const { session, actor, room } = await this.where(cmd);
    assertMayHaveMedia(actor, room, session.status, 'publish');
    const seat = this.seatOf(actor.id, room.id);
    const changed = seat.micOn !== cmd.micOn || seat.cameraOn !== cmd.cameraOn;
    seat.micOn = cmd.micOn;
    seat.cameraOn = cmd.cameraOn;
    if (changed) await this.announceFeeds(cmd.sessionId, room.id);
    return { micOn: seat.micOn, cameraOn: seat.cameraOn };
  }

  private async layerHere(cmd: MediaCommands['layer']): Promise<{ layer: VideoLayer }> {
    this.assertAvailable();
    const { session, actor, room } = await this.where(cmd);
    assertMayHaveMedia(actor, room, session.status, 'receive');
    const seat = this.seatOf(actor.id, room.id);
    // Kept first: a subscription being made meanwhile (a feed that came) reads it, and the SFU's
    // change below, queued behind that subscription, applies to whichever is the seat's then.
    seat.layer = cmd.layer;
    await this.port.setLayer(room.id, actor.id, cmd.layer);
    return { layer: cmd.layer };
  }

  private async takeHere(cmd: MediaCommands['take']): Promise<{ channel: string; feedId: string }> {
    this.assertAvailable();
    const { session, actor, room } = await this.where(cmd);
    assertMayHaveMedia(actor, room, session.status, 'publish');
    this.seatOf(actor.id, room.id);
    // Only an interpreter ever publishes a channel: anyone else is refused here as publishing none.
    const { turns, feeds } = await this.channelState(room.id);
    const decision = takeChannel(turns, actor.id, cmd.channel);
    // Asked for, so audited here as asked (not as a handover).
    this.keepTurns(room.id, decision.active);
    if (decision.changed) {
      await this.record(cmd, actor.id, 'media.channel.taken', { roomId: room.id, channel: cmd.channel, from: decision.previous });
      await this.announceFeeds(cmd.sessionId, room.id);
    }
    return { channel: cmd.channel, feedId: feeds.find((f) => f.participantId === actor.id)!.feedId };
  }

  private async leaveHere(cmd: Caller): Promise<{ left: true }> {
    const { actor } = await this.sessions.actor(this.uow.autocommit, cmd.sessionId, cmd.userId);
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
    if (this.cluster.shared) {
      // The seat may be held by another instance: it cuts it, and this move waits for that (bounded).
      const holder = await this.cluster.seatOwner(p.id).catch((e: Error) => {
        this.logger.warn(`where the media seat of ${p.id} is was not read: ${e.message}`);
        return null;
      });
      if (holder && holder !== this.cluster.self) await this.cutThere(holder, sessionId, p.id, p.roomId);
    }
    await this.cutHere(sessionId, p.id, p.roomId);
    // Closing the session, or a joint room, sends people to the lobby: their media rooms go too,
    // on every instance.
    if (p.roomId === null) {
      if (this.cluster.shared)
        this.cluster
          .broadcast({ kind: 'finished', sessionId })
          .catch((e: Error) => this.logger.warn(`other instances not told session ${sessionId}'s rooms closed: ${e.message}`));
      await this.closeFinishedRooms(sessionId);
    }
  }

  /**
   * The seat held here of a participant now in `roomIdNow`, cut as far as the rules say. With
   * `tell` false the participant is not told here: the instance that decided the change tells
   * them, so that media.cut goes out on its connection to Redis before participant.location does
   * (two instances publishing through two connections would not keep that order).
   */
  private async cutHere(sessionId: string, participantId: string, roomIdNow: string | null, tell = true): Promise<MediaCut | null> {
    const seat = this.seats.get(participantId);
    if (!seat || seat.sessionId !== sessionId) return null;
    // A move needs no reading: the stored state is only asked when they stay in the seat's room.
    const now: MediaRightsNow =
      seat.roomId === roomIdNow
        ? await this.rightsNow(sessionId, participantId, seat.roomId)
        : { roomId: roomIdNow, mayReceive: false, mayPublish: false };
    const cut = mediaToTearDown(seat, now);
    return cut ? this.tearDown(participantId, seat, cut.reason, null, tell) : null;
  }

  /** Asks the instance holding a seat to cut it (bounded), and tells the participant from here. */
  private async cutThere(holder: string, sessionId: string, participantId: string, roomIdNow: string | null): Promise<void> {
    try {
      const cut = resultOf(
        await this.cluster.call(holder, { kind: 'cut', sessionId, participantId, roomIdNow }, FORWARDED_CUT_MS),
      ) as MediaCut | null;
      if (cut) this.channel.toParticipant(participantId, 'media.cut', cut);
    } catch (e) {
      this.logger.warn(`media seat of ${participantId} on instance ${holder} not cut: ${(e as Error).message}`);
    }
  }

  /**
   * What the stored participant, room and session allow in `roomId` now; a participant stored in
   * another room is answered with that room (nothing allowed in `roomId`: a cut says `moved`).
   */
  private async rightsNow(sessionId: string, participantId: string, roomId: string): Promise<MediaRightsNow> {
    const tx = this.uow.autocommit;
    const [status, participant, room] = await Promise.all([
      this.store.sessionStatus(tx, sessionId),
      this.sessions.participant(tx, sessionId, participantId).catch(() => null),
      this.sessions.room(tx, sessionId, roomId),
    ]);
    if (!status || !participant || !room) return { roomId, mayReceive: false, mayPublish: false };
    if (participant.roomId !== roomId) return { roomId: participant.roomId, mayReceive: false, mayPublish: false };
    return {
      roomId,
      mayReceive: mediaDenial(participant, room, status, 'receive') === null,
      mayPublish: mayPublish(participant, room, status),
    };
  }

  /** The media rooms of a closed session, or of a closed room, are destroyed in the SFU. */
  private async closeFinishedRooms(sessionId: string): Promise<void> {
    const ours = [...this.rooms].filter(([, s]) => s === sessionId).map(([roomId]) => roomId);
    if (!ours.length) return;
    const tx = this.uow.autocommit;
    const status = await this.store.sessionStatus(tx, sessionId);
    const closedRooms = new Set((await this.sessions.rooms(tx, sessionId)).filter((r) => r.closed).map((r) => r.id));
    for (const roomId of ours) {
      if (status && status !== 'closed' && !closedRooms.has(roomId)) continue;
      // Whoever still holds a seat there is cut first (audited, told), then the room goes.
      for (const [participantId, seat] of this.seats) if (seat.roomId === roomId) await this.tearDown(participantId, seat, 'moved');
      await this.port.closeRoom(roomId);
      this.forgetRoom(roomId);
    }
  }

  /**
   * This instance held on to rooms Redis no longer names it the owner of: Redis restarted (and
   * forgot), or this instance stopped answering long enough to be counted dead and its rooms were
   * swept (their rooms told media.reset) or taken over. A room nobody holds is claimed back; a
   * room another instance holds now is dropped here, seats and SFU room, so that one Parley room
   * never has media in two SFU rooms for longer than a check.
   */
  private async checkOwnership(): Promise<void> {
    const ours = [...this.rooms].filter(([roomId]) => !this.joining.has(roomId));
    const holders = await this.cluster.holders(ours.map(([roomId]) => roomId));
    for (const [i, [roomId, sessionId]] of ours.entries()) {
      if (holders[i] === this.cluster.self || this.rooms.get(roomId) !== sessionId) continue;
      const claim = holders[i] === null ? await this.cluster.claim(roomId, sessionId) : null;
      if (claim?.owner === this.cluster.self) continue;
      this.logger.warn(`media room ${roomId} is held by instance ${claim?.owner ?? holders[i]} now: released here`);
      for (const [participantId, seat] of [...this.seats])
        if (seat.roomId === roomId) {
          await this.port.evict(roomId, participantId).catch(() => undefined);
          if (this.seats.get(participantId) === seat) this.seats.delete(participantId);
          this.cluster.seatFreed(participantId).catch(() => undefined);
        }
      this.rooms.delete(roomId);
      this.forgetRoomKeys(roomId);
      this.stopIdle(roomId);
      await this.port.closeRoom(roomId).catch((e: Error) => this.logger.warn(`media room ${roomId} not closed: ${e.message}`));
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
    this.forgetRoomKeys(roomId);
    this.stopIdle(roomId);
    // Issued on the same Redis connection as any later claim by this instance, so never after it.
    this.cluster.release(roomId).catch((e: Error) => this.logger.warn(`media room ${roomId} not released in Redis: ${e.message}`));
  }

  /**
   * The seat is forgotten only once the SFU has cut it: should the SFU fail, the seat stays known
   * and the next placement change or join tries again (no stream is left alive unnoticed).
   */
  private async tearDown(
    participantId: string,
    seat: Seat,
    reason: MediaCut['reason'],
    userId: string | null = null,
    tell = true,
  ): Promise<MediaCut> {
    await this.port.evict(seat.roomId, participantId);
    this.linkReports.delete(linkKey(seat.roomId, participantId));
    if (this.seats.get(participantId) === seat) {
      this.seats.delete(participantId);
      this.cluster
        .seatFreed(participantId)
        .catch((e: Error) => this.logger.warn(`seat of ${participantId} not freed in Redis: ${e.message}`));
    }
    this.watchIdle(seat.roomId);
    await this.record({ userId, sessionId: seat.sessionId }, participantId, reason === 'left' ? 'media.left' : 'media.torn_down', {
      roomId: seat.roomId,
      reason,
    });
    const cut: MediaCut = { sessionId: seat.sessionId, roomId: seat.roomId, reason };
    if (tell) this.channel.toParticipant(participantId, 'media.cut', cut);
    await this.announceFeeds(seat.sessionId, seat.roomId);
    return cut;
  }

  private async feedsFor(roomId: string, exceptParticipantId: string): Promise<FeedView[]> {
    return (await this.feedViews(roomId)).filter((f) => f.participantId !== exceptParticipantId);
  }

  private heldIn(roomId: string, participantId: string): Seat | null {
    const seat = this.seats.get(participantId);
    return seat?.roomId === roomId ? seat : null;
  }

  /** The SFU's feeds of a room, and the channel publishers among them as the turn rules see them. */
  private async channelState(roomId: string) {
    const feeds = await this.port.feeds(roomId);
    const turns: ChannelTurn[] = [];
    for (const f of feeds) {
      const seat = this.heldIn(roomId, f.participantId);
      if (seat?.channel)
        turns.push({ participantId: f.participantId, channel: seat.channel, since: seat.channelSince, active: seat.channelActive });
    }
    return { feeds, turns };
  }

  /**
   * Who holds each channel's turn in a room, kept with the seats (a seat not publishing holds none).
   * Returns the turns that passed from one holder to another: a channel's first holder is no
   * handover (their media.published says it), and a channel nobody holds any more is forgotten.
   */
  private keepTurns(roomId: string, active: ReadonlySet<string>): Handover[] {
    const handed: Handover[] = [];
    const held = new Set<string>();
    for (const [participantId, seat] of this.seats) {
      if (seat.roomId !== roomId || !seat.channel) continue;
      seat.channelActive = active.has(participantId);
      if (!seat.channelActive) continue;
      const key = linkKey(roomId, seat.channel);
      held.add(key);
      const from = this.channelHolders.get(key);
      if (from === participantId) continue;
      this.channelHolders.set(key, participantId);
      if (from !== undefined) handed.push({ sessionId: seat.sessionId, participantId, channel: seat.channel, from });
    }
    for (const key of this.channelHolders.keys())
      if (key.startsWith(linkKey(roomId, '')) && !held.has(key)) this.channelHolders.delete(key);
    return handed;
  }

  /**
   * The SFU's feeds of a room, each with its publisher's microphone and camera and, for an
   * interpreter's, its channel and whether it holds the turn (their seat is held here, by the
   * room's owner). The turns are settled here, every time the room's feeds are read: a channel
   * whose holder left, was moved or stopped publishing passes to its standby in the same media.feeds
   * that shows the holder gone, and the handover is audited (media.channel.taken, automatic).
   */
  private async feedViews(roomId: string): Promise<FeedView[]> {
    const { feeds, turns } = await this.channelState(roomId);
    const active = channelTurns(turns);
    for (const h of this.keepTurns(roomId, active))
      await this.record({ userId: null, sessionId: h.sessionId }, h.participantId, 'media.channel.taken', {
        roomId,
        channel: h.channel,
        from: h.from,
        automatic: true,
      });
    return feeds.map((f) => {
      const held = this.heldIn(roomId, f.participantId);
      const channel = held?.channel ?? null;
      return {
        ...f,
        micOn: held?.micOn ?? true,
        cameraOn: held?.cameraOn ?? true,
        channel,
        ...(channel ? { channelActive: active.has(f.participantId) } : {}),
      };
    });
  }

  private async announceFeeds(sessionId: string, roomId: string): Promise<void> {
    this.channel.toRoom(roomId, 'media.feeds', { sessionId, roomId, feeds: await this.feedViews(roomId) });
  }

  private async record(
    by: { userId: string | null; sessionId: string },
    participantId: string,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const fact: AuditFact = { type, actorUserId: by.userId, actorParticipantId: participantId, payload: { participantId, ...payload } };
    await this.audit.append(this.uow.autocommit, by.sessionId, [fact]);
  }
}

/** A channel's turn passed by the server (its holder gone), to be audited. */
interface Handover {
  sessionId: string;
  participantId: string;
  channel: string;
  from: string;
}

/** A key kept per room: a subscriber's link reports (room and participant), a channel's holder (room and channel); a room's all start with `linkKey(roomId, '')`. */
const linkKey = (roomId: string, participantId: string) => `${roomId}/${participantId}`;

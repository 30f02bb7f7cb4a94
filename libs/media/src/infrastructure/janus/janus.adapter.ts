import { randomBytes, randomInt } from 'node:crypto';
import { DomainError } from '@parley/platform/domain';
import { Listeners } from '../listeners';
import type {
  Feed,
  MediaAvailability,
  MediaKind,
  MediaPort,
  MediaRoomSpec,
  PublishAnswer,
  PublishRequest,
  LinkReport,
  RoomActivity,
  RoomMediaStats,
  SfuLoss,
  SfuRoom,
  SubscribeOffer,
  SubscribeRequest,
} from '../../application/media.port';
import {
  janusCodeOf,
  loadJanode,
  type Janode,
  type JanodeConnection,
  type JanodeSession,
  type VideoRoomHandle,
  type VideoRoomStream,
} from './janode';
import type { JanusLogger } from './janus-process';
import type { SubscribedStream, VideoLayer } from '@parley/contracts';
import { KeyedLock } from '../keyed-lock';
import { restrictOffer } from '../sdp';
import { TalkingTracker } from './talking';

export interface JanusMediaAdapterOptions {
  /** The Janus API WebSocket (ws://127.0.0.1:…). */
  url: string;
  /** The Janus `api_secret`, if Janus has one (the launcher always sets one). */
  apiSecret?: string;
  /** The VideoRoom `admin_key` (from the launcher, or the operator's Janus configuration). */
  adminKey: string;
  /** A room's video bitrate cap when its spec has none, in kbit/s (default 1024). */
  defaultBitrateKbps?: number;
  /** Concurrent publishers per room (Janus' own default is 3, too few for a plenary). */
  maxPublishersPerRoom?: number;
  /** Bound on every request to Janus (default 10 s). */
  requestTimeoutMs?: number;
  logger?: JanusLogger;
  /**
   * A Janus started for this adapter (see startJanus): stopped by shutdown(); its end (`exited`)
   * loses the adapter at once, before the WebSocket's close is noticed.
   */
  ownedProcess?: { stop(): Promise<void>; exited?: Promise<string> };
  /** janode's own console logging (process-wide; default 'none': the adapter logs what matters). */
  janodeLogLevel?: 'none' | 'error' | 'warning' | 'info' | 'verbose' | 'debug';
  /**
   * Talking detection (VideoRoom `audiolevel_event`): Janus averages the audio-level extension
   * over this many audio packets of a publisher (default 25: half a second of 20 ms Opus packets)
   * and calls them talking when that average is louder than `talkingLevelDbov` (default -40 dBov:
   * speech into a headset or laptop microphone is about -20 to -35 dBov, a quiet room below -50).
   */
  talkingPackets?: number;
  talkingLevelDbov?: number;
}

/** Janus refused or failed a request: the client gets MEDIA_FAILED, the log gets Janus' words. */
export class JanusRequestError extends DomainError {
  constructor(
    readonly request: string,
    readonly janusCode: number | null,
    readonly janusReason: string,
  ) {
    super(
      'MEDIA_FAILED',
      'The media server could not do this; nothing else was changed.',
      undefined,
      janusCode ? { janusCode } : undefined,
    );
    this.name = 'JanusRequestError';
  }
}

interface PublisherSeat {
  handle: VideoRoomHandle;
  feedId: number;
  privateId: number;
  /** A publish was attempted on this handle: the next one gets a fresh handle. */
  used: boolean;
  published: boolean;
  /** Janus has its PeerConnection up (webrtcup): only then can anyone subscribe to it. */
  up: boolean;
  /** Called (and emptied) when the PeerConnection comes up. */
  whenUp: (() => void)[];
  streams: VideoRoomStream[];
  kinds: MediaKind[];
}

interface Seat {
  participantId: string;
  mayPublish: boolean;
  /** In the room's `allowed` list while the seat lives; null for receive-only seats. */
  token: string | null;
  publisher: PublisherSeat | null;
  /** `videoMids`: its video m-lines (a simulcast layer is asked per m-line). */
  subscription: { handle: VideoRoomHandle; feedIds: number[]; keyframes: NodeJS.Timeout[]; videoMids: string[] } | null;
}

interface Room {
  roomId: string;
  janusRoom: number;
  secret: string;
  pin: string;
  spec: MediaRoomSpec;
  /**
   * Parley's own never-publishing seat in the room: its private_id lets receive-only participants
   * subscribe (the room requires one) without holding a publisher seat. Its join token was
   * removed from `allowed` right after use.
   */
  anchor: { handle: VideoRoomHandle; feedId: number; privateId: number };
  seats: Map<string, Seat>;
  /** Who speaks, from the talking events Janus sends the anchor (it is a publisher of the room). */
  talking: TalkingTracker;
}

/** What the adapter knows of a room on the Janus side — for diagnostics and tests; never for clients. */
export interface JanusRoomView {
  janusRoom: number;
  secret: string;
  pin: string;
  /** Participant id → their token in the room's `allowed` list (publishing seats only). */
  tokens: Record<string, string>;
  /** Janus' participant (feed) id per publishing seat. */
  publisherIds: Record<string, number>;
  anchorFeedId: number;
  /** What receive-only seats subscribe with. */
  anchorPrivateId: number;
}

const SUBSCRIBE_RETRY_MS = 2_000;
const KEEPALIVE_SECS = 10;
/**
 * Keyframe requests for a new subscription, after its PeerConnection is up: at once, then again
 * after this long. Janus 1.1 sends a PLI itself when a subscriber comes up, but Chrome's encoder
 * honours at most one keyframe request per 300 ms (libwebrtc's EncoderRtcpFeedback, field trial
 * WebRTC-KeyframeInterval): a request that lands inside that window (another subscriber of the
 * same feed came up just before, or the publisher itself just started) is dropped, and the new
 * subscriber waits for its own browser's next request. The second request falls outside the window.
 */
const KEYFRAME_REPEAT_MS = 320;

/**
 * The media port on Janus' VideoRoom plugin, driven with janode over one Janus session.
 *
 * One Janus room per Parley room (a random numeric id), created with this run's admin_key and
 * guarded by a random `secret` (moderation: allowed, kick, destroy, edit) and `pin` (every join),
 * `is_private`, `require_pvtid` (a subscription must name a live participant's private_id) and an
 * `allowed` token list (every publisher join). Parley holds every handle: browsers only see SDP.
 *
 * Who can publish, and who enforces it:
 * - A participant admitted with `mayPublish` gets a random token in `allowed` and a publisher
 *   handle joined with it; their subscriptions carry their own private_id.
 * - A receive-only participant (observer) gets no token and no publisher handle at all. Their only
 *   Janus object is a subscriber handle authorised by the anchor's private_id. Janus itself then
 *   refuses any publish from them: a publisher join needs a token in `allowed` (433), and a
 *   subscriber handle never accepts an offer ("Only publishers send offers", 431). Parley refuses
 *   it first (OBSERVER_READ_ONLY), before anything reaches Janus.
 *
 * evict() cuts a participant's subscription by detaching its handle (a VideoRoom `kick` does not
 * stop the kicked person's own subscriptions), kicks and detaches their publisher and removes
 * their token.
 */
export class JanusMediaAdapter implements MediaPort {
  private readonly rooms = new Map<string, Room>();
  private readonly locks = new KeyedLock();
  private lostReason: string | null = null;
  private closed = false;
  /**
   * Resolves once, when this adapter has lost its Janus (the process ended, the connection or the
   * Janus session closed): why, and the sessions whose rooms went with it. A supervisor starts
   * over from there (see SfuSupervisor); a shutdown() is not a loss and never resolves it.
   */
  readonly lost: Promise<SfuLoss>;
  private resolveLost!: (loss: SfuLoss) => void;
  /** The requests in flight: rejected the moment Janus is lost, so that nobody waits for a dead Janus. */
  private readonly inFlight = new Set<(e: Error) => void>();

  private constructor(
    private readonly opts: JanusMediaAdapterOptions,
    private readonly lib: Janode,
    private readonly connection: JanodeConnection,
    private readonly session: JanodeSession,
    private readonly control: VideoRoomHandle,
    private readonly version: string,
  ) {
    this.lost = new Promise((resolve) => {
      this.resolveLost = resolve;
    });
    connection.once(lib.janode.EVENT.CONNECTION_ERROR, (e) => this.lose(`lost the connection to Janus (${(e as Error)?.message ?? e})`));
    // A graceful close is ours (shutdown) unless Janus closed the WebSocket itself.
    connection.once(lib.janode.EVENT.CONNECTION_CLOSED, () => this.lose('Janus closed the connection'));
    session.once(lib.janode.EVENT.SESSION_DESTROYED, () => this.lose('the Janus session ended'));
    void opts.ownedProcess?.exited?.then(
      (why) => this.lose(why),
      () => undefined,
    );
  }

  /** Connects to Janus and opens the adapter's session; rejects clearly when Janus is not there. */
  static async connect(opts: JanusMediaAdapterOptions): Promise<JanusMediaAdapter> {
    const lib = await loadJanode();
    lib.janode.Logger.setLevel(opts.janodeLogLevel ?? 'none');
    const ms = opts.requestTimeoutMs ?? 10_000;
    let connection: JanodeConnection;
    try {
      let timedOut = false;
      const connecting = lib.janode.connect({
        address: { url: opts.url, ...(opts.apiSecret ? { apisecret: opts.apiSecret } : {}) },
        retry_time_secs: 1,
        max_retries: 0,
      });
      // Should it answer after the bound, the late connection is closed, not leaked.
      void connecting.then(
        (late) => {
          if (timedOut) void late.close().catch(() => undefined);
        },
        () => undefined,
      );
      connection = await within(connecting, ms, `no WebSocket within ${ms} ms`).catch((e: unknown) => {
        timedOut = true;
        throw e;
      });
    } catch (e) {
      throw new Error(`Cannot reach Janus at ${opts.url}: ${messageOf(e)}`);
    }
    try {
      const info = await within(connection.getInfo(), ms, `no answer to info within ${ms} ms`);
      if (!info.plugins || !('janus.plugin.videoroom' in info.plugins)) throw new Error('the VideoRoom plugin is not loaded');
      // A keepalive every 10 s, failed after 5 s without an answer: a Janus that hangs (accepts,
      // never answers) ends the session within 15 s, and is then handled like one that exited.
      const session = await within(connection.create(KEEPALIVE_SECS), ms, `no session within ${ms} ms`);
      const control = await within(session.attach(lib.videoRoom), ms, `no handle within ${ms} ms`);
      return new JanusMediaAdapter(opts, lib, connection, session, control, `Janus ${info.version_string ?? '?'} VideoRoom`);
    } catch (e) {
      await connection.close().catch(() => undefined);
      throw new Error(`Janus at ${opts.url} is not usable: ${messageOf(e)}`);
    }
  }

  availability(): MediaAvailability {
    if (this.closed) return { available: false, reason: 'the media adapter has been shut down' };
    if (this.lostReason) return { available: false, reason: this.lostReason };
    return { available: true, sfu: this.version, engine: 'janus' };
  }

  async openRoom(spec: MediaRoomSpec): Promise<void> {
    this.assertUp();
    await this.locks.run(`room:${spec.roomId}`, async () => {
      const existing = this.rooms.get(spec.roomId);
      if (!existing) {
        this.rooms.set(spec.roomId, await this.createRoom(spec));
        return;
      }
      if (this.capBps(existing.spec) !== this.capBps(spec)) {
        await this.request(this.control, 'edit', {
          request: 'edit',
          room: existing.janusRoom,
          secret: existing.secret,
          new_bitrate: this.capBps(spec),
        });
      }
      existing.spec = { ...spec };
    });
  }

  async closeRoom(roomId: string): Promise<void> {
    // With the Janus session gone, Janus has already dropped every handle of ours.
    if (!this.availability().available) return;
    await this.locks.run(`room:${roomId}`, async () => {
      const room = this.rooms.get(roomId);
      if (!room) return;
      this.rooms.delete(roomId);
      const failures: unknown[] = [];
      const step = async (f: () => Promise<unknown>) => {
        try {
          await f();
        } catch (e) {
          failures.push(e);
        }
      };
      for (const seat of room.seats.values()) {
        if (seat.subscription) await step(() => this.dropSubscription(seat));
        if (seat.publisher) await step(() => this.detach(seat.publisher!.handle));
      }
      room.seats.clear();
      // Destroying the room also tears down whatever Janus still has in it.
      await step(() =>
        this.request(this.control, 'destroy', { request: 'destroy', room: room.janusRoom, secret: room.secret, permanent: false }),
      );
      await step(() => this.detach(room.anchor.handle));
      if (failures.length) throw this.failure('close the room', failures[0]);
    });
  }

  async admit(roomId: string, participantId: string, mayPublish: boolean): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const previous = room.seats.get(participantId);
      // A new admission is a fresh seat: whatever the previous one carried goes first.
      if (previous) await this.tearDown(room, previous);
      const seat: Seat = { participantId, mayPublish, token: null, publisher: null, subscription: null };
      if (mayPublish) {
        seat.token = secretToken();
        await this.allow(room, 'add', seat.token);
        try {
          seat.publisher = await this.joinPublisher(room, seat);
        } catch (e) {
          await this.allow(room, 'remove', seat.token).catch(() => undefined);
          throw e;
        }
      }
      room.seats.set(participantId, seat);
      await this.stillOpen(room, seat);
    });
  }

  async publish(req: PublishRequest): Promise<PublishAnswer> {
    this.assertUp();
    const room = this.roomOf(req.roomId);
    return this.locks.run(seatKey(req.roomId, req.participantId), async () => {
      const seat = this.seatOf(room, req.participantId);
      if (!seat.mayPublish || !seat.publisher) {
        throw new DomainError('OBSERVER_READ_ONLY', 'This seat receives only: it may not publish.', 'kinds');
      }
      const offer = restrictOffer(req.offerSdp, [...new Set(req.kinds)]);
      if (!offer.kinds.length) throw new DomainError('VALIDATION_FAILED', 'The offer carries none of the media to publish.', 'offerSdp');
      // One feed per participant, one PeerConnection per publisher handle: publishing again (a
      // reload, a new camera, after a failure) takes a fresh handle, joined with the seat's token,
      // and the old one leaves the room with its PeerConnection.
      if (seat.publisher.used) {
        const old = seat.publisher;
        seat.publisher = await this.joinPublisher(room, seat);
        await this.detach(old.handle).catch(() => undefined);
      }
      const p = seat.publisher;
      p.used = true;
      let res: Awaited<ReturnType<VideoRoomHandle['publish']>>;
      try {
        res = await this.timed(
          'publish',
          p.handle.publish({
            bitrate: this.capBps(room.spec),
            descriptions: offer.descriptions,
            // The page lists a camera's simulcast layers lowest first, as mediasoup reads them.
            jsep: { type: 'offer', sdp: offer.sdp, rid_order: 'lmh' },
          }),
        );
      } catch (e) {
        throw this.failure('publish', e);
      }
      if (!res.jsep?.sdp) throw new JanusRequestError('publish', null, 'no SDP answer');
      p.published = true;
      p.streams = res.streams ?? [];
      p.kinds = kindsOf(p.streams, offer.kinds);
      return { answerSdp: res.jsep.sdp, feedId: String(p.feedId) };
    });
  }

  async unpublish(roomId: string, participantId: string): Promise<void> {
    if (!this.availability().available) return;
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const p = room.seats.get(participantId)?.publisher;
      if (!p?.published) return;
      p.published = false;
      this.stoppedTalking(room, participantId);
      try {
        await this.timed('unpublish', p.handle.unpublish());
      } catch (e) {
        // 435: Janus had no feed (the PeerConnection never came up or is gone): nothing to stop.
        if (janusCodeOf(e) !== 435) throw this.failure('unpublish', e);
      }
    });
  }

  async subscribe(req: SubscribeRequest): Promise<SubscribeOffer> {
    this.assertUp();
    const room = this.roomOf(req.roomId);
    return this.locks.run(seatKey(req.roomId, req.participantId), async () => {
      const seat = this.seatOf(room, req.participantId);
      const feeds = this.publishedFeeds(room);
      const streams: { feed: number; mid?: string }[] = [];
      const included: number[] = [];
      for (const feedId of new Set(req.feedIds)) {
        const p = /^\d+$/.test(feedId) ? feeds.get(Number(feedId)) : undefined;
        if (!p) throw new DomainError('FEED_NOT_FOUND', 'No such feed in this room.', 'feedIds');
        if (!req.audioOnly) {
          streams.push({ feed: p.publisher.feedId });
        } else {
          const mids = p.publisher.streams.filter((s) => s.type === 'audio' && !s.disabled).map((s) => s.mid);
          streams.push(...mids.map((mid) => ({ feed: p.publisher.feedId, mid })));
          if (!mids.length) continue;
        }
        included.push(p.publisher.feedId);
      }
      if (!streams.length) throw new DomainError('FEED_NOT_FOUND', 'None of these feeds has anything to receive (audio only).', 'feedIds');
      // One subscription per participant and room: a new one replaces the old.
      if (seat.subscription) await this.dropSubscription(seat);
      // Janus refuses (428) a subscription to a publisher whose PeerConnection is not up yet, which
      // is the case right after a publish (a mover's feed is announced at once): wait for its
      // webrtcup instead of asking again and again; the retry below stays for a missed event.
      await this.publishersUp(included.map((id) => feeds.get(id)!.publisher));
      const handle = await this.attach();
      const privateId = seat.publisher?.privateId ?? room.anchor.privateId;
      try {
        const res = await this.retryWhileConnecting(() =>
          this.timed('subscribe', handle.joinSubscriber({ room: room.janusRoom, streams, private_id: privateId, pin: room.pin })),
        );
        if (!res.jsep?.sdp) throw new JanusRequestError('subscribe', null, 'no SDP offer');
        const videoMids = (res.streams ?? []).filter((s) => s.type === 'video').map((s) => s.mid);
        seat.subscription = { handle, feedIds: included, keyframes: [], videoMids };
        // The top layer is Janus' default; a lower one takes at the keyframes asked once the media is up (see answer).
        if (req.layer === 'low') await this.configureLayer(seat.subscription, 'low');
        // The browser losing what Janus sends it: a subscription only receives, so any slowlink on
        // its handle is about the way to the browser (janus.jcfg's slowlink_threshold, see janus-process).
        handle.on(this.lib.janode.EVENT.HANDLE_SLOWLINK, (d: unknown) => {
          if (room.seats.get(req.participantId) !== seat) return;
          const lost = (d as { lost?: unknown } | null)?.lost;
          this.links.emit({ roomId: req.roomId, participantId: req.participantId, lost: typeof lost === 'number' ? lost : null });
        });
        await this.stillOpen(room, seat);
        return {
          offerSdp: res.jsep.sdp,
          feedIds: included.map(String),
          streams: subscribedStreams(res.streams, new Map(included.map((id) => [id, feeds.get(id)!.publisher.streams]))),
        };
      } catch (e) {
        await this.detach(handle).catch(() => undefined);
        if (janusCodeOf(e) === 428) throw new DomainError('FEED_NOT_FOUND', 'This feed is not live (yet, or any more).', 'feedIds');
        throw this.failure('subscribe', e);
      }
    });
  }

  async setLayer(roomId: string, participantId: string, layer: VideoLayer): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const sub = this.seatOf(room, participantId).subscription;
      if (!sub) return;
      await this.configureLayer(sub, layer);
      // Janus switches at a keyframe of the layer asked, and Chrome sends VP8 keyframes only when
      // asked: the publishers are asked now and once more (a publisher that just started may not be
      // known on every layer yet; seen: a switch that never came without it).
      this.requestKeyframes(room, sub.feedIds);
      sub.keyframes.push(setTimeout(() => this.requestKeyframes(room, sub.feedIds), KEYFRAME_REPEAT_MS).unref());
    });
  }

  /**
   * The substream Janus forwards of each video the subscription carries: 0, the lowest layer, or
   * the highest there is (Janus takes 2 as "the top one"). A video sent without layers is
   * forwarded as it is whatever is asked.
   */
  private async configureLayer(sub: NonNullable<Seat['subscription']>, layer: VideoLayer): Promise<void> {
    if (!sub.videoMids.length) return;
    const substream = layer === 'low' ? 0 : 2;
    await this.request(sub.handle, 'substream', { request: 'configure', streams: sub.videoMids.map((mid) => ({ mid, substream })) });
  }

  async answer(roomId: string, participantId: string, answerSdp: string): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const seat = this.seatOf(room, participantId);
      const sub = seat.subscription;
      if (!sub) throw new DomainError('MEDIA_NOT_JOINED', 'There is no subscription offer to answer: subscribe first.');
      // Listening before `start`: the PeerConnection may come up before its answer arrives here.
      sub.handle.once(this.lib.janode.EVENT.HANDLE_WEBRTCUP, () => {
        if (seat.subscription !== sub || room.seats.get(participantId) !== seat) return;
        this.requestKeyframes(room, sub.feedIds);
        sub.keyframes.push(setTimeout(() => this.requestKeyframes(room, sub.feedIds), KEYFRAME_REPEAT_MS).unref());
      });
      try {
        await this.timed('start', sub.handle.start({ jsep: { type: 'answer', sdp: answerSdp } }));
      } catch (e) {
        throw this.failure('start', e);
      }
    });
  }

  async evict(roomId: string, participantId: string): Promise<void> {
    // Lost or shut down: the Janus session, and every handle and stream in it, is already gone.
    if (!this.availability().available) return;
    const room = this.rooms.get(roomId);
    if (!room) return;
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const seat = room.seats.get(participantId);
      if (seat) await this.tearDown(room, seat);
    });
  }

  feeds(roomId: string): Promise<Feed[]> {
    const room = this.rooms.get(roomId);
    if (!room || !this.availability().available) return Promise.resolve([]);
    return Promise.resolve(
      [...this.publishedFeeds(room).values()].map(({ participantId, publisher }) => ({
        feedId: String(publisher.feedId),
        participantId,
        kinds: [...publisher.kinds],
      })),
    );
  }

  async stats(roomId: string): Promise<RoomMediaStats> {
    const room = this.rooms.get(roomId);
    if (!room || !this.availability().available) return { roomId, publishers: 0, subscribers: 0, participants: [] };
    // Janus' own view of the publishers, so that the answer is what the SFU does, not what we hope.
    const { participants: inJanus } = await this.timed(
      'listparticipants',
      this.control.listParticipants({ room: room.janusRoom, secret: room.secret }),
    );
    const present = new Map(inJanus.map((p) => [p.feed, p.publisher]));
    let publishers = 0;
    let subscribers = 0;
    const participants = new Set<string>();
    for (const seat of room.seats.values()) {
      if (seat.publisher && present.has(seat.publisher.feedId)) {
        participants.add(seat.participantId);
        if (present.get(seat.publisher.feedId)) publishers++;
      }
      if (seat.subscription) {
        participants.add(seat.participantId);
        subscribers++;
      }
    }
    return { roomId, publishers, subscribers, participants: [...participants].sort() };
  }

  /** A bare adapter never comes back once lost: SfuSupervisor starts a new one and tells. */
  onReset(): void {}

  private readonly activityListeners: ((activity: RoomActivity) => void)[] = [];
  onActivity(listener: (activity: RoomActivity) => void): void {
    this.activityListeners.push(listener);
  }

  private readonly links = new Listeners<LinkReport>('link', () => this.opts.logger);
  onLinkReport(listener: (report: LinkReport) => void): void {
    this.links.add(listener);
  }

  /** Janus' own list of VideoRoom rooms (private ones too, with this run's admin_key), each with its live publishers. */
  async sfuRooms(): Promise<SfuRoom[]> {
    if (!this.availability().available) return [];
    const listed = (await this.request(this.control, 'list', { request: 'list', admin_key: this.opts.adminKey })) as {
      list?: { room: number; description?: string }[];
    };
    const out: SfuRoom[] = [];
    for (const r of listed.list ?? []) {
      const roomId = /^parley (.+)$/.exec(r.description ?? '')?.[1] ?? null;
      const { participants } = await this.timed('listparticipants', this.control.listParticipants({ room: r.room }));
      out.push({ sfuRoomId: String(r.room), roomId, publishers: participants.filter((p) => p.publisher).length });
    }
    return out;
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.lostReason) {
      for (const room of this.rooms.values()) {
        await this.request(this.control, 'destroy', {
          request: 'destroy',
          room: room.janusRoom,
          secret: room.secret,
          permanent: false,
        }).catch(() => undefined);
      }
      await this.timed('destroy session', this.session.destroy()).catch(() => undefined);
      await this.timed('close', this.connection.close()).catch(() => undefined);
    }
    this.rooms.clear();
    await this.opts.ownedProcess?.stop();
  }

  /** For diagnostics and tests only: the Janus side of a media room. Never send it to a client. */
  janusView(roomId: string): JanusRoomView | null {
    const room = this.rooms.get(roomId);
    if (!room) return null;
    const tokens: Record<string, string> = {};
    const publisherIds: Record<string, number> = {};
    for (const seat of room.seats.values()) {
      if (seat.token) tokens[seat.participantId] = seat.token;
      if (seat.publisher) publisherIds[seat.participantId] = seat.publisher.feedId;
    }
    return {
      janusRoom: room.janusRoom,
      secret: room.secret,
      pin: room.pin,
      tokens,
      publisherIds,
      anchorFeedId: room.anchor.feedId,
      anchorPrivateId: room.anchor.privateId,
    };
  }

  // --- inside ---

  private async createRoom(spec: MediaRoomSpec): Promise<Room> {
    const secret = secretToken();
    const pin = secretToken();
    const anchorToken = secretToken();
    let janusRoom = 0;
    for (let attempt = 0; !janusRoom; attempt++) {
      const candidate = randomInt(1, 2 ** 47);
      try {
        await this.request(this.control, 'create', {
          request: 'create',
          room: candidate,
          admin_key: this.opts.adminKey,
          description: `parley ${spec.roomId}`,
          permanent: false,
          is_private: true,
          secret,
          pin,
          require_pvtid: true,
          allowed: [anchorToken],
          publishers: this.opts.maxPublishersPerRoom ?? 100,
          bitrate: this.capBps(spec),
          bitrate_cap: true,
          audiocodec: 'opus',
          // Opus DTX negotiated with publishers: a silent microphone sends a packet every 400 ms, not 50
          // a second (what a delegate on a thin link can afford; see sdp-bridge's withOpusDtx).
          opus_dtx: true,
          // VP8 and H.264 both carry simulcast through the VideoRoom; the browser decides.
          videocodec: 'vp8,h264',
          notify_joining: false,
          // Talking events, sent to every publisher of the room (the anchor included); see TalkingTracker.
          audiolevel_ext: true,
          audiolevel_event: true,
          audio_active_packets: this.opts.talkingPackets ?? 25,
          // Janus' scale is minus dBov, 1 to 127 (it refuses 0).
          audio_level_average: Math.min(127, Math.max(1, Math.round(-(this.opts.talkingLevelDbov ?? -40)))),
        });
        janusRoom = candidate;
      } catch (e) {
        if (!(e instanceof JanusRequestError && e.janusCode === 427 && attempt < 5)) throw e;
      }
    }
    try {
      const handle = await this.attach();
      const joined = await this.timed(
        'join',
        handle.joinPublisher({ room: janusRoom, token: anchorToken, pin, display: 'parley:receive-only' }),
      ).catch(async (e: unknown) => {
        await this.detach(handle).catch(() => undefined);
        throw e;
      });
      // Spent: nobody can ever join with it again.
      await this.request(this.control, 'allowed', {
        request: 'allowed',
        room: janusRoom,
        secret,
        action: 'remove',
        allowed: [anchorToken],
      });
      const room: Room = {
        roomId: spec.roomId,
        janusRoom,
        secret,
        pin,
        spec: { ...spec },
        anchor: { handle, feedId: joined.feed, privateId: joined.private_id },
        seats: new Map(),
        talking: new TalkingTracker(spec.roomId),
      };
      handle.on(this.lib.videoRoom.EVENT.VIDEOROOM_TALKING, (data) => this.heardTalking(room, data));
      return room;
    } catch (e) {
      await this.request(this.control, 'destroy', { request: 'destroy', room: janusRoom, secret }).catch(() => undefined);
      throw this.failure('open the room', e);
    }
  }

  private async tearDown(room: Room, seat: Seat): Promise<void> {
    room.seats.delete(seat.participantId);
    const failures: unknown[] = [];
    const step = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        failures.push(e);
      }
    };
    // Their reception first: it is what a move must cut at once.
    if (seat.subscription) await step(() => this.dropSubscription(seat));
    if (seat.publisher) {
      this.stoppedTalking(room, seat.participantId);
      const feed = seat.publisher.feedId;
      await step(() =>
        this.request(this.control, 'kick', { request: 'kick', room: room.janusRoom, secret: room.secret, id: feed }).catch((e) => {
          if (!(e instanceof JanusRequestError && e.janusCode === 428)) throw e;
        }),
      );
      await step(() => this.detach(seat.publisher!.handle));
    }
    if (seat.token) await step(() => this.allow(room, 'remove', seat.token!));
    if (failures.length) {
      this.opts.logger?.warn(`evicting ${seat.participantId} from ${room.roomId}: ${failures.map((f) => (f as Error).message).join('; ')}`);
      throw this.failure('evict', failures[0]);
    }
  }

  /** A publisher handle in the room, joined with the seat's token. */
  private async joinPublisher(room: Room, seat: Seat): Promise<PublisherSeat> {
    const handle = await this.attach();
    try {
      const joined = await this.timed(
        'join',
        handle.joinPublisher({ room: room.janusRoom, token: seat.token!, pin: room.pin, display: seat.participantId }),
      );
      const publisher: PublisherSeat = {
        handle,
        feedId: joined.feed,
        privateId: joined.private_id,
        used: false,
        published: false,
        up: false,
        whenUp: [],
        streams: [],
        kinds: [],
      };
      handle.on(this.lib.janode.EVENT.HANDLE_WEBRTCUP, () => {
        publisher.up = true;
        for (const f of publisher.whenUp.splice(0)) f();
      });
      // The PeerConnection went away (browser gone, ICE failed, kicked): the feed is no more.
      handle.on(this.lib.janode.EVENT.HANDLE_HANGUP, () => {
        publisher.published = false;
        publisher.up = false;
        if (room.seats.get(seat.participantId)?.publisher === publisher) this.stoppedTalking(room, seat.participantId);
      });
      return publisher;
    } catch (e) {
      await this.detach(handle).catch(() => undefined);
      throw this.failure('join', e);
    }
  }

  /** A Janus talking event on the room's anchor: who it is about, and the room's activity if it changed. */
  private heardTalking(room: Room, data: unknown): void {
    if (this.rooms.get(room.roomId) !== room) return;
    const { feed, talking, audio_level } = (data ?? {}) as { feed?: unknown; talking?: unknown; audio_level?: unknown };
    const seat = [...room.seats.values()].find((s) => s.publisher?.feedId === Number(feed));
    if (!seat || typeof talking !== 'boolean') return;
    this.emitActivity(room.talking.heard(seat.participantId, talking, typeof audio_level === 'number' ? audio_level : undefined));
  }

  /** The participant's feed stopped: if they were speaking, the room hears that they no longer are. */
  private stoppedTalking(room: Room, participantId: string): void {
    this.emitActivity(room.talking.gone(participantId));
  }

  private emitActivity(activity: RoomActivity | null): void {
    if (!activity) return;
    for (const listener of this.activityListeners) {
      try {
        listener(activity);
      } catch (e) {
        this.opts.logger?.warn(`an activity listener failed: ${messageOf(e)}`);
      }
    }
  }

  /** Waits (bounded by SUBSCRIBE_RETRY_MS) until each publisher's PeerConnection is up in Janus. */
  private async publishersUp(publishers: PublisherSeat[]): Promise<void> {
    const waiting = publishers.filter((p) => !p.up);
    if (!waiting.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(waiting.map((p) => new Promise<void>((ok) => p.whenUp.push(ok)))),
      new Promise<void>((ok) => {
        timer = setTimeout(ok, SUBSCRIBE_RETRY_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Asks each publisher of these feeds for a keyframe (VideoRoom `configure` with `keyframe`: Janus
   * sends their browser a PLI), so that a new subscriber decodes at once instead of at the next
   * keyframe. Fire and forget: a publisher gone meanwhile only means there is nothing to wait for.
   */
  private requestKeyframes(room: Room, feedIds: number[]): void {
    if (this.rooms.get(room.roomId) !== room || !this.availability().available) return;
    for (const feedId of feedIds) {
      const p = this.publishedFeeds(room).get(feedId)?.publisher;
      if (!p?.up || !p.kinds.some((k) => k !== 'audio')) continue;
      void this.timed('keyframe', p.handle.configure({ keyframe: true })).catch((e: unknown) => {
        // 428/435: the feed ended meanwhile; anything else is worth a line in the log.
        if (![428, 435].includes(janusCodeOf(e) ?? 0)) this.opts.logger?.warn(`keyframe request to feed ${feedId} failed: ${messageOf(e)}`);
      });
    }
  }

  /** Ends a seat's subscription: its pending keyframe requests, then its handle (and PeerConnection). */
  private async dropSubscription(seat: Seat): Promise<void> {
    const sub = seat.subscription;
    if (!sub) return;
    seat.subscription = null;
    for (const t of sub.keyframes) clearTimeout(t);
    await this.detach(sub.handle);
  }

  /** A room closed while a seat was being set up: what was just made goes too. */
  private async stillOpen(room: Room, seat: Seat): Promise<void> {
    if (this.rooms.get(room.roomId) === room) return;
    await this.tearDown(room, seat).catch(() => undefined);
    throw new DomainError('MEDIA_NOT_JOINED', "This room's media was closed meanwhile.", 'roomId');
  }

  private publishedFeeds(room: Room): Map<number, { participantId: string; publisher: PublisherSeat }> {
    const out = new Map<number, { participantId: string; publisher: PublisherSeat }>();
    for (const seat of room.seats.values()) {
      if (seat.publisher?.published) out.set(seat.publisher.feedId, { participantId: seat.participantId, publisher: seat.publisher });
    }
    return out;
  }

  /** A publisher that just published answers 428 for a moment, until its PeerConnection is up. */
  private async retryWhileConnecting<T>(f: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + SUBSCRIBE_RETRY_MS;
    for (;;) {
      try {
        return await f();
      } catch (e) {
        if (janusCodeOf(e) !== 428 || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  private allow(room: Room, action: 'add' | 'remove', token: string): Promise<unknown> {
    return this.request(this.control, 'allowed', {
      request: 'allowed',
      room: room.janusRoom,
      secret: room.secret,
      action,
      allowed: [token],
    });
  }

  private async attach(): Promise<VideoRoomHandle> {
    try {
      return await this.timed('attach', this.session.attach(this.lib.videoRoom));
    } catch (e) {
      throw this.failure('attach', e);
    }
  }

  private async detach(handle: VideoRoomHandle): Promise<void> {
    await this.timed('detach', handle.detach());
  }

  /** A raw VideoRoom request; Janus' refusals become JanusRequestError. */
  private async request(handle: VideoRoomHandle, what: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      const res = await this.timed(what, handle.message(body));
      return res.plugindata?.data ?? {};
    } catch (e) {
      throw this.failure(what, e);
    }
  }

  /** Every request to Janus is bounded: by the timeout, and by the loss of Janus (at once). */
  private timed<T>(what: string, p: Promise<T>): Promise<T> {
    if (this.lostReason) {
      void p.catch(() => undefined); // sent on a dead connection: its own failure says nothing new
      return Promise.reject(this.unavailable());
    }
    const ms = this.opts.requestTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    let cut: ((e: Error) => void) | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new JanusRequestError(what, null, `no answer from Janus within ${ms} ms`)), ms);
      cut = reject;
      this.inFlight.add(reject);
    });
    return Promise.race([p, bound]).finally(() => {
      clearTimeout(timer);
      this.inFlight.delete(cut!);
    });
  }

  private failure(what: string, e: unknown): Error {
    // Janus went away under this request: an outage (retry later), not a refusal.
    if (this.lostReason && !(e instanceof DomainError && e.code !== 'MEDIA_FAILED')) return this.unavailable();
    if (e instanceof DomainError) return e;
    const reason = messageOf(e);
    this.opts.logger?.warn(`Janus ${what} failed: ${reason}`);
    return new JanusRequestError(what, janusCodeOf(e), reason);
  }

  /**
   * Janus is gone (its process ended, the connection or the session closed): every room, handle
   * and seat went with it, and nothing of it can be trusted or torn down any more. Requests in
   * flight end now with MEDIA_UNAVAILABLE. Idempotent; nothing after shutdown().
   */
  lose(reason: string): void {
    if (this.closed || this.lostReason) return;
    this.lostReason = reason;
    const sessionIds = [...new Set([...this.rooms.values()].map((r) => r.spec.sessionId))];
    this.rooms.clear();
    for (const cut of this.inFlight) cut(this.unavailable());
    this.inFlight.clear();
    // Logged by whoever watches `lost` (SfuSupervisor, and the platform's DependencyMonitor).
    // A connection that survived its Janus is closed (no-op when it is the connection that went).
    void this.connection.close().catch(() => undefined);
    this.resolveLost({ reason, sessionIds });
  }

  private unavailable(): DomainError {
    return new DomainError('MEDIA_UNAVAILABLE', `Media is unavailable: ${this.lostReason ?? 'the media adapter has been shut down'}.`);
  }

  private assertUp(): void {
    const a = this.availability();
    if (!a.available) throw new DomainError('MEDIA_UNAVAILABLE', `Media is unavailable: ${a.reason}.`);
  }

  private roomOf(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw new DomainError('MEDIA_NOT_JOINED', 'This room has no media open.', 'roomId');
    return room;
  }

  private seatOf(room: Room, participantId: string): Seat {
    const seat = room.seats.get(participantId);
    if (!seat) throw new DomainError('MEDIA_NOT_JOINED', 'Not admitted to the media of this room.', 'roomId');
    return seat;
  }

  private capBps(spec: MediaRoomSpec): number {
    return Math.round((spec.bitrateCapKbps ?? this.opts.defaultBitrateKbps ?? 1024) * 1000);
  }
}

const seatKey = (roomId: string, participantId: string) => `seat:${roomId}:${participantId}`;
const secretToken = () => randomBytes(24).toString('base64url');

/** What a feed carries, from the streams Janus accepted and the descriptions Parley gave them. */
function kindsOf(streams: VideoRoomStream[], offered: MediaKind[]): MediaKind[] {
  const kinds = new Set<MediaKind>();
  for (const s of streams) {
    if (s.disabled) continue;
    if (s.type === 'audio') kinds.add('audio');
    if (s.type === 'video') kinds.add(s.description === 'screen' ? 'screen' : 'video');
  }
  return offered.filter((k) => kinds.has(k));
}

/** Janus' description of a subscription's m-lines, reduced to what a browser needs to place tracks. */
export function subscribedStreams(
  streams: VideoRoomStream[] | undefined,
  published: ReadonlyMap<number, VideoRoomStream[]> = new Map(),
): SubscribedStream[] {
  return (streams ?? []).flatMap((s) => {
    if ((s.type !== 'audio' && s.type !== 'video') || s.feed_id === undefined) return [];
    // The screen is the video m-line its publisher described so (restrictOffer's descriptions),
    // as Janus repeats it (feed_description) or as the publisher's own streams say.
    const description = s.feed_description ?? published.get(s.feed_id)?.find((p) => p.mid === s.feed_mid)?.description ?? null;
    const screen = s.type === 'video' && description === 'screen';
    return [{ mid: s.mid, feedId: String(s.feed_id), kind: s.type, ...(screen ? { screen: true as const } : {}) }];
  });
}

/** The promise, or a rejection with `why` after `ms` (the timer never outlives the race). */
function within<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** What went wrong, in words: janode rejects some requests with a WebSocket event, not an Error. */
function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  const event = e as { message?: unknown; error?: { message?: unknown }; type?: unknown } | null;
  const said = event?.message ?? event?.error?.message ?? event?.type;
  return typeof said === 'string' && said ? said : String(e);
}

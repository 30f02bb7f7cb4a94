import { randomBytes } from 'node:crypto';
import type { SubscribedStream, VideoLayer } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import { Listeners } from '../listeners';
import { SFU_POOR_LINK } from '../../domain/link-quality.policy';
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
  SfuReset,
  SfuRoom,
  SubscribeOffer,
  SubscribeRequest,
} from '../../application/media.port';
import { KeyedLock } from '../keyed-lock';
import {
  loadMediasoup,
  type Mediasoup,
  type MsConsumer,
  type MsProducer,
  type MsRouter,
  type MsRtpObserver,
  type MsWebRtcTransport,
  type MsWorker,
} from './mediasoup-lib';
import { answerDtls, planPublish, subscribeOffer } from './sdp-bridge';

export interface MediasoupAdapterOptions {
  /** How many workers (processes); rooms are spread over them. */
  workers: number;
  /** The address the WebRTC transports listen on. */
  listenIp: string;
  /** The address announced to browsers in ICE candidates (null: listenIp). */
  announcedAddress?: string | null;
  minPort: number;
  maxPort: number;
  /** A room's video bitrate cap when its spec has none, in kbit/s. */
  defaultBitrateKbps: number;
  logger?: { log(m: string): void; warn(m: string): void };
  /** The worker's own log level (default 'warn', which mediasoup sends to its `debug` logger). */
  workerLogLevel?: 'debug' | 'warn' | 'error' | 'none';
}

/** mediasoup refused or failed a request: the client gets MEDIA_FAILED, the log gets mediasoup's words. */
export class MediasoupRequestError extends DomainError {
  constructor(
    readonly request: string,
    readonly reason: string,
  ) {
    super('MEDIA_FAILED', 'The media server could not do this; nothing else was changed.');
    this.name = 'MediasoupRequestError';
  }
}

/**
 * What browsers send, and what the router offers its consumers: Opus, VP8, and H.264 constrained
 * baseline in packetization mode 1 (the profile every browser encodes and decodes).
 */
export const MEDIA_CODECS = [
  { kind: 'audio' as const, mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video' as const, mimeType: 'video/VP8', clockRate: 90000 },
  {
    kind: 'video' as const,
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/** Audio on top of the video cap, in a publisher's transport budget (Opus tops out near 64 kbit/s here). */
const AUDIO_ALLOWANCE_BPS = 64_000;
/** Levels are sampled this often; a speaker is anyone above the threshold (about a quiet voice). */
const AUDIO_LEVEL_INTERVAL_MS = 400;
const AUDIO_LEVEL_THRESHOLD_DBOV = -70;
const ACTIVE_SPEAKER_INTERVAL_MS = 300;

/** What the worker says of one of a seat's transports (tests and diagnostics). */
export interface SeatTransportView {
  producerIds: string[];
  consumerIds: string[];
  bytesReceived: number;
  rtpBytesReceived: number;
  /** The cap the worker applies to what it receives on this transport, in bit/s (null: none). */
  maxIncomingBitrate: number | null;
}

interface WorkerSlot {
  index: number;
  /** null while a dead worker is being replaced. */
  worker: MsWorker | null;
  rooms: Set<string>;
}

interface Publisher {
  transport: MsWebRtcTransport;
  producers: MsProducer[];
  feedId: string;
  kinds: MediaKind[];
}

/** When a new subscription's video producers are asked for a keyframe again, after its DTLS came up. */
const KEYFRAME_REPEATS_MS = [320, 700];

interface Subscription {
  transport: MsWebRtcTransport;
  /** `layers`: how many simulcast layers its producer sends (1: none). */
  consumers: { consumer: MsConsumer; feedId: string; layers: number }[];
  answered: boolean;
}

interface Seat {
  participantId: string;
  mayPublish: boolean;
  publisher: Publisher | null;
  subscription: Subscription | null;
}

interface Room {
  roomId: string;
  spec: MediaRoomSpec;
  slot: WorkerSlot;
  router: MsRouter;
  audioLevel: MsRtpObserver;
  activeSpeaker: MsRtpObserver;
  seats: Map<string, Seat>;
  dominant: string | null;
  levels: { participantId: string; dBov: number }[];
}

/**
 * The media port on mediasoup: a pool of workers, a router per Parley room on the least-loaded
 * worker, and Parley's SDP contract bridged on the server (sdp-bridge.ts), so the page talks SDP to
 * Parley whatever the SFU.
 *
 * Per participant and room: a send transport with one producer per m-line it may send (only for a
 * seat admitted with `mayPublish`), and a receive transport with one consumer per feed's track
 * (every seat). Who may publish is enforced in the SFU by construction: a receive-only seat has no
 * send transport, and the adapter never calls `produce` on a receive transport, so RTP an observer
 * sends on its receive transport matches no producer and the worker drops it.
 *
 * Consumers use the router's own RTP capabilities: Parley's contract does not carry the browser's
 * receive capabilities (the page never runs mediasoup-client), and the router offers only what
 * every browser receives (Opus, VP8, H.264 42e01f, and the header extensions libwebrtc, Firefox and
 * Safari implement); the browser's answer then takes what it supports of the offer, as with Janus.
 */
export class MediasoupMediaAdapter implements MediaPort {
  private readonly rooms = new Map<string, Room>();
  /** Every router on our workers, by id, as the workers report them (not only those in `rooms`). */
  private readonly routers = new Map<string, MsRouter>();
  private readonly locks = new KeyedLock();
  private readonly resetListeners: ((reset: SfuReset) => void)[] = [];
  private readonly activityListeners: ((activity: RoomActivity) => void)[] = [];
  private lostReason: string | null = null;
  private closed = false;
  /**
   * Resolves once, when a dead worker could not be replaced: SfuSupervisor then starts a whole
   * new adapter (with backoff). A worker that dies and is replaced is not a loss: its rooms'
   * sessions are told through onReset. Never resolves after shutdown().
   */
  readonly lost: Promise<SfuLoss>;
  private resolveLost!: (loss: SfuLoss) => void;

  private constructor(
    private readonly opts: MediasoupAdapterOptions,
    private readonly lib: Mediasoup,
    private readonly slots: WorkerSlot[],
  ) {
    this.lost = new Promise((resolve) => {
      this.resolveLost = resolve;
    });
    for (const slot of slots) this.watch(slot, slot.worker!);
  }

  /** Loads mediasoup and starts the workers; rejects (MediasoupMissing, or the worker's error) when it cannot. */
  static async start(opts: MediasoupAdapterOptions): Promise<MediasoupMediaAdapter> {
    const lib = await loadMediasoup();
    const slots: WorkerSlot[] = [];
    try {
      for (let index = 0; index < Math.max(1, opts.workers); index++) {
        slots.push({ index, worker: await lib.createWorker({ logLevel: opts.workerLogLevel ?? 'warn' }), rooms: new Set() });
      }
    } catch (e) {
      for (const s of slots) s.worker?.close();
      throw new Error(`mediasoup ${lib.version}: a worker did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new MediasoupMediaAdapter(opts, lib, slots);
  }

  /** One line for the start log: version, workers, pids, where transports listen. */
  describe(): string {
    const pids = this.slots.map((s) => s.worker?.pid ?? '?').join(', ');
    const at = this.opts.announcedAddress ? `${this.opts.listenIp} (announced as ${this.opts.announcedAddress})` : this.opts.listenIp;
    return `mediasoup ${this.lib.version}, ${this.slots.length} worker${this.slots.length === 1 ? '' : 's'} (pid${this.slots.length === 1 ? '' : 's'} ${pids}) on ${at}:${this.opts.minPort}-${this.opts.maxPort}`;
  }

  /** The workers' pids, for tests and diagnostics. */
  workerPids(): number[] {
    return this.slots.flatMap((s) => (s.worker ? [s.worker.pid] : []));
  }

  availability(): MediaAvailability {
    if (this.closed) return { available: false, reason: 'the media adapter has been shut down' };
    if (this.lostReason) return { available: false, reason: this.lostReason };
    const n = this.slots.length;
    return { available: true, sfu: `mediasoup ${this.lib.version}, ${n} worker${n === 1 ? '' : 's'}`, engine: 'mediasoup' };
  }

  onReset(listener: (reset: SfuReset) => void): void {
    this.resetListeners.push(listener);
  }

  onActivity(listener: (activity: RoomActivity) => void): void {
    this.activityListeners.push(listener);
  }

  private readonly links = new Listeners<LinkReport>('link', () => this.opts.logger);
  onLinkReport(listener: (report: LinkReport) => void): void {
    this.links.add(listener);
  }

  async openRoom(spec: MediaRoomSpec): Promise<void> {
    this.assertUp();
    await this.locks.run(`room:${spec.roomId}`, async () => {
      const existing = this.rooms.get(spec.roomId);
      if (!existing) {
        const room = await this.createRoom(spec);
        this.rooms.set(spec.roomId, room);
        return;
      }
      const before = this.capKbps(existing.spec);
      existing.spec = { ...spec };
      if (before === this.capKbps(spec)) return;
      // Transports take the new cap at once; a browser's encoder takes it from its next answer (a publish).
      for (const seat of existing.seats.values()) {
        if (seat.publisher)
          await this.request('set the bitrate cap', () => seat.publisher!.transport.setMaxIncomingBitrate(this.maxIncomingBps(spec)));
      }
    });
  }

  async closeRoom(roomId: string): Promise<void> {
    if (!this.availability().available) return;
    await this.locks.run(`room:${roomId}`, () => {
      const room = this.rooms.get(roomId);
      if (!room) return Promise.resolve();
      this.forget(room);
      // The router takes every transport, producer, consumer and observer in it along.
      room.router.close();
      return Promise.resolve();
    });
  }

  async admit(roomId: string, participantId: string, mayPublish: boolean): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), () => {
      const previous = room.seats.get(participantId);
      // A new admission is a fresh seat: whatever the previous one carried goes first.
      if (previous) this.tearDown(room, previous);
      if (this.rooms.get(roomId) !== room) throw new DomainError('MEDIA_NOT_JOINED', "This room's media was closed meanwhile.", 'roomId');
      room.seats.set(participantId, { participantId, mayPublish, publisher: null, subscription: null });
      return Promise.resolve();
    });
  }

  async publish(req: PublishRequest): Promise<PublishAnswer> {
    this.assertUp();
    const room = this.roomOf(req.roomId);
    return this.locks.run(seatKey(req.roomId, req.participantId), async () => {
      const seat = this.seatOf(room, req.participantId);
      if (!seat.mayPublish) throw new DomainError('OBSERVER_READ_ONLY', 'This seat receives only: it may not publish.', 'kinds');
      const plan = planPublish(req.offerSdp, req.kinds, room.router.rtpCapabilities);
      // One feed per participant: publishing again (a reload, a new camera) replaces the old one.
      if (seat.publisher) {
        this.closePublisher(room, seat.publisher);
        seat.publisher = null;
      }
      const transport = await this.createTransport(room, seat, 'send');
      try {
        await this.request('connect', () => transport.connect({ dtlsParameters: plan.dtlsParameters }));
        await this.request('set the bitrate cap', () => transport.setMaxIncomingBitrate(this.maxIncomingBps(room.spec)));
        const feedId = randomBytes(12).toString('base64url');
        const producers: MsProducer[] = [];
        for (const p of plan.producers) {
          const producer = await this.request('produce', () =>
            transport.produce({
              kind: p.kind,
              rtpParameters: p.rtpParameters,
              appData: { participantId: seat.participantId, feedId, mediaKind: p.mediaKind },
            }),
          );
          producers.push(producer);
          if (p.kind === 'audio') {
            await this.request('observe audio', () => room.audioLevel.addProducer({ producerId: producer.id }));
            await this.request('observe audio', () => room.activeSpeaker.addProducer({ producerId: producer.id }));
          }
        }
        const answerSdp = plan.answer(transport, { videoBitrateKbps: this.capKbps(room.spec) });
        const kinds = req.kinds.filter((k) => plan.producers.some((p) => p.mediaKind === k));
        const publisher: Publisher = { transport, producers, feedId, kinds: [...new Set(kinds)] };
        seat.publisher = publisher;
        // The browser closed its PeerConnection (DTLS close alert) or DTLS failed: the feed is no more.
        this.onGone(transport, () => {
          if (seat.publisher !== publisher) return;
          this.closePublisher(room, publisher);
          seat.publisher = null;
        });
        this.stillOpen(room, seat);
        return { answerSdp, feedId };
      } catch (e) {
        transport.close();
        throw this.failure('publish', e);
      }
    });
  }

  async unpublish(roomId: string, participantId: string): Promise<void> {
    if (!this.availability().available) return;
    const room = this.rooms.get(roomId);
    if (!room) return;
    await this.locks.run(seatKey(roomId, participantId), () => {
      const seat = room.seats.get(participantId);
      if (seat?.publisher) {
        this.closePublisher(room, seat.publisher);
        seat.publisher = null;
      }
      return Promise.resolve();
    });
  }

  async subscribe(req: SubscribeRequest): Promise<SubscribeOffer> {
    this.assertUp();
    const room = this.roomOf(req.roomId);
    return this.locks.run(seatKey(req.roomId, req.participantId), async () => {
      const seat = this.seatOf(room, req.participantId);
      const feeds = this.publishedFeeds(room);
      const wanted: { feedId: string; producer: MsProducer }[] = [];
      const included: string[] = [];
      for (const feedId of new Set(req.feedIds)) {
        const publisher = feeds.get(feedId);
        if (!publisher) throw new DomainError('FEED_NOT_FOUND', 'No such feed in this room.', 'feedIds');
        const producers = publisher.producers.filter((p) => !p.closed && (!req.audioOnly || p.kind === 'audio'));
        if (!producers.length) continue;
        included.push(feedId);
        wanted.push(...producers.map((producer) => ({ feedId, producer })));
      }
      if (!wanted.length) throw new DomainError('FEED_NOT_FOUND', 'None of these feeds has anything to receive (audio only).', 'feedIds');
      // One subscription per participant and room: a new one replaces the old.
      if (seat.subscription) {
        seat.subscription.transport.close();
        seat.subscription = null;
      }
      const transport = await this.createTransport(room, seat, 'recv');
      try {
        const caps = room.router.rtpCapabilities;
        const consumers: Subscription['consumers'] = [];
        /** What each consumer carries, as its producer was described at publish (the screen is its own tile). */
        const sources = new Map<MsConsumer, MediaKind>();
        for (const { feedId, producer } of wanted) {
          if (!room.router.canConsume({ producerId: producer.id, rtpCapabilities: caps })) continue;
          const layers = producer.rtpParameters.encodings?.length ?? 1;
          const consumer = await this.request('consume', () =>
            transport.consume({
              producerId: producer.id,
              rtpCapabilities: caps,
              paused: true,
              ...(layers > 1 ? { preferredLayers: { spatialLayer: spatialLayerOf(req.layer ?? 'high', layers) } } : {}),
              appData: { feedId },
            }),
          );
          consumers.push({ consumer, feedId, layers });
          sources.set(consumer, sourceOf(producer));
        }
        if (!consumers.length) throw new DomainError('FEED_NOT_FOUND', 'These feeds are not live any more.', 'feedIds');
        const subscription: Subscription = { transport, consumers, answered: false };
        // A feed that goes (unpublished, its publisher evicted): its consumer closed with it.
        for (const c of consumers) {
          c.consumer.on('producerclose', () => {
            subscription.consumers = subscription.consumers.filter((x) => x !== c);
          });
        }
        // Keyframes on demand: once the browser's DTLS is up, each video consumer asks its producer for one.
        // Asked again a little later: Chrome's encoder honours one keyframe request per 300 ms, so one
        // landing just after the publisher's own first keyframe (a mover who just published) is dropped.
        transport.on('dtlsstatechange', (state: string) => {
          if (state !== 'connected') return;
          this.requestKeyFrames(subscription);
          for (const ms of KEYFRAME_REPEATS_MS) setTimeout(() => this.requestKeyFrames(subscription), ms).unref();
        });
        // The SFU's side of the receiver's link: every second, a consumer scoring poorly (the loss the
        // browser reports) is a report; the media domain's link-quality.policy makes a poor link of them.
        const scores = setInterval(() => {
          if (seat.subscription !== subscription || transport.closed) return clearInterval(scores);
          if (
            subscription.consumers.some(
              ({ consumer }) => !consumer.closed && !consumer.paused && consumer.score.score <= SFU_POOR_LINK.poorScore,
            )
          )
            this.links.emit({ roomId: req.roomId, participantId: req.participantId, lost: null });
        }, 1000);
        scores.unref();
        this.onGone(transport, () => {
          clearInterval(scores);
          if (seat.subscription !== subscription) return;
          transport.close();
          seat.subscription = null;
        });
        const offerSdp = subscribeOffer(
          transport,
          consumers.map(({ consumer, feedId }) => ({
            mid: consumer.rtpParameters.mid!,
            kind: consumer.kind,
            rtpParameters: consumer.rtpParameters,
            streamId: feedId,
            trackId: consumer.id,
          })),
        );
        seat.subscription = subscription;
        this.stillOpen(room, seat);
        const streams: SubscribedStream[] = consumers.map(({ consumer, feedId }) => ({
          mid: consumer.rtpParameters.mid!,
          feedId,
          kind: consumer.kind,
          ...(sources.get(consumer) === 'screen' ? { screen: true as const } : {}),
        }));
        return { offerSdp, feedIds: included.filter((f) => consumers.some((c) => c.feedId === f)), streams };
      } catch (e) {
        transport.close();
        throw this.failure('subscribe', e);
      }
    });
  }

  async setLayer(roomId: string, participantId: string, layer: VideoLayer): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const sub = this.seatOf(room, participantId).subscription;
      for (const { consumer, layers } of sub?.consumers ?? []) {
        if (consumer.closed || consumer.type !== 'simulcast') continue;
        await this.request('layers', () => consumer.setPreferredLayers({ spatialLayer: spatialLayerOf(layer, layers) }));
      }
    });
  }

  async answer(roomId: string, participantId: string, answerSdp: string): Promise<void> {
    this.assertUp();
    const room = this.roomOf(roomId);
    await this.locks.run(seatKey(roomId, participantId), async () => {
      const sub = this.seatOf(room, participantId).subscription;
      if (!sub) throw new DomainError('MEDIA_NOT_JOINED', 'There is no subscription offer to answer: subscribe first.');
      if (sub.answered) throw new DomainError('MEDIA_NOT_JOINED', 'This subscription offer was answered already: subscribe again.');
      const dtlsParameters = answerDtls(answerSdp);
      try {
        await sub.transport.connect({ dtlsParameters });
      } catch (e) {
        throw this.failure('connect', e);
      }
      sub.answered = true;
      for (const { consumer } of sub.consumers) await this.request('resume', () => consumer.resume());
      this.requestKeyFrames(sub);
    });
  }

  async evict(roomId: string, participantId: string): Promise<void> {
    if (!this.availability().available) return;
    const room = this.rooms.get(roomId);
    if (!room) return;
    await this.locks.run(seatKey(roomId, participantId), () => {
      const seat = room.seats.get(participantId);
      if (seat) this.tearDown(room, seat);
      return Promise.resolve();
    });
  }

  feeds(roomId: string): Promise<Feed[]> {
    const room = this.rooms.get(roomId);
    if (!room || !this.availability().available) return Promise.resolve([]);
    return Promise.resolve(
      [...this.publishedFeeds(room).values()].map((p) => ({
        feedId: p.feedId,
        participantId: p.participantId,
        kinds: [...p.kinds],
      })),
    );
  }

  async stats(roomId: string): Promise<RoomMediaStats> {
    const room = this.rooms.get(roomId);
    const none = { roomId, publishers: 0, subscribers: 0, participants: [] };
    if (!room || !this.availability().available) return none;
    // The router's own view: what the SFU carries, not what the adapter hopes.
    const dump = await this.request('dump', () => room.router.dump());
    const transports = new Set(dump.transportIds);
    const producing = new Set(dump.mapProducerIdConsumerIds.map((m) => m.key));
    let publishers = 0;
    let subscribers = 0;
    const participants = new Set<string>();
    for (const seat of room.seats.values()) {
      // A seat that may publish is in the room as a Janus publisher seat is (joined, publishing or
      // not), so that both adapters count alike; a receive-only seat counts by its subscription.
      if (seat.mayPublish) participants.add(seat.participantId);
      const p = seat.publisher;
      if (p && transports.has(p.transport.id) && p.producers.some((x) => producing.has(x.id))) {
        publishers++;
        participants.add(seat.participantId);
      }
      if (seat.subscription && transports.has(seat.subscription.transport.id)) {
        subscribers++;
        participants.add(seat.participantId);
      }
    }
    return { roomId, publishers, subscribers, participants: [...participants].sort() };
  }

  /** The routers each worker says it has (worker.dump), each with the producers it says it holds (router.dump). */
  async sfuRooms(): Promise<SfuRoom[]> {
    if (!this.availability().available) return [];
    const out: SfuRoom[] = [];
    for (const slot of this.slots) {
      const worker = slot.worker;
      if (!worker || worker.closed) continue;
      const { routerIds } = await this.request('dump the worker', () => worker.dump());
      for (const id of routerIds) {
        const router = this.routers.get(id);
        if (!router || router.closed) {
          out.push({ sfuRoomId: id, roomId: null, publishers: 0 });
          continue;
        }
        const dump = await this.request('dump the router', () => router.dump());
        const roomId = typeof router.appData.roomId === 'string' ? router.appData.roomId : null;
        out.push({ sfuRoomId: id, roomId, publishers: dump.mapProducerIdConsumerIds.length });
      }
    }
    return out;
  }

  /** Closes every worker (and with them every router) and waits, 2 s at most, for their processes to end. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rooms.clear();
    const ended: Promise<void>[] = [];
    for (const slot of this.slots) {
      const worker = slot.worker;
      slot.worker = null;
      if (!worker || worker.closed) continue;
      ended.push(
        new Promise<void>((done) => {
          const timer = setTimeout(done, 2_000);
          worker.once('subprocessclose', () => {
            clearTimeout(timer);
            done();
          });
        }),
      );
      worker.close();
    }
    await Promise.all(ended);
  }

  /** For tests and diagnostics: the pid of the worker whose router carries a room (null: none). */
  workerPidOf(roomId: string): number | null {
    return this.rooms.get(roomId)?.slot.worker?.pid ?? null;
  }

  /**
   * For tests and diagnostics, never for clients: what the SFU says a seat's transports hold
   * (producers on each, bytes received), asked of the worker.
   */
  async seatTransports(roomId: string, participantId: string): Promise<Record<'send' | 'recv', SeatTransportView | null>> {
    const seat = this.rooms.get(roomId)?.seats.get(participantId);
    const view = async (t: MsWebRtcTransport | undefined): Promise<SeatTransportView | null> => {
      if (!t || t.closed) return null;
      const [dump, [stats]] = await Promise.all([t.dump(), t.getStats()]);
      return {
        producerIds: dump.producerIds,
        consumerIds: dump.consumerIds,
        bytesReceived: stats.bytesReceived,
        rtpBytesReceived: stats.rtpBytesReceived,
        maxIncomingBitrate: stats.maxIncomingBitrate ?? null,
      };
    };
    return { send: await view(seat?.publisher?.transport), recv: await view(seat?.subscription?.transport) };
  }

  // --- inside ---

  private watch(slot: WorkerSlot, worker: MsWorker): void {
    worker.observer.on('newrouter', (router: MsRouter) => {
      this.routers.set(router.id, router);
      router.observer.once('close', () => this.routers.delete(router.id));
    });
    worker.on('died', (e: Error) => {
      void this.replace(slot, worker, e);
    });
  }

  /**
   * A worker died: its routers (rooms) went with it. They are forgotten, a new worker takes the
   * slot, and the sessions of those rooms are told to join their media again (rooms are made
   * anew on that join). Should no worker start, the adapter is lost and its supervisor takes over.
   */
  private async replace(slot: WorkerSlot, dead: MsWorker, e: Error): Promise<void> {
    if (this.closed || this.lostReason || slot.worker !== dead) return;
    slot.worker = null;
    const gone = [...this.rooms.values()].filter((r) => r.slot === slot);
    for (const room of gone) this.forget(room);
    const sessionIds = [...new Set(gone.map((r) => r.spec.sessionId))];
    this.opts.logger?.warn(
      `mediasoup worker pid ${dead.pid} died (${e.message}); ${gone.length} room(s) lost with it; starting a new worker`,
    );
    let worker: MsWorker;
    try {
      worker = await this.lib.createWorker({ logLevel: this.opts.workerLogLevel ?? 'warn' });
    } catch (err) {
      this.lose(`a mediasoup worker died and no new one starts: ${err instanceof Error ? err.message : String(err)}`, sessionIds);
      return;
    }
    if (this.closed || this.lostReason) {
      worker.close();
      return;
    }
    slot.worker = worker;
    this.watch(slot, worker);
    this.opts.logger?.log(
      `mediasoup worker pid ${worker.pid} replaces pid ${dead.pid}; ${sessionIds.length} session(s) told to join their media again`,
    );
    const reset: SfuReset = { reason: 'sfu_restarted', sessionIds };
    for (const l of this.resetListeners) {
      try {
        l(reset);
      } catch (err) {
        this.opts.logger?.warn(`after a mediasoup worker was replaced: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private lose(reason: string, alsoSessions: string[]): void {
    if (this.closed || this.lostReason) return;
    this.lostReason = reason;
    const sessionIds = [...new Set([...alsoSessions, ...[...this.rooms.values()].map((r) => r.spec.sessionId)])];
    this.rooms.clear();
    this.resolveLost({ reason, sessionIds });
  }

  private async createRoom(spec: MediaRoomSpec): Promise<Room> {
    const slot = this.leastLoaded();
    const worker = slot.worker!;
    const router = await this.request('create a router', () =>
      worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId: spec.roomId, sessionId: spec.sessionId } }),
    );
    try {
      const audioLevel = await router.createAudioLevelObserver({
        maxEntries: 16,
        threshold: AUDIO_LEVEL_THRESHOLD_DBOV,
        interval: AUDIO_LEVEL_INTERVAL_MS,
      });
      const activeSpeaker = await router.createActiveSpeakerObserver({ interval: ACTIVE_SPEAKER_INTERVAL_MS });
      const room: Room = {
        roomId: spec.roomId,
        spec: { ...spec },
        slot,
        router,
        audioLevel,
        activeSpeaker,
        seats: new Map(),
        dominant: null,
        levels: [],
      };
      this.observeActivity(room);
      slot.rooms.add(spec.roomId);
      return room;
    } catch (e) {
      router.close();
      throw this.failure('open the room', e);
    }
  }

  private observeActivity(room: Room): void {
    const who = (p: MsProducer) => (typeof p.appData.participantId === 'string' ? p.appData.participantId : null);
    room.audioLevel.on('volumes', (volumes: { producer: MsProducer; volume: number }[]) => {
      room.levels = volumes
        .flatMap((v) => {
          const participantId = who(v.producer);
          return participantId ? [{ participantId, dBov: v.volume }] : [];
        })
        .sort((a, b) => b.dBov - a.dBov);
      this.emitActivity(room);
    });
    room.audioLevel.on('silence', () => {
      room.levels = [];
      room.dominant = null;
      this.emitActivity(room);
    });
    room.activeSpeaker.on('dominantspeaker', ({ producer }: { producer: MsProducer }) => {
      room.dominant = who(producer);
      this.emitActivity(room);
    });
  }

  private emitActivity(room: Room): void {
    if (this.rooms.get(room.roomId) !== room) return;
    // The dominant speaker while they are heard; else the loudest heard (the observer has named
    // nobody yet, or keeps naming one who fell silent: it switches on speech, and a steady sound
    // may never count as speech); nobody in silence.
    const heard = room.levels.some((l) => l.participantId === room.dominant);
    const speaking = heard ? room.dominant : (room.levels[0]?.participantId ?? null);
    const activity: RoomActivity = { roomId: room.roomId, speaking, levels: room.levels.map((l) => ({ ...l })) };
    for (const l of this.activityListeners) {
      try {
        l(activity);
      } catch (e) {
        this.opts.logger?.warn(`an activity listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private leastLoaded(): WorkerSlot {
    const live = this.slots.filter((s) => s.worker && !s.worker.closed);
    if (!live.length)
      throw new DomainError('MEDIA_UNAVAILABLE', 'Media is unavailable: no mediasoup worker is running (one is being replaced).');
    return live.reduce((a, b) => (b.rooms.size < a.rooms.size ? b : a));
  }

  private async createTransport(room: Room, seat: Seat, direction: 'send' | 'recv'): Promise<MsWebRtcTransport> {
    const { listenIp, announcedAddress, minPort, maxPort } = this.opts;
    const at = { ip: listenIp, ...(announcedAddress ? { announcedAddress } : {}), portRange: { min: minPort, max: maxPort } };
    return this.request('create a transport', () =>
      room.router.createWebRtcTransport({
        listenInfos: [
          { protocol: 'udp', ...at },
          { protocol: 'tcp', ...at },
        ],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        appData: { participantId: seat.participantId, direction },
      }),
    );
  }

  /** Runs `f` once if the browser's side of a transport goes (DTLS closed by it, or failed). */
  private onGone(transport: MsWebRtcTransport, f: () => void): void {
    let done = false;
    transport.on('dtlsstatechange', (state: string) => {
      if (done || (state !== 'closed' && state !== 'failed')) return;
      done = true;
      f();
    });
  }

  private requestKeyFrames(sub: Subscription): void {
    for (const { consumer } of sub.consumers) {
      if (consumer.kind === 'video' && !consumer.closed) void consumer.requestKeyFrame().catch(() => undefined);
    }
  }

  private closePublisher(room: Room, p: Publisher): void {
    // Closing the transport closes its producers, and with them every consumer of theirs.
    p.transport.close();
    if (room.dominant && p.producers.some((x) => x.appData.participantId === room.dominant)) room.dominant = null;
  }

  /** Reception first (what a move must cut at once), then the feed, then the seat. */
  private tearDown(room: Room, seat: Seat): void {
    room.seats.delete(seat.participantId);
    if (seat.subscription) seat.subscription.transport.close();
    seat.subscription = null;
    if (seat.publisher) this.closePublisher(room, seat.publisher);
    seat.publisher = null;
  }

  /** A room closed while a seat was being set up: what was just made goes too. */
  private stillOpen(room: Room, seat: Seat): void {
    if (this.rooms.get(room.roomId) === room && room.seats.get(seat.participantId) === seat) return;
    this.tearDown(room, seat);
    throw new DomainError('MEDIA_NOT_JOINED', "This room's media was closed meanwhile.", 'roomId');
  }

  private forget(room: Room): void {
    this.rooms.delete(room.roomId);
    room.slot.rooms.delete(room.roomId);
  }

  private publishedFeeds(room: Room): Map<string, Publisher & { participantId: string }> {
    const out = new Map<string, Publisher & { participantId: string }>();
    for (const seat of room.seats.values()) {
      const p = seat.publisher;
      if (p && !p.transport.closed && p.producers.some((x) => !x.closed)) out.set(p.feedId, { ...p, participantId: seat.participantId });
    }
    return out;
  }

  /** A request to mediasoup; its refusal or failure becomes a DomainError. */
  private async request<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw this.failure(what, e);
    }
  }

  private failure(what: string, e: unknown): Error {
    if (e instanceof DomainError) return e;
    if (this.lostReason || this.closed) return this.unavailable();
    const reason = e instanceof Error ? e.message : String(e);
    this.opts.logger?.warn(`mediasoup ${what} failed: ${reason}`);
    return new MediasoupRequestError(what, reason);
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

  private capKbps(spec: MediaRoomSpec): number {
    return spec.bitrateCapKbps ?? this.opts.defaultBitrateKbps;
  }

  /** The send transport's budget: the video cap and room for the audio. */
  private maxIncomingBps(spec: MediaRoomSpec): number {
    return this.capKbps(spec) * 1000 + AUDIO_ALLOWANCE_BPS;
  }
}

const seatKey = (roomId: string, participantId: string) => `seat:${roomId}:${participantId}`;

/** What a producer carries, as planPublish described it: the microphone, the camera or a shared screen. */
const sourceOf = (p: MsProducer): MediaKind => (p.appData.mediaKind === 'screen' ? 'screen' : p.kind === 'audio' ? 'audio' : 'video');

/** The spatial layer a subscriber asking `layer` receives of a producer sending `layers` of them. */
export const spatialLayerOf = (layer: VideoLayer, layers: number): number => (layer === 'low' ? 0 : Math.max(0, layers - 1));

import type { FeedView, MediaCut, MediaFeedsChanged, MediaSubscriptionOffer, SubscribedStream } from '@parley/contracts';
import { api, ApiFailure } from '../lib/api';
import type { SessionController } from '../state/session-controller';
import { qualityFrom, type Quality } from './quality';

export interface Tile {
  participantId: string;
  stream: MediaStream;
  hasVideo: boolean;
}

export interface MediaState {
  /** unavailable: this platform has no SFU (reason says why); idle: not in a room. */
  phase: 'checking' | 'unavailable' | 'idle' | 'joining' | 'live' | 'failed';
  reason: string | null;
  roomId: string | null;
  mayPublish: boolean;
  audioOnly: boolean;
  micOn: boolean;
  cameraOn: boolean;
  local: MediaStream | null;
  tiles: Tile[];
  quality: Quality | null;
}

const gathered = (pc: RTCPeerConnection) => new Promise<void>((ok) => {
  if (pc.iceGatheringState === 'complete') return ok();
  const check = () => { if (pc.iceGatheringState === 'complete') { pc.removeEventListener('icegatheringstatechange', check); ok(); } };
  pc.addEventListener('icegatheringstatechange', check);
  // Gathering on a host with many interfaces can stall on one of them: send what we have.
  setTimeout(ok, 3000);
});

/**
 * The page's media: one publisher PeerConnection (camera and microphone) and one subscriber
 * PeerConnection carrying every feed of the room, both negotiated with Janus through Parley's
 * socket (media.join / publish / subscribe / answer). The server decides where we are: a move
 * arrives as `media.cut` then `participant.location`, and `enter(room)` follows it.
 */
export class MediaEngine {
  state: MediaState = {
    phase: 'checking', reason: null, roomId: null, mayPublish: false, audioOnly: false, micOn: true, cameraOn: true,
    local: null, tiles: [], quality: null,
  };
  private publisher: RTCPeerConnection | null = null;
  private subscriber: RTCPeerConnection | null = null;
  private feeds: FeedView[] = [];
  private subscribedKey = '';
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private qualityTimer: ReturnType<typeof setInterval> | null = null;
  private resubscribe: ReturnType<typeof setTimeout> | null = null;
  private subscribing: Promise<void> | null = null;
  private subscribeAgain = false;
  private subscribingGen = -1;

  constructor(private readonly ctl: SessionController) {
    const on = ctl.socket as unknown as { on(e: string, h: (x: never) => void): void };
    on.on('media.feeds', (e: MediaFeedsChanged) => this.onFeeds(e));
    on.on('media.cut', (e: MediaCut) => this.onCut(e));
    void api.mediaStatus().then(
      (s) => this.set(s.available ? { phase: 'idle' } : { phase: 'unavailable', reason: s.reason }),
      () => this.set({ phase: 'unavailable', reason: null }),
    );
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): MediaState => this.state;

  /** Follow the participant into a room (or out of every room: null); `rejoin` takes a fresh seat in the same one. */
  async enter(roomId: string | null, rejoin = false): Promise<void> {
    if (this.state.phase === 'unavailable' || this.state.phase === 'checking') {
      this.set({ roomId });
      return;
    }
    if (!rejoin && roomId === this.state.roomId && this.state.phase === 'live') return;
    const gen = ++this.generation;
    this.closePeers();
    this.set({ roomId, tiles: [], phase: roomId ? 'joining' : 'idle', reason: null });
    if (!roomId) {
      this.stopLocal(); // the lobby: camera and microphone off
      return;
    }
    try {
      const seat = await this.ctl.ask('media.join', { audioOnly: this.state.audioOnly });
      if (gen !== this.generation) return;
      this.feeds = seat.feeds;
      this.set({ mayPublish: seat.mayPublish, audioOnly: seat.audioOnly });
      if (!seat.mayPublish) this.stopLocal();
      await Promise.all([seat.mayPublish ? this.publish(gen) : Promise.resolve(), this.requestSubscription(gen)]);
      if (gen !== this.generation) return;
      this.set({ phase: 'live' });
      this.watchQuality();
    } catch (e) {
      if (gen !== this.generation) return;
      this.set({ phase: 'failed', reason: ApiFailure.of(e).message });
    }
  }

  toggleMic(): void {
    const on = !this.state.micOn;
    this.state.local?.getAudioTracks().forEach((t) => { t.enabled = on; });
    this.set({ micOn: on });
  }

  toggleCamera(): void {
    const on = !this.state.cameraOn;
    this.state.local?.getVideoTracks().forEach((t) => { t.enabled = on; });
    this.set({ cameraOn: on });
  }

  /** Low bandwidth: receive and send audio only (or back to video). Rejoins the same room. */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    this.set({ audioOnly });
    await this.enter(this.state.roomId, true);
  }

  close(): void {
    this.generation++;
    this.closePeers();
    this.stopLocal();
    this.listeners.clear();
  }

  private stopLocal(): void {
    if (!this.state.local) return;
    this.state.local.getTracks().forEach((t) => t.stop());
    this.set({ local: null });
  }

  private async publish(gen: number): Promise<void> {
    const local = await this.localStream(gen);
    if (!local || gen !== this.generation) return;
    const pc = new RTCPeerConnection();
    this.publisher = pc;
    const kinds: Array<'audio' | 'video'> = [];
    for (const track of local.getTracks()) {
      if (track.kind === 'video' && this.state.audioOnly) continue;
      pc.addTrack(track, local);
      kinds.push(track.kind as 'audio' | 'video');
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const r = await this.ctl.ask('media.publish', { offerSdp: pc.localDescription!.sdp, kinds });
    if (gen !== this.generation) return;
    await pc.setRemoteDescription({ type: 'answer', sdp: r.answerSdp });
  }

  /** The camera and microphone, asked for once; in audio-only mode the camera is released. */
  private async localStream(gen: number): Promise<MediaStream | null> {
    const wantVideo = !this.state.audioOnly;
    const have = this.state.local;
    if (have && !wantVideo) {
      for (const t of have.getVideoTracks()) { t.stop(); have.removeTrack(t); }
      return have;
    }
    if (have && have.getVideoTracks().length) return have;
    have?.getTracks().forEach((t) => t.stop());
    const local = await navigator.mediaDevices.getUserMedia({ audio: true, video: wantVideo ? { width: 640, height: 360 } : false });
    if (gen !== this.generation) {
      // Left the room (or the page) while the browser asked: nothing keeps the devices on.
      local.getTracks().forEach((t) => t.stop());
      return null;
    }
    local.getAudioTracks().forEach((t) => { t.enabled = this.state.micOn; });
    local.getVideoTracks().forEach((t) => { t.enabled = this.state.cameraOn; });
    this.set({ local });
    return local;
  }

  /**
   * One subscription at a time: Janus keeps one per seat, so two in flight would leave this page
   * holding the PeerConnection of the one the server replaced. Feeds that change meanwhile are
   * subscribed right after. A feed announced before its publisher is live is retried briefly.
   */
  private requestSubscription(gen: number): Promise<void> {
    if (this.subscribing) {
      if (this.subscribingGen === gen) {
        this.subscribeAgain = true;
        return this.subscribing;
      }
      // The one in flight belongs to a room we left: let it end, then subscribe here.
      return this.subscribing.catch(() => undefined).then(() => this.requestSubscription(gen));
    }
    this.subscribingGen = gen;
    this.subscribing = (async () => {
      try {
        let failures = 0;
        do {
          this.subscribeAgain = false;
          try {
            await this.subscribeAll(gen);
            failures = 0;
          } catch (e) {
            if (++failures >= 10 || gen !== this.generation) throw e;
            this.subscribeAgain = true;
            await new Promise((r) => setTimeout(r, 200));
          }
        } while (this.subscribeAgain && gen === this.generation);
      } finally {
        this.subscribing = null;
      }
    })();
    return this.subscribing;
  }

  /** One subscription carries every feed: a change of feeds (or of what they carry) replaces it. */
  private async subscribeAll(gen: number): Promise<void> {
    const key = feedsKey(this.feeds);
    if (!this.feeds.length) {
      this.subscriber?.close();
      this.subscriber = null;
      this.subscribedKey = '';
      this.set({ tiles: [] });
      return;
    }
    if (key === this.subscribedKey && this.subscriber) return;
    const offer = await this.ctl.ask('media.subscribe', {});
    if (gen !== this.generation) return;
    const pc = new RTCPeerConnection();
    try {
      await this.answerOffer(pc, offer, gen);
    } catch (e) {
      pc.close();
      throw e;
    }
  }

  private async answerOffer(pc: RTCPeerConnection, offer: MediaSubscriptionOffer, gen: number): Promise<void> {
    const tiles = new Map<string, Tile>();
    const byMid = new Map<string, SubscribedStream>(offer.streams.map((s) => [s.mid, s]));
    const owner = new Map(offer.feeds.map((f) => [f.feedId, f.participantId]));
    pc.addEventListener('track', (e) => {
      const s = e.transceiver.mid ? byMid.get(e.transceiver.mid) : undefined;
      const participantId = s ? owner.get(s.feedId) : undefined;
      if (!participantId) return;
      const tile = tiles.get(participantId) ?? { participantId, stream: new MediaStream(), hasVideo: false };
      tile.stream.addTrack(e.track);
      tile.hasVideo ||= e.track.kind === 'video';
      tiles.set(participantId, tile);
      // Shown only once this subscription is the one Janus holds (a failed one shows nothing).
      if (gen === this.generation && this.subscriber === pc) this.set({ tiles: [...tiles.values()] });
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    await this.ctl.ask('media.answer', { answerSdp: pc.localDescription!.sdp });
    if (gen !== this.generation) { pc.close(); return; }
    this.subscriber?.close();
    this.subscriber = pc;
    this.subscribedKey = feedsKey(offer.feeds);
    this.set({ tiles: [...tiles.values()] });
  }

  private onFeeds(e: MediaFeedsChanged): void {
    if (e.roomId !== this.state.roomId || this.state.phase === 'unavailable') return;
    this.feeds = e.feeds.filter((f) => f.participantId !== this.ctl.state.me.id);
    // Several publishers often arrive together (a room filling up): one resubscription for them.
    if (this.resubscribe) clearTimeout(this.resubscribe);
    const gen = this.generation;
    this.resubscribe = setTimeout(() => {
      if (gen !== this.generation) return;
      void this.requestSubscription(gen).catch((err: unknown) => this.set({ reason: ApiFailure.of(err).message }));
    }, 50);
  }

  private onCut(e: MediaCut): void {
    if (e.roomId !== this.state.roomId) return;
    this.generation++;
    this.closePeers();
    this.set({ tiles: [], phase: this.state.phase === 'unavailable' ? 'unavailable' : 'idle', roomId: null });
  }

  private closePeers(): void {
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.subscriber = null;
    this.subscribedKey = '';
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
  }

  private watchQuality(): void {
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    let previous: RTCStatsReport | null = null;
    this.qualityTimer = setInterval(() => {
      const pc = this.subscriber ?? this.publisher;
      if (!pc) return;
      void pc.getStats().then((report) => {
        this.set({ quality: qualityFrom(report, previous) });
        previous = report;
      }, () => undefined);
    }, 2000);
  }

  private set(patch: Partial<MediaState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

/** What a subscription carries: each feed with its kinds (a feed going audio-only changes it). */
const feedsKey = (feeds: FeedView[]) => feeds.map((f) => `${f.feedId}:${[...f.kinds].sort().join('+')}`).sort().join(',');

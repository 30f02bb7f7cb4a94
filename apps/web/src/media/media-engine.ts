import type {
  FeedView,
  MediaActivity,
  MediaCut,
  MediaFeedsChanged,
  MediaKind,
  MediaLink,
  MediaReset,
  MediaSubscriptionOffer,
  SessionReplaced,
  SfuEngine,
  SubscribedStream,
  VideoLayer,
} from '@parley/contracts';
import { api, ApiFailure } from '../lib/api';
import { jittered, type SessionController } from '../state/session-controller';
import { speakingAfter } from './activity';
import { Listening } from './interpretation-listening';
import {
  isPoorLink,
  isThinUplink,
  keepWindow,
  POOR_LINK,
  readingOf,
  THIN_UPLINK,
  uplinkReadingOf,
  type LinkReading,
  type UplinkReading,
} from './low-bandwidth';
import { loadReceiveChoice, saveReceiveChoice } from './receive-choice';
import { keepLayerWindow, layerFor } from './video-layer';
import { withOpusDtx } from './opus-dtx';
import { qualityFrom, type Quality } from './quality';

export interface Tile {
  /** One tile per participant's camera and microphone, and one more for a screen they share. */
  key: string;
  participantId: string;
  /** The feed its tracks come from (an interpretation channel's gain follows it). */
  feedId: string;
  stream: MediaStream;
  hasVideo: boolean;
  /** The tile of a shared screen or window (labelled "<name>'s screen"). */
  screen: boolean;
}

export interface MediaState {
  /**
   * unavailable: this platform has no SFU now (reason says why); idle: not in a room; paused: the
   * session is open on another device; failed: the last attempt failed (`retryAt` says when the
   * next one starts by itself, null when only "Try again" will).
   */
  phase: 'checking' | 'unavailable' | 'idle' | 'joining' | 'live' | 'failed' | 'paused';
  reason: string | null;
  /**
   * Why the last attempt failed, by code (the page words it; `reason` is the server's own text, for
   * logs). `connection`: a PeerConnection failed (ICE or DTLS: the network path to the SFU, not the
   * server), which the page says in its own words.
   */
  failure: { code: string; field?: string; connection?: true } | null;
  retryAt: number | null;
  roomId: string | null;
  mayPublish: boolean;
  audioOnly: boolean;
  micOn: boolean;
  cameraOn: boolean;
  local: MediaStream | null;
  tiles: Tile[];
  quality: Quality | null;
  /** The SFU behind the seat, from media.join: shown discreetly, never deciding anything. */
  sfu: SfuEngine | null;
  /** Who speaks now in this room (the SFU's dominant speaker, from media.activity), null in silence. */
  speaking: string | null;
  /** The room's feeds as the server announced them (never our own): each publisher's microphone and camera marks. */
  feeds: FeedView[];
  /** The screen or window this page shares in its room (sent as a second video of its feed), null when none. */
  screen: MediaStream | null;
  /** The last screen share did not start (the browser refused or the person cancelled): a short notice. */
  shareFailed: boolean;
  /** An interpreter's channel: the language they publish into (null: they publish nothing). */
  channel: string | null;
  /** Our own feed in the room as the server announced it (an interpreter's live or standby turn), null when none. */
  ownFeed: FeedView | null;
  /**
   * The page switched to audio only by itself, its link being poor (low-bandwidth.ts): a notice
   * with an undo, which restores the video and stops switching by itself in that room.
   */
  lowBandwidth: boolean;
  /** Who found the link poor: the page's own readings, or the SFU (media.link); null before any switch. */
  lowBandwidthBy: 'page' | 'sfu' | null;
  /** The simulcast layer asked of every camera in the room (media.layer): the full picture unless lowered. */
  videoLayer: VideoLayer;
  /** Who lowered it: the person (it stays so until they undo it) or the page on a thin link (video-layer.ts); null: nobody. */
  videoLayerBy: 'person' | 'page' | null;
  /**
   * The page stopped sending its video by itself, its uplink too thin for it (low-bandwidth.ts,
   * THIN_UPLINK): its voice and the text go on, others see its camera off. A notice with an undo.
   */
  uplinkThin: boolean;
}

/**
 * The most a microphone sends, bit/s: Opus' range for super-wideband speech (left to itself Chromium
 * lets it follow the bandwidth estimate higher). With its packets' overhead, one voice then fits a
 * 64 kbit/s link beside the text: a delegate there lost 0.9 % of the floor's packets with the other
 * voice muted, against 6.9 % with a 32 kbit/s cap, 8.4 % with DTX alone and 21 to 27 % with neither
 * (web-low-bandwidth; README, "A delegate on a slow link").
 */
const AUDIO_MAX_BITRATE = 24_000;

/**
 * The camera goes out in two simulcast layers, lowest first (as mediasoup reads them; Janus is told
 * the order): half the width and height at up to 150 kbit/s, and the full picture. Each subscriber
 * receives one of them (media.layer): a thin link the small one, before audio only would be needed.
 */
const CAMERA_LAYERS: RTCRtpEncodingParameters[] = [
  { rid: 'l', scaleResolutionDownBy: 2, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 700_000 },
];

/**
 * After the page lowers the layer, how long before the link is judged again: the SFU forwards the low
 * layer from its next keyframe and the link's queue of the full picture drains (127 ms to 1.9 s
 * measured on a 250 kbit/s link); a window straddling that would count the full picture's loss
 * against the low layer (web-thin-link went to audio only so, 1 run in 5).
 */
const LOW_LAYER_SETTLE_MS = 3000;

/** Caps what the publisher's audio sends (after the answer: the encodings exist from then on). A refusal leaves Opus uncapped, no worse than before. */
async function capAudio(pc: RTCPeerConnection): Promise<void> {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'audio') continue;
    const p = sender.getParameters();
    if (!p.encodings?.length) continue;
    p.encodings = p.encodings.map((e) => ({ ...e, maxBitrate: AUDIO_MAX_BITRATE }));
    await sender.setParameters(p).catch(() => undefined);
  }
}

const gathered = (pc: RTCPeerConnection) =>
  new Promise<void>((ok) => {
    if (pc.iceGatheringState === 'complete') return ok();
    const check = () => {
      if (pc.iceGatheringState === 'complete') {
        pc.removeEventListener('icegatheringstatechange', check);
        ok();
      }
    };
    pc.addEventListener('icegatheringstatechange', check);
    // Gathering on a host with many interfaces can stall on one of them: send what we have.
    setTimeout(ok, 3000);
  });

/**
 * The page's media: one publisher PeerConnection (camera and microphone) and one subscriber
 * PeerConnection carrying every feed of the room, both negotiated with the SFU through Parley's
 * socket (media.join / publish / subscribe / answer): the same SDP offer/answer whatever the SFU
 * (the server bridges it for mediasoup); media.join names it, and the page decides nothing by it. The server decides where we are: a move
 * arrives as `media.cut` then `participant.location`, and `enter(room)` follows it.
 */
export class MediaEngine {
  state: MediaState = {
    phase: 'checking',
    reason: null,
    failure: null,
    retryAt: null,
    roomId: null,
    mayPublish: false,
    audioOnly: false,
    micOn: true,
    cameraOn: true,
    local: null,
    tiles: [],
    quality: null,
    sfu: null,
    speaking: null,
    feeds: [],
    screen: null,
    shareFailed: false,
    channel: null,
    ownFeed: null,
    lowBandwidth: false,
    lowBandwidthBy: null,
    videoLayer: 'high',
    videoLayerBy: null,
    uplinkThin: false,
  };
  /** What this page hears in its room: the floor or an interpretation channel (interpretation-listening.ts). */
  readonly listening: Listening;
  private publisher: RTCPeerConnection | null = null;
  private subscriber: RTCPeerConnection | null = null;
  private feeds: FeedView[] = [];
  private subscribedKey = '';
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private qualityTimer: ReturnType<typeof setInterval> | null = null;
  private linkTimer: ReturnType<typeof setInterval> | null = null;
  /** When the layer last went low (performance.now()), null while high: audio only waits a window after it. */
  private layerLoweredAt: number | null = null;
  /** Rooms where the person undid the automatic audio-only: the page does not switch there again. */
  private readonly autoDeclined = new Set<string>();
  /** The person sent their video again after the page stopped it: the uplink is the same in every room, so never again on this page. */
  private uplinkDeclined = false;
  private resubscribe: ReturnType<typeof setTimeout> | null = null;
  private subscribing: Promise<void> | null = null;
  private subscribeAgain = false;
  private subscribingGen = -1;
  /** Joins run one after another: never two `media.join` in flight. */
  private entering: Promise<void> = Promise.resolve();
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private statusChecks = 0;
  /** Whether each subscription asked for video (its offer's m-lines): what the link watch judges. */
  private readonly carriesVideo = new WeakMap<RTCPeerConnection, boolean>();
  private closed = false;
  private readonly offJoined: () => void;

  constructor(private readonly ctl: SessionController) {
    this.listening = new Listening(this, ctl.sessionId);
    // The person's own choices of what to receive, as they left them (receive-choice.ts).
    const chosen = loadReceiveChoice(ctl.sessionId);
    this.state = {
      ...this.state,
      audioOnly: chosen.audioOnly,
      videoLayer: chosen.lowVideo ? 'low' : 'high',
      videoLayerBy: chosen.lowVideo ? 'person' : null,
    };
    const on = ctl.socket as unknown as { on(e: string, h: (x: never) => void): void };
    on.on('media.feeds', (e: MediaFeedsChanged) => this.onFeeds(e));
    on.on('media.cut', (e: MediaCut) => this.onCut(e));
    on.on('media.activity', (e: MediaActivity) => {
      const speaking = speakingAfter(this.state.speaking, this.state.roomId, e);
      if (speaking !== this.state.speaking) this.set({ speaking });
    });
    // The SFU's side of the link: it sees this page losing what it sends (see MediaLink).
    on.on('media.link', (e: MediaLink) => {
      if (e.sessionId === ctl.sessionId && e.roomId === this.state.roomId) this.poorLink('sfu');
    });
    on.on('media.reset', (e: MediaReset) => {
      if (e.sessionId === ctl.sessionId) this.restart();
    });
    on.on('session.replaced', (e: SessionReplaced) => {
      if (!e.here) this.pause();
    });
    // After a reconnect the server may have lost the seat (it restarted) or moved it (another
    // device): every rejoin after the first takes a fresh seat. The first join needs nothing: the
    // page's first enter() waits for it.
    let first = true;
    this.offJoined = ctl.onJoined(() => {
      if (first) {
        first = false;
        return;
      }
      // A join waiting for the session join goes out now, to the server just joined: it is fresh.
      if (this.state.phase !== 'joining') this.restart();
    });
    this.checkStatus();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): MediaState => this.state;

  /**
   * Follow the participant into a room (or out of every room: null); `rejoin` takes a fresh seat in
   * the same one. The join waits for the socket's session join (see SessionController.ask); a
   * failure that may pass (the SFU restarting, no answer, a connection that failed) is retried with
   * backoff, 0.5 s doubling to 8 s, with jitter.
   */
  enter(roomId: string | null, rejoin = false): Promise<void> {
    if (this.state.phase === 'unavailable' || this.state.phase === 'checking' || this.ctl.state.device === 'elsewhere') {
      this.set({ roomId });
      return Promise.resolve();
    }
    if (!rejoin && roomId === this.state.roomId && (this.state.phase === 'live' || this.state.phase === 'joining')) return this.entering;
    this.cancelRetry();
    const gen = ++this.generation;
    this.closePeers();
    // A share belongs to the room it was started in: it never follows anyone into another room.
    if (roomId !== this.state.roomId) this.stopScreenTracks();
    this.set({
      roomId,
      tiles: [],
      feeds: [],
      ownFeed: null,
      speaking: null,
      phase: roomId ? 'joining' : 'idle',
      reason: null,
      failure: null,
      retryAt: null,
    });
    if (!roomId) {
      this.stopLocal(); // the lobby: camera and microphone off
      return Promise.resolve();
    }
    // The previous attempt ends (its generation is stale) before this one asks: one join in flight.
    this.entering = this.entering.then(() => this.join(gen));
    return this.entering;
  }

  /** "Try again": at once, whatever the backoff said. */
  retryNow(): void {
    this.failures = 0;
    if (this.state.phase === 'unavailable') {
      this.statusChecks = 0;
      this.checkStatus();
      return;
    }
    void this.enter(this.ctl.state.me.roomId, true);
  }

  private async join(gen: number): Promise<void> {
    if (gen !== this.generation) return;
    try {
      const seat = await this.ctl.ask('media.join', { audioOnly: this.state.audioOnly });
      if (gen !== this.generation) return;
      this.feeds = seat.feeds;
      this.set({ mayPublish: seat.mayPublish, audioOnly: seat.audioOnly, sfu: seat.sfu, feeds: seat.feeds });
      if (!seat.mayPublish) {
        this.stopLocal();
        this.stopScreenTracks();
      }
      // A new seat starts with the full picture: a lowered one is asked again before the first subscription.
      // Refused, the join goes on with the full picture (the choice stays shown, and asked again next time).
      if (this.state.videoLayer === 'low') await this.ctl.ask('media.layer', { layer: 'low' }).catch(() => undefined);
      if (gen !== this.generation) return;
      await Promise.all([seat.mayPublish ? this.publish(gen) : Promise.resolve(), this.requestSubscription(gen)]);
      if (gen !== this.generation) return;
      if (seat.mayPublish) this.sendState();
      this.failures = 0;
      this.set({ phase: 'live', retryAt: null, failure: null });
      this.watchQuality();
    } catch (e) {
      if (gen !== this.generation) return;
      this.failed(ApiFailure.of(e));
    }
  }

  /** A failed attempt: retried by itself when it may pass, shown with "Try again" in any case. */
  private failed(f: ApiFailure, connection = false): void {
    // Whatever of the failed attempt is still in flight is stale from here on.
    this.generation++;
    this.closePeers();
    if (this.ctl.state.device === 'elsewhere' || this.closed) return;
    const passing = f.retryable || MEDIA_TRANSIENT.has(f.code);
    const failure = { code: f.code, field: f.field, ...(connection ? { connection: true as const } : {}) };
    if (!passing) {
      this.set({ phase: 'failed', reason: f.message, failure, retryAt: null, tiles: [], speaking: null });
      return;
    }
    const delay = jittered(Math.min(8000, 500 * 2 ** this.failures++));
    this.set({ phase: 'failed', reason: f.message, failure, retryAt: Date.now() + delay, tiles: [], speaking: null });
    this.cancelRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state.phase === 'failed') void this.enter(this.ctl.state.me.roomId, true);
    }, delay);
  }

  /** The SFU lost every seat (`media.reset`), or this page rejoined the session: a fresh seat now. */
  private restart(): void {
    if (this.closed) return;
    this.failures = 0;
    if (this.state.phase === 'unavailable' || this.state.phase === 'checking') {
      this.statusChecks = 0;
      this.checkStatus();
      return;
    }
    const roomId = this.ctl.state.me.roomId;
    if (roomId) void this.enter(roomId, true);
    else if (this.state.phase === 'paused') this.set({ phase: 'idle' });
  }

  /** The session is open on another device: everything of this page's media stops, nothing is left on the SFU's side to tear down (the other device's seat replaced it). */
  private pause(): void {
    this.generation++;
    this.cancelRetry();
    this.closePeers();
    this.stopLocal();
    this.stopScreenTracks();
    this.set({ phase: 'paused', tiles: [], speaking: null, reason: null, retryAt: null });
  }

  /**
   * Whether the platform has an SFU now. An SFU that is away (restarting, or not configured) is
   * asked again later, less and less often (up to every 15 s), and at once on `media.reset`.
   */
  private checkStatus(): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = null;
    void api.mediaStatus().then(
      (s) => {
        if (this.closed) return;
        if (s.available) {
          this.statusChecks = 0;
          if (this.state.phase === 'unavailable' || this.state.phase === 'checking') this.set({ phase: 'idle', reason: null });
          return;
        }
        this.set({ phase: 'unavailable', reason: s.reason });
        this.statusLater();
      },
      () => {
        if (this.closed) return;
        if (this.state.phase === 'checking') this.set({ phase: 'unavailable', reason: null });
        this.statusLater();
      },
    );
  }

  private statusLater(): void {
    const delay = jittered(Math.min(15_000, 1000 * 2 ** this.statusChecks++));
    this.statusTimer = setTimeout(() => this.checkStatus(), delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * A PeerConnection that failed (or stays disconnected for 2 s: the SFU went away, the network
   * changed) takes a fresh seat, with the same backoff as a refused join.
   */
  private watchPeer(pc: RTCPeerConnection, gen: number): void {
    let grace: ReturnType<typeof setTimeout> | null = null;
    const current = () => gen === this.generation && (this.publisher === pc || this.subscriber === pc);
    pc.addEventListener('connectionstatechange', () => {
      if (grace) clearTimeout(grace);
      grace = null;
      if (!current()) return;
      if (pc.connectionState === 'failed') this.lost(gen);
      else if (pc.connectionState === 'disconnected')
        grace = setTimeout(() => {
          if (current() && pc.connectionState !== 'connected') this.lost(gen);
        }, 2000);
    });
  }

  private lost(gen: number): void {
    if (gen !== this.generation) return;
    this.generation++;
    this.failed(new ApiFailure(0, 'NETWORK', 'The media connection failed (ICE or DTLS).'), true);
  }

  toggleMic(): void {
    const on = !this.state.micOn;
    this.state.local?.getAudioTracks().forEach((t) => {
      t.enabled = on;
    });
    this.set({ micOn: on });
    this.sendState();
  }

  toggleCamera(): void {
    const on = !this.state.cameraOn;
    this.state.local?.getVideoTracks().forEach((t) => {
      t.enabled = on;
    });
    this.set({ cameraOn: on });
    this.sendState();
  }

  /**
   * Tells the room whether our microphone and camera are on (the marks on our tile at the others),
   * when we publish there. A refusal changes nothing here: the next toggle or join says it again.
   */
  private sendState(): void {
    if (!this.state.mayPublish || !this.state.roomId || (this.state.phase !== 'live' && this.state.phase !== 'joining')) return;
    const payload = { micOn: this.state.micOn, cameraOn: this.state.cameraOn && !this.sendsNoVideo };
    void this.ctl.ask('media.state', payload).catch(() => undefined);
  }

  /**
   * Shares a screen or window (the browser asks which) in the room: our feed is published again
   * with it as a second video (kinds audio, video, screen), which every member receives as its own
   * tile. The browser's own "Stop sharing" ends it as the page's button does.
   */
  async shareScreen(): Promise<void> {
    if (!this.state.mayPublish || this.sendsNoVideo || this.state.phase !== 'live' || this.state.screen) return;
    const gen = this.generation;
    let display: MediaStream;
    try {
      display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      this.set({ shareFailed: true });
      return;
    }
    const track = display.getVideoTracks()[0];
    if (!track || gen !== this.generation || this.state.phase !== 'live' || this.state.screen) {
      display.getTracks().forEach((t) => t.stop());
      return;
    }
    track.contentHint = 'detail';
    track.addEventListener('ended', () => {
      if (this.state.screen === display) void this.stopScreen();
    });
    this.set({ screen: display, shareFailed: false });
    await this.republish(gen);
  }

  /** Stops sharing: our feed is published again without the screen, and its tile goes everywhere. */
  async stopScreen(): Promise<void> {
    if (!this.state.screen) return;
    this.stopScreenTracks();
    if (this.state.phase === 'live' && this.state.mayPublish) await this.republish(this.generation);
  }

  private stopScreenTracks(): void {
    if (!this.state.screen) return;
    this.state.screen.getTracks().forEach((t) => t.stop());
    this.set({ screen: null });
  }

  /** Publishes our feed again (what it carries changed): the new PeerConnection replaces the old one at the SFU. */
  private async republish(gen: number): Promise<void> {
    if (gen !== this.generation) return;
    const old = this.publisher;
    try {
      await this.publish(gen);
      if (gen === this.generation) this.sendState();
    } catch (e) {
      if (gen === this.generation) this.failed(ApiFailure.of(e));
    } finally {
      if (old && old !== this.publisher) old.close();
    }
  }

  /**
   * Low bandwidth, the person's choice: receive and send audio only (or back to video). Rejoins the
   * same room. Video chosen back after the page switched by itself is the undo (see undoLowBandwidth).
   */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    if (!audioOnly && this.state.lowBandwidth && this.state.roomId) this.autoDeclined.add(this.state.roomId);
    this.set({ lowBandwidth: false });
    saveReceiveChoice(this.ctl.sessionId, { audioOnly, lowVideo: this.state.videoLayerBy === 'person' });
    await this.switchAudioOnly(audioOnly);
  }

  /**
   * The person lowers the picture they receive (a metered or thin link) or takes the full one back;
   * their choice holds until they change it, whatever the page reads of the link.
   */
  async setLowVideo(low: boolean): Promise<void> {
    // Audio only is kept as the person's only when it is not the page's own switch.
    saveReceiveChoice(this.ctl.sessionId, { audioOnly: this.state.audioOnly && !this.state.lowBandwidth, lowVideo: low });
    await this.askLayer(low ? 'low' : 'high', low ? 'person' : null);
  }

  /** Asks the SFU for this layer of every camera from now on (kept with the seat for later subscriptions). */
  private async askLayer(layer: VideoLayer, by: MediaState['videoLayerBy']): Promise<void> {
    const changed = layer !== this.state.videoLayer;
    if (changed) this.layerLoweredAt = layer === 'low' ? performance.now() : null;
    this.set({ videoLayer: layer, videoLayerBy: by });
    if (!changed || !this.state.roomId || (this.state.phase !== 'live' && this.state.phase !== 'joining')) return;
    // Refused only without a seat (between rooms, or a failed one): the next join asks it again.
    await this.ctl.ask('media.layer', { layer }).catch(() => undefined);
  }

  /** "Restore video" under the automatic switch's notice: video again, and no switching by itself in this room. */
  undoLowBandwidth(): Promise<void> {
    return this.setAudioOnly(false);
  }

  private async switchAudioOnly(audioOnly: boolean): Promise<void> {
    if (audioOnly) this.stopScreenTracks();
    this.set({ audioOnly });
    await this.enter(this.state.roomId, true);
  }

  /** Audio only, an interpreter, or an uplink too thin: the publication carries the microphone alone (the camera stays captured otherwise). */
  private get sendsNoVideo(): boolean {
    return this.state.audioOnly || this.interpreting || this.state.uplinkThin;
  }

  /**
   * The uplink stayed too thin for video (low-bandwidth.ts, THIN_UPLINK): the camera's encodings stop
   * at once, without a new offer (one more exchange on a link already full), and the room is told the
   * camera is off; a shared screen stops. A later publication (another room) leaves the camera out.
   */
  private uplinkTooThin(): void {
    if (this.uplinkDeclined || this.sendsNoVideo || this.state.phase !== 'live' || !this.state.mayPublish) return;
    this.set({ uplinkThin: true });
    void this.sendVideo(false);
    this.sendState();
    if (this.state.screen) void this.stopScreen();
  }

  /** "Send my video again" under the notice: the camera goes out again, and the page does not stop it by itself again. */
  async sendVideoAgain(): Promise<void> {
    if (!this.state.uplinkThin) return;
    this.uplinkDeclined = true;
    this.set({ uplinkThin: false });
    if (this.state.phase !== 'live' || !this.state.mayPublish) return;
    // The publication still holds the camera, paused: it resumes; one made since has none: published again.
    if (await this.sendVideo(true)) this.sendState();
    else await this.republish(this.generation);
  }

  /** Pauses or resumes every video the publication sends; returns whether it has any. */
  private async sendVideo(on: boolean): Promise<boolean> {
    const senders = this.publisher?.getSenders().filter((s) => s.track?.kind === 'video') ?? [];
    for (const sender of senders) {
      const p = sender.getParameters();
      if (!p.encodings?.length) continue;
      p.encodings = p.encodings.map((e) => ({ ...e, active: on }));
      await sender.setParameters(p).catch(() => undefined);
    }
    return senders.length > 0;
  }

  /** An interpreter: publishes audio only, into an interpretation channel, never a camera or a screen. */
  private get interpreting(): boolean {
    return this.ctl.state.me.role === 'interpreter';
  }

  /**
   * An interpreter chooses the language they interpret into (null: they stop): their microphone is
   * published again into that channel (the new publication replaces the old one at the SFU), or
   * their seat is taken afresh without a publication.
   */
  async setChannel(channel: string | null): Promise<void> {
    if (!this.interpreting || channel === this.state.channel) return;
    this.set({ channel });
    if (!this.state.mayPublish || !this.state.roomId) return;
    if (channel && this.state.phase === 'live') await this.republish(this.generation);
    // Stopping, or a choice made while the seat is being taken: a fresh seat publishes what is chosen now.
    else if (this.state.phase === 'live' || this.state.phase === 'joining') await this.enter(this.state.roomId, true);
  }

  /** An interpreter takes the active turn on their channel from a colleague (a handover): the room's media.feeds follow. */
  async takeChannel(): Promise<void> {
    if (!this.interpreting || !this.state.channel) return;
    await this.ctl.ask('media.take-channel', { channel: this.state.channel });
  }

  /**
   * The link is poor (the page's readings, or the SFU's media.link): first the low simulcast layer,
   * which needs a quarter of the full picture's rate; only if the link is still poor over a whole
   * window (POOR_LINK.windowMs) begun once the low layer settled (LOW_LAYER_SETTLE_MS), audio only.
   * Returns whether it only lowered the layer.
   */
  private poorLink(by: 'page' | 'sfu'): boolean {
    if (this.state.audioOnly) return false;
    if (this.state.videoLayer === 'high') {
      void this.askLayer('low', 'page');
      return true;
    }
    // The window judged after lowering starts once the low layer has replaced the full one (the SFU
    // switches at the low layer's next keyframe, and the link's queue drains): not the moments between.
    if (this.layerLoweredAt !== null && performance.now() - this.layerLoweredAt < LOW_LAYER_SETTLE_MS + POOR_LINK.windowMs) return true;
    this.switchedByLink(by);
    return false;
  }

  /**
   * The automatic switch: the link stayed poor after the low layer (low-bandwidth.ts), so the page
   * takes the audio-only seat the person could have chosen: no video is sent to it, and it sends
   * none (a link too thin to receive a picture is rarely wide enough to send one).
   */
  private switchedByLink(by: 'page' | 'sfu'): void {
    if (this.state.audioOnly || this.state.phase !== 'live' || !this.state.roomId || this.autoDeclined.has(this.state.roomId)) return;
    this.set({ lowBandwidth: true, lowBandwidthBy: by });
    void this.switchAudioOnly(true);
  }

  close(): void {
    this.closed = true;
    this.generation++;
    this.cancelRetry();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.offJoined();
    this.listening.close();
    this.closePeers();
    this.stopLocal();
    this.stopScreenTracks();
    this.listeners.clear();
  }

  private stopLocal(): void {
    if (!this.state.local) return;
    this.state.local.getTracks().forEach((t) => t.stop());
    this.set({ local: null });
  }

  private async publish(gen: number): Promise<void> {
    // An interpreter publishes their microphone into the channel they chose, and nothing before.
    const channel = this.interpreting ? this.state.channel : null;
    if (this.interpreting && !channel) return;
    const local = await this.localStream(gen);
    if (!local || gen !== this.generation) return;
    const pc = new RTCPeerConnection();
    this.publisher = pc;
    this.watchPeer(pc, gen);
    const kinds: MediaKind[] = [];
    // The microphone, then the camera, then the screen: the SFU takes the video m-lines in the order of `kinds`.
    for (const track of [...local.getAudioTracks(), ...local.getVideoTracks()]) {
      if (track.kind === 'video' && this.sendsNoVideo) continue;
      if (track.kind === 'video') pc.addTransceiver(track, { direction: 'sendonly', streams: [local], sendEncodings: CAMERA_LAYERS });
      else pc.addTrack(track, local);
      kinds.push(track.kind as 'audio' | 'video');
    }
    const screen = this.sendsNoVideo ? null : this.state.screen;
    const screenTrack = screen?.getVideoTracks().find((t) => t.readyState === 'live');
    if (screen && screenTrack) {
      pc.addTrack(screenTrack, screen);
      kinds.push('screen');
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription({ type: 'offer', sdp: withOpusDtx(offer.sdp ?? '') });
    await gathered(pc);
    const r = await this.ctl.ask('media.publish', { offerSdp: pc.localDescription!.sdp, kinds, ...(channel ? { channel } : {}) });
    if (gen !== this.generation) return;
    await pc.setRemoteDescription({ type: 'answer', sdp: r.answerSdp });
    await capAudio(pc);
  }

  /** The camera and microphone, asked for once; in audio-only mode the camera is released. */
  private async localStream(gen: number): Promise<MediaStream | null> {
    const wantVideo = !this.state.audioOnly && !this.interpreting;
    const have = this.state.local;
    if (have && !wantVideo) {
      for (const t of have.getVideoTracks()) {
        t.stop();
        have.removeTrack(t);
      }
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
    local.getAudioTracks().forEach((t) => {
      t.enabled = this.state.micOn;
    });
    local.getVideoTracks().forEach((t) => {
      t.enabled = this.state.cameraOn;
    });
    this.set({ local });
    return local;
  }

  /**
   * One subscription at a time: the SFU keeps one per seat, so two in flight would leave this page
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
    // The floor and the one channel listened to: other interpretation channels are not received.
    const wanted = this.listening.wantedFeeds(this.feeds);
    const key = feedsKey(wanted);
    if (!wanted.length) {
      this.subscriber?.close();
      this.subscriber = null;
      this.subscribedKey = '';
      this.set({ tiles: [] });
      return;
    }
    if (key === this.subscribedKey && this.subscriber) return;
    // Nothing left out: the room's feeds as the server has them now (a list of ours may name a feed
    // gone meanwhile, which refuses the whole subscription). Only a listening choice names feeds.
    const offer = await this.ctl.ask(
      'media.subscribe',
      wanted.length === this.feeds.length ? {} : { feedIds: wanted.map((f) => f.feedId) },
    );
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
    this.carriesVideo.set(
      pc,
      offer.streams.some((s) => s.kind === 'video'),
    );
    const owner = new Map(offer.feeds.map((f) => [f.feedId, f.participantId]));
    pc.addEventListener('track', (e) => {
      const s = e.transceiver.mid ? byMid.get(e.transceiver.mid) : undefined;
      const participantId = s ? owner.get(s.feedId) : undefined;
      if (!s || !participantId) return;
      // A shared screen is a tile of its own, next to its publisher's camera.
      const screen = s.screen === true;
      const key = screen ? `${participantId}:screen` : participantId;
      const tile = tiles.get(key) ?? { key, participantId, feedId: s.feedId, stream: new MediaStream(), hasVideo: false, screen };
      tile.stream.addTrack(e.track);
      tile.hasVideo ||= e.track.kind === 'video';
      tiles.set(key, tile);
      // Shown only once this subscription is the one the SFU holds (a failed one shows nothing).
      if (gen === this.generation && this.subscriber === pc) this.set({ tiles: [...tiles.values()] });
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    await this.ctl.ask('media.answer', { answerSdp: pc.localDescription!.sdp });
    if (gen !== this.generation) {
      pc.close();
      return;
    }
    this.subscriber?.close();
    this.subscriber = pc;
    this.watchPeer(pc, gen);
    this.subscribedKey = feedsKey(offer.feeds);
    this.set({ tiles: [...tiles.values()] });
  }

  private onFeeds(e: MediaFeedsChanged): void {
    if (e.roomId !== this.state.roomId || this.state.phase === 'unavailable') return;
    this.feeds = e.feeds.filter((f) => f.participantId !== this.ctl.state.me.id);
    this.set({ feeds: this.feeds, ownFeed: e.feeds.find((f) => f.participantId === this.ctl.state.me.id) ?? null });
    this.scheduleSubscription();
  }

  /**
   * What this page listens to changed (interpretation-listening.ts): the subscription carries the
   * floor and the channel chosen now. Nothing is asked when it carries them already.
   */
  resubscribeSoon(): void {
    if (this.state.roomId && (this.state.phase === 'live' || this.state.phase === 'joining')) this.scheduleSubscription();
  }

  private scheduleSubscription(): void {
    // Several publishers often arrive together (a room filling up): one resubscription for them.
    if (this.resubscribe) clearTimeout(this.resubscribe);
    const gen = this.generation;
    this.resubscribe = setTimeout(() => {
      if (gen !== this.generation) return;
      void this.requestSubscription(gen).catch((err: unknown) => {
        if (gen === this.generation) this.failed(ApiFailure.of(err));
      });
    }, 50);
  }

  private onCut(e: MediaCut): void {
    if (e.roomId !== this.state.roomId) return;
    this.generation++;
    this.closePeers();
    this.stopScreenTracks();
    this.set({
      tiles: [],
      feeds: [],
      ownFeed: null,
      speaking: null,
      phase: this.state.phase === 'unavailable' ? 'unavailable' : 'idle',
      roomId: null,
    });
  }

  private closePeers(): void {
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.subscriber = null;
    this.subscribedKey = '';
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
    if (this.linkTimer) clearInterval(this.linkTimer);
    this.linkTimer = null;
  }

  private watchQuality(): void {
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    let previous: RTCStatsReport | null = null;
    this.qualityTimer = setInterval(() => {
      const pc = this.subscriber ?? this.publisher;
      if (!pc) return;
      void pc.getStats().then(
        (report) => {
          this.set({ quality: qualityFrom(report, previous) });
          previous = report;
        },
        () => undefined,
      );
    }, 2000);
    this.watchLink();
  }

  /**
   * The link read every second: the receiving side (a poor link over the window lowers the layer,
   * then switches to audio only) and the sending side (an uplink too thin for video stops the
   * camera), low-bandwidth.ts.
   */
  private watchLink(): void {
    if (this.linkTimer) clearInterval(this.linkTimer);
    let readings: LinkReading[] = [];
    let layerReadings: LinkReading[] = [];
    let of: RTCPeerConnection | null = null;
    let uplink: UplinkReading[] = [];
    let uplinkOf: RTCPeerConnection | null = null;
    this.linkTimer = setInterval(() => {
      const sender = this.publisher;
      if (sender && !this.sendsNoVideo && !this.uplinkDeclined)
        void sender.getStats().then(
          (report) => {
            if (sender !== this.publisher) return;
            // A new publication starts its counters again: so does the window.
            if (sender !== uplinkOf) uplink = [];
            uplinkOf = sender;
            uplink = keepWindow([...uplink, uplinkReadingOf(report, performance.now())], THIN_UPLINK);
            if (isThinUplink(uplink)) this.uplinkTooThin();
          },
          () => undefined,
        );
      const pc = this.subscriber;
      if (!pc || this.state.audioOnly) return;
      void pc.getStats().then(
        (report) => {
          if (pc !== this.subscriber) return;
          // A new subscription starts its counters again: so does the window.
          if (pc !== of) {
            readings = [];
            layerReadings = [];
          }
          of = pc;
          const reading = readingOf(report, performance.now(), this.carriesVideo.get(pc));
          readings = keepWindow([...readings, reading]);
          layerReadings = keepLayerWindow([...layerReadings, reading]);
          if (this.state.videoLayerBy !== 'person') {
            const layer = layerFor(layerReadings, this.state.videoLayer);
            if (layer !== this.state.videoLayer) void this.askLayer(layer, layer === 'low' ? 'page' : null);
          }
          // The poor-link window starts again after either step: the low layer gets its own.
          if (isPoorLink(readings)) readings = this.poorLink('page') ? [reading] : [];
        },
        () => undefined,
      );
    }, 1000);
  }

  private set(patch: Partial<MediaState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

/** What a subscription carries: each feed with its kinds (a feed going audio-only changes it). */
const feedsKey = (feeds: FeedView[]) =>
  feeds
    .map((f) => `${f.feedId}:${[...f.kinds].sort().join('+')}`)
    .sort()
    .join(',');

/** Media refusals that a fresh seat a moment later may not meet (the SFU lost the seat or the feed). */
const MEDIA_TRANSIENT = new Set<string>(['MEDIA_FAILED', 'MEDIA_NOT_JOINED', 'FEED_NOT_FOUND', 'SOCKET_NOT_JOINED']);

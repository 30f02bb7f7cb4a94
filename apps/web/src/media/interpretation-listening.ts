import type { FeedView } from '@parley/contracts';
import type { MediaEngine } from './media-engine';
import { gainPlan, heardAlone, liveChannels, listeningAfter, listeningKey, parseListening, wantedFeeds } from './interpretation';

export interface ListeningState {
  roomId: string | null;
  /** The channels live in the room now (the picker's choices besides the floor). */
  channels: string[];
  /** The channel played (null: the floor). */
  heard: string | null;
  /** A channel that went away while it was played: the page says so until the listener chooses again or it comes back. */
  lost: string | null;
  /** The channel is heard alone, without the floor underneath: the page receives audio only (see wantedFeeds). */
  alone: boolean;
  /** Web Audio plays the room (each received track through its gain): the tiles' own sound is muted then. */
  routed: boolean;
}

/** One received audio track, played through its own gain. */
interface Route {
  feedId: string;
  participantId: string;
  element: HTMLAudioElement;
  source: MediaStreamAudioSourceNode;
  meter: AnalyserNode;
  gain: GainNode;
  /** The gain last asked of it (a new plan moves only the gains that change). */
  target: number | null;
}

/** A read-only look at what the page plays, for browser tests (window.__parleyListen). */
export interface ListeningProbe {
  /** RMS (0…1) of what is played, after the gains, over the last ~200 ms; 0 while nothing is routed. */
  level(): number;
  /** Each received audio track: its feed, its channel (null: the floor), the gain it is played at and its own RMS before the gain. */
  tracks(): Array<{ feedId: string; participantId: string; channel: string | null; gain: number; level: number }>;
  /** The channel played (null: the floor) and whether Web Audio plays the room. */
  heard(): string | null;
  routed(): boolean;
}

/** ~200 ms at 44.1 or 48 kHz. */
const WINDOW = 8192;
/** Gains move in ~15 ms: a handover or a new choice is heard at once, without a click. */
const GAIN_TIME_CONSTANT = 0.015;

const rms = (meter: AnalyserNode, buffer: Float32Array<ArrayBuffer>): number => {
  meter.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (const v of buffer) sum += v * v;
  return Math.sqrt(sum / buffer.length);
};

/**
 * What this page hears in its room: the floor alone, or one interpretation channel with the floor
 * ducked underneath. The choice is remembered per session and room; channels come and go with the
 * room's feeds (a chosen one that goes falls back to the floor, with a notice). It tells the engine
 * which feeds to receive (the floor and the chosen channel only) and plays every received audio
 * track through its own GainNode, so a handover between two interpreters is a change of gain.
 */
export class Listening {
  state: ListeningState = { roomId: null, channels: [], heard: null, lost: null, alone: false, routed: false };
  private wanted: string | null = null;
  private feeds: readonly FeedView[] = [];
  private context: AudioContext | null = null;
  private mix: GainNode | null = null;
  private mixMeter: AnalyserNode | null = null;
  private readonly routes = new Map<MediaStreamTrack, Route>();
  private readonly listeners = new Set<() => void>();
  private readonly starts: Array<() => void> = [];

  constructor(
    private readonly engine: MediaEngine,
    private readonly sessionId: string,
  ) {
    engine.subscribe(() => this.follow());
    if (typeof window !== 'undefined') {
      // Browsers start audio only after a gesture on the page: the first one starts ours.
      const start = () => void this.context?.resume().catch(() => undefined);
      for (const event of ['pointerdown', 'keydown'] as const) {
        window.addEventListener(event, start, { capture: true });
        this.starts.push(() => window.removeEventListener(event, start, { capture: true }));
      }
      (window as unknown as { __parleyListen: ListeningProbe }).__parleyListen = this.probe();
    }
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): ListeningState => this.state;

  /** The feeds the engine's subscription carries. */
  wantedFeeds(feeds: readonly FeedView[]): FeedView[] {
    return wantedFeeds(feeds, this.state.heard, this.engine.state.audioOnly);
  }

  /** The listener's choice for this room (null: the floor), remembered for their next visit. */
  choose(channel: string | null): void {
    const roomId = this.state.roomId;
    if (!roomId) return;
    this.wanted = channel;
    try {
      if (channel) localStorage.setItem(listeningKey(this.sessionId, roomId), channel);
      else localStorage.removeItem(listeningKey(this.sessionId, roomId));
    } catch {
      // Storage refused (private mode, quota): the choice holds for this visit.
    }
    this.audio(); // a choice is a gesture: the moment the browser lets audio start
    this.update({ lost: null });
  }

  /** The page leaves the session: its audio stops. */
  close(): void {
    for (const off of this.starts) off();
    for (const r of this.routes.values()) r.element.srcObject = null;
    this.routes.clear();
    this.listeners.clear();
    void this.context?.close().catch(() => undefined);
    this.context = null;
  }

  /** The engine's state changed (room, feeds, tiles): follow it. */
  private follow(): void {
    const m = this.engine.state;
    if (m.roomId !== this.state.roomId) {
      this.wanted = m.roomId ? this.remembered(m.roomId) : null;
      this.state = { ...this.state, roomId: m.roomId, heard: null, lost: null };
    }
    this.feeds = m.feeds;
    this.update({});
  }

  private update(patch: Partial<ListeningState>): void {
    const { heard, lost } = listeningAfter(this.wanted, this.state.heard, this.feeds);
    const channels = liveChannels(this.feeds);
    const next: ListeningState = {
      ...this.state,
      ...patch,
      channels: channels.join() === this.state.channels.join() ? this.state.channels : channels,
      heard,
      lost: lost ?? (heard ? null : patch.lost !== undefined ? patch.lost : this.state.lost),
      alone: heardAlone(this.feeds, heard, this.engine.state.audioOnly),
    };
    const changedHeard = next.heard !== this.state.heard;
    this.route();
    next.routed = this.context?.state === 'running' && this.routes.size > 0;
    const changed = (Object.keys(next) as Array<keyof ListeningState>).some((k) => next[k] !== this.state[k]);
    this.state = next;
    this.applyGains();
    // Another channel (or none): the subscription changes; the engine skips it when it carries the same feeds.
    if (changedHeard) this.engine.resubscribeSoon();
    if (changed) for (const l of this.listeners) l();
  }

  private remembered(roomId: string): string | null {
    try {
      return parseListening(localStorage.getItem(listeningKey(this.sessionId, roomId)));
    } catch {
      return null;
    }
  }

  /** The page's audio graph, made once (suspended until a gesture when the browser wants one). */
  private audio(): AudioContext | null {
    if (this.context) {
      if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
      return this.context;
    }
    if (typeof AudioContext === 'undefined') return null;
    const context = new AudioContext();
    const mix = context.createGain();
    const meter = context.createAnalyser();
    meter.fftSize = WINDOW;
    mix.connect(context.destination);
    mix.connect(meter);
    context.addEventListener('statechange', () => this.update({}));
    this.context = context;
    this.mix = mix;
    this.mixMeter = meter;
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    return context;
  }

  /** Every received audio track gets its route; tracks gone (a new subscription, a feed gone) lose theirs. */
  private route(): void {
    const present = new Map<MediaStreamTrack, { feedId: string; participantId: string }>();
    for (const tile of this.engine.state.tiles)
      for (const track of tile.stream.getAudioTracks()) present.set(track, { feedId: tile.feedId, participantId: tile.participantId });
    for (const [track, r] of this.routes)
      if (!present.has(track) || track.readyState === 'ended') {
        r.source.disconnect();
        r.gain.disconnect();
        r.element.srcObject = null;
        this.routes.delete(track);
      }
    if (!present.size) return;
    const context = this.audio();
    if (!context || !this.mix) return;
    for (const [track, owner] of present) {
      if (this.routes.has(track) || track.readyState === 'ended') continue;
      const stream = new MediaStream([track]);
      // Chromium feeds a remote track into Web Audio only while a media element plays it: a muted one.
      const element = new Audio();
      element.muted = true;
      element.srcObject = stream;
      void element.play().catch(() => undefined);
      const source = context.createMediaStreamSource(stream);
      const meter = context.createAnalyser();
      meter.fftSize = WINDOW;
      const gain = context.createGain();
      gain.gain.value = 0;
      source.connect(meter);
      source.connect(gain);
      gain.connect(this.mix);
      this.routes.set(track, { ...owner, element, source, meter, gain, target: null });
    }
  }

  private applyGains(): void {
    if (!this.context) return;
    const plan = gainPlan(this.feeds, this.state.heard);
    for (const r of this.routes.values()) {
      const target = plan.get(r.feedId) ?? 0;
      if (target === r.target) continue;
      r.target = target;
      r.gain.gain.setTargetAtTime(target, this.context.currentTime, GAIN_TIME_CONSTANT);
    }
  }

  private probe(): ListeningProbe {
    const buffer = new Float32Array(WINDOW);
    return {
      level: () => (this.mixMeter && this.state.routed ? rms(this.mixMeter, buffer) : 0),
      tracks: () => {
        const plan = gainPlan(this.feeds, this.state.heard);
        return [...this.routes.values()].map((r) => ({
          feedId: r.feedId,
          participantId: r.participantId,
          channel: this.feeds.find((f) => f.feedId === r.feedId)?.channel ?? null,
          gain: plan.get(r.feedId) ?? 0,
          level: rms(r.meter, buffer),
        }));
      },
      heard: () => this.state.heard,
      routed: () => this.state.routed,
    };
  }
}

import type { VideoLayer } from '@parley/contracts';
import { DomainError } from '@parley/platform/domain';
import type {
  Feed,
  MediaAvailability,
  MediaPort,
  MediaRoomSpec,
  PublishAnswer,
  PublishRequest,
  LinkReport,
  RoomActivity,
  RoomMediaStats,
  SfuLoss,
  SfuRoom,
  SfuReset,
  SubscribeOffer,
  SubscribeRequest,
} from '../application/media.port';
import { RestartBackoff } from '../domain/restart-backoff.policy';
import { Listeners } from './listeners';

/** One live SFU connection (an adapter, and the Janus process it owns, if any). */
export interface SupervisableSfu extends MediaPort {
  /** Resolves once, when this SFU is lost; never after shutdown(). */
  readonly lost: Promise<SfuLoss>;
}

/** Timers, injected so that the backoff is tested without waiting. */
export interface SupervisorClock {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: SupervisorClock = {
  now: () => Date.now(),
  setTimeout: (f, ms) => {
    const t = setTimeout(f, ms);
    t.unref();
    return t;
  },
  clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
};

export interface SfuSupervisorOptions {
  /** 'restart': Parley starts the SFU itself; 'reconnect': an external SFU (JANUS_URL). */
  mode: 'restart' | 'reconnect';
  /** Where outages are reported (the platform's DependencyMonitor). */
  dependencies?: { down(name: 'sfu', cause: string): unknown; up(name: 'sfu'): unknown };
  clock?: SupervisorClock;
  backoff?: RestartBackoff;
  logger?: { log(m: string): void; warn(m: string): void };
}

type State =
  | { kind: 'up'; sfu: SupervisableSfu }
  | { kind: 'waiting'; attempt: number; at: number }
  | { kind: 'starting'; attempt: number }
  | { kind: 'stopped' };

/**
 * The media port that outlives its SFU. It holds one live adapter at a time; when that adapter is
 * lost (the Janus process exited, the connection dropped) it reports the outage, lets go of the
 * old adapter (stopping what is left of its process) and opens a new one — restarting Parley's own
 * Janus, or reconnecting to JANUS_URL's — after a backoff that grows with each failure in a row
 * up to a ceiling, so that a Janus that crashes at once, every time, is retried calmly. Once a new
 * adapter answers, it reports the SFU up and tells its listeners which sessions lost their media.
 *
 * While no adapter answers, media requests get MEDIA_UNAVAILABLE at once (retryable), teardowns
 * are no-ops (the old SFU took every stream with it), and the status says what is under way.
 * Rooms are made again lazily, on the next media.join (a fresh secret, pin and anchor, exactly as
 * the first time), so that only rooms someone still uses come back.
 */
export class SfuSupervisor implements MediaPort {
  private state: State = { kind: 'stopped' };
  private timer: unknown = null;
  private started = false;
  private readonly clock: SupervisorClock;
  private readonly backoff: RestartBackoff;
  private readonly listeners: ((reset: SfuReset) => void)[] = [];
  private readonly activityListeners: ((activity: RoomActivity) => void)[] = [];
  private readonly links = new Listeners<LinkReport>('link', () => this.opts.logger);
  /** Sessions whose media went with a lost SFU and that were not told yet. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly open: () => Promise<SupervisableSfu>,
    private readonly opts: SfuSupervisorOptions,
  ) {
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.backoff = opts.backoff ?? new RestartBackoff();
  }

  /** The first attempt, awaited at boot; should it fail, the next ones follow with backoff. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.attempt(0);
  }

  availability(): MediaAvailability {
    const s = this.state;
    switch (s.kind) {
      case 'up':
        return s.sfu.availability();
      case 'waiting': {
        const secs = Math.max(0, s.at - this.clock.now()) / 1000;
        return { available: false, reason: `${this.doing()}, attempt ${s.attempt}, next in ${secs.toFixed(1)} s` };
      }
      case 'starting':
        return { available: false, reason: `${this.doing()}, attempt ${s.attempt} under way` };
      case 'stopped':
        return { available: false, reason: 'the media server has been shut down' };
    }
  }

  onReset(listener: (reset: SfuReset) => void): void {
    this.listeners.push(listener);
  }

  onActivity(listener: (activity: RoomActivity) => void): void {
    this.activityListeners.push(listener);
  }
  onLinkReport(listener: (report: LinkReport) => void): void {
    this.links.add(listener);
  }

  async openRoom(spec: MediaRoomSpec): Promise<void> {
    return this.live().openRoom(spec);
  }
  async admit(roomId: string, participantId: string, mayPublish: boolean): Promise<void> {
    return this.live().admit(roomId, participantId, mayPublish);
  }
  async publish(req: PublishRequest): Promise<PublishAnswer> {
    return this.live().publish(req);
  }
  async subscribe(req: SubscribeRequest): Promise<SubscribeOffer> {
    return this.live().subscribe(req);
  }
  async setLayer(roomId: string, participantId: string, layer: VideoLayer): Promise<void> {
    return this.live().setLayer(roomId, participantId, layer);
  }
  async answer(roomId: string, participantId: string, answerSdp: string): Promise<void> {
    return this.live().answer(roomId, participantId, answerSdp);
  }

  // What a lost SFU held is gone with it: nothing to close, stop or evict, nothing to list.
  async closeRoom(roomId: string): Promise<void> {
    await this.current()?.closeRoom(roomId);
  }
  async unpublish(roomId: string, participantId: string): Promise<void> {
    await this.current()?.unpublish(roomId, participantId);
  }
  async evict(roomId: string, participantId: string): Promise<void> {
    await this.current()?.evict(roomId, participantId);
  }
  async feeds(roomId: string): Promise<Feed[]> {
    return (await this.current()?.feeds(roomId)) ?? [];
  }
  async stats(roomId: string): Promise<RoomMediaStats> {
    return (await this.current()?.stats(roomId)) ?? { roomId, publishers: 0, subscribers: 0, participants: [] };
  }
  async sfuRooms(): Promise<SfuRoom[]> {
    return (await this.current()?.sfuRooms()) ?? [];
  }

  /** Stops supervising, and the SFU (the process Parley started). */
  async shutdown(): Promise<void> {
    const s = this.state;
    this.state = { kind: 'stopped' };
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (s.kind === 'up') await s.sfu.shutdown();
  }

  /** The adapter in use, for diagnostics and tests (null while none answers). */
  current(): SupervisableSfu | null {
    return this.state.kind === 'up' ? this.state.sfu : null;
  }

  // --- inside ---

  private live(): SupervisableSfu {
    const sfu = this.current();
    if (!sfu) throw new DomainError('MEDIA_UNAVAILABLE', `Media is unavailable: ${(this.availability() as { reason: string }).reason}.`);
    return sfu;
  }

  /** Read through a method: TypeScript would keep the narrowing of `state` across an await. */
  private isStopped(): boolean {
    return this.state.kind === 'stopped';
  }

  private doing(): string {
    return this.opts.mode === 'restart' ? 'SFU restarting' : 'SFU reconnecting';
  }

  private async attempt(attempt: number): Promise<void> {
    this.timer = null;
    this.state = { kind: 'starting', attempt };
    let sfu: SupervisableSfu;
    try {
      sfu = await this.open();
    } catch (e) {
      if (this.isStopped()) return;
      this.failed(`${attempt ? `attempt ${attempt} failed` : 'the SFU did not start'}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (this.isStopped()) {
      await sfu.shutdown().catch(() => undefined);
      return;
    }
    this.state = { kind: 'up', sfu };
    // What the adapter reports itself (a mediasoup worker replaced, who speaks) reaches the listeners of the port.
    sfu.onReset((reset) => this.tell(reset));
    sfu.onActivity((activity) => {
      if (this.current() === sfu) for (const l of this.activityListeners) l(activity);
    });
    sfu.onLinkReport((report) => {
      if (this.current() === sfu) this.links.emit(report);
    });
    this.backoff.succeeded(this.clock.now());
    this.opts.dependencies?.up('sfu');
    void sfu.lost.then((loss) => this.lost(sfu, loss));
    if (attempt > 0) {
      const reset: SfuReset = { reason: this.opts.mode === 'restart' ? 'sfu_restarted' : 'sfu_reconnected', sessionIds: [...this.pending] };
      this.pending.clear();
      this.opts.logger?.log(
        `media back (${reset.reason}, attempt ${attempt}); ${reset.sessionIds.length} session(s) told to join their media again`,
      );
      this.tell(reset);
    }
  }

  private tell(reset: SfuReset): void {
    for (const l of this.listeners) {
      try {
        l(reset);
      } catch (e) {
        this.opts.logger?.warn(`after the SFU came back: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private lost(sfu: SupervisableSfu, loss: SfuLoss): void {
    if (this.state.kind !== 'up' || this.state.sfu !== sfu) return;
    for (const id of loss.sessionIds) this.pending.add(id);
    // What is left of it (the process, if it still runs; its runtime folder) goes; the next start
    // is a new process on a new port, so it need not wait for this.
    void sfu
      .shutdown()
      .catch((e: unknown) => this.opts.logger?.warn(`stopping the lost SFU: ${e instanceof Error ? e.message : String(e)}`));
    this.failed(loss.reason);
  }

  private failed(cause: string): void {
    const plan = this.backoff.failed(this.clock.now());
    this.opts.dependencies?.down('sfu', cause);
    // One line per failure: at most one every ceiling (30 s) for a Janus that never stays up.
    // Janus' last words are worth reading once per series, not every 30 s.
    const said = plan.attempt === 1 ? cause : cause.split('\n')[0];
    this.opts.logger?.warn(`${said}; ${this.doing().toLowerCase()}, attempt ${plan.attempt} in ${(plan.delayMs / 1000).toFixed(1)} s`);
    this.state = { kind: 'waiting', attempt: plan.attempt, at: this.clock.now() + plan.delayMs };
    this.timer = this.clock.setTimeout(() => {
      void this.attempt(plan.attempt);
    }, plan.delayMs);
  }
}

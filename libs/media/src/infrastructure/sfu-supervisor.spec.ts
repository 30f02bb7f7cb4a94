import { DependencyMonitor } from '@parley/platform';
import type { SfuLoss, SfuReset } from '../application/media.port';
import { NoSfuAdapter } from './no-sfu.adapter';
import { SfuSupervisor, type SupervisableSfu, type SupervisorClock } from './sfu-supervisor';

/** Virtual time: timers fire only when the test moves the clock. */
class FakeClock implements SupervisorClock {
  private t = 1_000_000;
  private timers: { at: number; f: () => void; id: number }[] = [];
  private next = 0;
  /** Every delay ever asked for, in order. */
  readonly delays: number[] = [];

  now = () => this.t;
  setTimeout = (f: () => void, ms: number) => {
    this.delays.push(ms);
    const id = ++this.next;
    this.timers.push({ at: this.t + ms, f, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting what they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.f();
    }
    this.t = end;
    await settle();
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

/** An SFU the test can lose at will; behaves as available while it lives. */
class FakeSfu extends NoSfuAdapter implements SupervisableSfu {
  readonly lost: Promise<SfuLoss>;
  lose!: (loss: SfuLoss) => void;
  shutdowns = 0;
  constructor(readonly n: number) {
    super('fake');
    this.lost = new Promise((r) => {
      this.lose = r;
    });
  }
  override availability() {
    return { available: true as const, sfu: `fake #${this.n}`, engine: 'janus' as const };
  }
  override async openRoom(): Promise<void> {}
  override shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

const silent = { log: () => undefined, warn: () => undefined };

function aSupervisor(open: () => Promise<SupervisableSfu>, mode: 'restart' | 'reconnect' = 'restart') {
  const clock = new FakeClock();
  const dependencies = new DependencyMonitor(clock.now, silent);
  const resets: SfuReset[] = [];
  const sut = new SfuSupervisor(open, { mode, clock, dependencies, logger: silent });
  sut.onReset((r) => resets.push(r));
  return { sut, clock, dependencies, resets };
}

describe('SfuSupervisor: a lost SFU comes back with backoff, never in a hot loop', () => {
  it('backs a Janus that crashes at once, every time, off to the 30 s ceiling, and says so', async () => {
    const started: FakeSfu[] = [];
    const { sut, clock, dependencies } = aSupervisor(() => {
      const sfu = new FakeSfu(started.length + 1);
      started.push(sfu);
      // Up, then dead before anyone can use it.
      queueMicrotask(() => sfu.lose({ reason: 'janus exited (signal 11)', sessionIds: [] }));
      return Promise.resolve(sfu);
    });
    await sut.start();
    await clock.advance(10 * 60_000);

    expect(clock.delays.slice(0, 10)).toEqual([200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000]);
    expect(Math.max(...clock.delays)).toBe(30_000);
    // Ten minutes of crashing: the first eight attempts take ~51 s, then one every 30 s.
    expect(started.length).toBeGreaterThanOrEqual(25);
    expect(started.length).toBeLessThanOrEqual(30);
    expect(started.every((s) => s.shutdowns === 1)).toBe(true);
    expect(clock.pending()).toBe(1);
    const { reason } = sut.availability() as { reason: string };
    expect(reason).toMatch(new RegExp(`^SFU restarting, attempt ${started.length}, next in (30\\.0|[12]?\\d\\.\\d) s$`));
    expect(sut.availability()).toEqual({
      available: false,
      reason: expect.stringMatching(/^SFU restarting, attempt \d+, next in \d+\.\d s$/),
    });
    expect(dependencies.isDown('sfu')).toBe(true);
    await expect(sut.openRoom({ sessionId: 's', roomId: 'r', bitrateCapKbps: null })).rejects.toMatchObject({
      code: 'MEDIA_UNAVAILABLE',
    });
    await sut.shutdown();
    expect(clock.pending()).toBe(0);
  });

  it('backs off the same way when Janus does not even start, and counts down to the next attempt', async () => {
    let attempts = 0;
    const { sut, clock } = aSupervisor(() => {
      attempts++;
      return Promise.reject(new Error('Janus did not start: janus exited (code 1)'));
    });
    await sut.start();
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU restarting, attempt 1, next in 0.2 s' });
    await clock.advance(100);
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU restarting, attempt 1, next in 0.1 s' });
    await clock.advance(100 + 400 + 800);
    expect(attempts).toBe(4);
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU restarting, attempt 4, next in 1.6 s' });
    await sut.shutdown();
    await clock.advance(60_000);
    expect(attempts).toBe(4);
    expect(sut.availability()).toEqual({ available: false, reason: 'the media server has been shut down' });
  });

  it('restarts after a loss, reports the outage once, and names the sessions that must join their media again', async () => {
    const started: FakeSfu[] = [];
    let failNext = 0;
    const { sut, clock, dependencies, resets } = aSupervisor(() => {
      if (failNext-- > 0) return Promise.reject(new Error('not yet'));
      const sfu = new FakeSfu(started.length + 1);
      started.push(sfu);
      return Promise.resolve(sfu);
    });
    const changes: string[] = [];
    dependencies.onChange((name, st) => changes.push(`${name}:${st.status}`));
    await sut.start();
    expect(sut.availability()).toEqual({ available: true, sfu: 'fake #1', engine: 'janus' });
    expect(resets).toEqual([]);

    failNext = 2;
    started[0].lose({ reason: 'janus exited (signal 9)', sessionIds: ['north-south', 'east-west'] });
    await clock.advance(0);
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU restarting, attempt 1, next in 0.2 s' });
    expect(started[0].shutdowns).toBe(1);
    await clock.advance(200 + 400);
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU restarting, attempt 3, next in 0.8 s' });
    await clock.advance(800);

    expect(sut.availability()).toEqual({ available: true, sfu: 'fake #2', engine: 'janus' });
    expect(resets).toEqual([{ reason: 'sfu_restarted', sessionIds: ['north-south', 'east-west'] }]);
    expect(changes).toEqual(['sfu:down', 'sfu:up']);
    // A loss of the old adapter reported late changes nothing.
    started[0].lose({ reason: 'again', sessionIds: ['x'] });
    await clock.advance(0);
    expect(sut.availability()).toEqual({ available: true, sfu: 'fake #2', engine: 'janus' });
    await sut.shutdown();
    expect(started[1].shutdowns).toBe(1);
  });

  it('starts the series again after a stable run: the next loss is retried in 0.2 s', async () => {
    const started: FakeSfu[] = [];
    const { sut, clock, resets } = aSupervisor(() => {
      const sfu = new FakeSfu(started.length + 1);
      started.push(sfu);
      return Promise.resolve(sfu);
    }, 'reconnect');
    await sut.start();
    // Three quick losses in a row: 0.2, 0.4, 0.8 s.
    for (let i = 0; i < 3; i++) {
      started.at(-1)!.lose({ reason: 'unexpected disconnection', sessionIds: [`s${i}`] });
      await clock.advance(5_000);
    }
    expect(clock.delays).toEqual([200, 400, 800]);
    expect(resets.map((r) => r.reason)).toEqual(['sfu_reconnected', 'sfu_reconnected', 'sfu_reconnected']);
    await clock.advance(60_000);
    started.at(-1)!.lose({ reason: 'unexpected disconnection', sessionIds: [] });
    await clock.advance(0);
    expect(sut.availability()).toEqual({ available: false, reason: 'SFU reconnecting, attempt 1, next in 0.2 s' });
    expect(clock.delays.at(-1)).toBe(200);
    await sut.shutdown();
  });

  it('is a no-op for teardowns while down: the old SFU took every stream with it', async () => {
    const { sut } = aSupervisor(() => Promise.reject(new Error('down')));
    await sut.start();
    await expect(sut.evict('r', 'p')).resolves.toBeUndefined();
    await expect(sut.unpublish('r', 'p')).resolves.toBeUndefined();
    await expect(sut.closeRoom('r')).resolves.toBeUndefined();
    expect(await sut.feeds('r')).toEqual([]);
    expect(await sut.stats('r')).toEqual({ roomId: 'r', publishers: 0, subscribers: 0, participants: [] });
    for (const call of [
      () => sut.admit('r', 'p', true),
      () => sut.subscribe({ roomId: 'r', participantId: 'p', feedIds: [], audioOnly: false }),
      () => sut.answer('r', 'p', 'v=0'),
      () => sut.setLayer('r', 'p', 'low'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
    }
    await sut.shutdown();
  });
});

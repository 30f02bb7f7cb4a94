import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import type { Ack, MediaReset, MediaStatusView } from '@parley/contracts';
import { MEDIA_PORT } from '@parley/media';
import { findJanusBinary, freeLoopbackPort } from '@parley/media/infrastructure/janus/janus-process';
import { JanusMediaAdapter } from '@parley/media/infrastructure/janus/janus.adapter';
import { janusCodeOf, loadJanode, type VideoRoomHandle } from '@parley/media/infrastructure/janus/janode';
import { SfuSupervisor } from '@parley/media/infrastructure/sfu-supervisor';
import { DependencyMonitor } from '@parley/platform';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import type { Person } from './support/people';
import { commandOf, descendants } from './support/processes';

/**
 * The SFU is supervised: the Janus that Parley started is killed (`kill -9`) in the middle of a
 * mediation where North's caucus has media flowing (werift peers: Ana publishes audio RTP, Ali
 * receives it). Parley must notice at once, say why on /api/media/status, answer media requests
 * MEDIA_UNAVAILABLE (retryable) while Janus is away, restart it with backoff, tell every connected
 * participant `media.reset`, and let media flow again — with every room's pin, secret and allowed
 * list enforced by the new Janus as before. Killed three times in a row: the restarts back off
 * (attempt 1, 2, 3: 0.2, 0.4, 0.8 s). Figures are printed at the end.
 *
 * Runs only inside the network namespace of scripts/media-netns.sh (loopback plus `jlo0`, see
 * ../shared/notes/webrtc-testing.md): Janus gathers its ICE candidates on jlo0 only.
 */
const janus = findJanusBinary();
const withJanus = describeWhen(__filename, lacks.janus(), lacks.namespace());

const RUNS = 3;
const RESTART_BOUND_MS = 5_000;
const RTP_AGAIN_BOUND_MS = 5_000;
const now = () => performance.timeOrigin + performance.now();

interface Run {
  janusPid: number;
  newJanusPid: number;
  /** From kill -9 to each milestone, in ms. */
  statusDownMs: number;
  statusUpMs: number;
  allResetMs: number;
  rtpAgainMs: number;
  reasonWhileDown: string;
  acksWhileDown: Record<string, Ack<unknown>>;
  sfuDownWhileDown: boolean;
  resets: Map<Person, MediaReset[]>;
  /** North's caucus room in Janus before the kill (number, pin, secret). */
  roomBefore: { janusRoom: number; pin: string; secret: string };
}

withJanus('the SFU is supervised: Janus killed mid-session comes back by itself', () => {
  let app: TestApp;
  let m: Mediation;
  let port: SfuSupervisor;
  const peers: RTCPeerConnection[] = [];
  const pumps: NodeJS.Timeout[] = [];
  const runs: Run[] = [];
  let aFeed: string;
  /** Publishing and receiving from scratch with no kill: what the werift peers themselves take. */
  let baselineMs = 0;

  beforeAll(async () => {
    app = await startApp({ JANUS_BINARY: janus!, JANUS_ICE_INTERFACE: 'jlo0' });
    m = await startMediation(app);
    port = app.app.get(MEDIA_PORT);
    const t = now();
    aFeed = (await mediaFlows()).feedId;
    baselineMs = now() - t;
    for (let i = 0; i < RUNS; i++) runs.push(await killAndRecover());
  }, 180_000);

  afterAll(async () => {
    pumps.forEach(clearInterval);
    await Promise.all(peers.map((pc) => pc.close().catch(() => undefined)));
    m?.close();
    await app?.close();
    if (runs.length) {
      const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const rows = runs.map(
        (r, i) =>
          `  run ${i + 1}: status down ${r.statusDownMs.toFixed(0)} ms, up ${r.statusUpMs.toFixed(0)} ms, ` +
          `media.reset to all ${r.allResetMs.toFixed(0)} ms, RTP again ${r.rtpAgainMs.toFixed(0)} ms (${r.reasonWhileDown})`,
      );
      console.log(
        `media-recovery: from kill -9 of Janus\n${rows.join('\n')}\n  p50 RTP again: ${p50(runs.map((r) => r.rtpAgainMs)).toFixed(0)} ms; ` +
          `for comparison, join + publish + subscribe to first RTP with no kill: ${baselineMs.toFixed(0)} ms`,
      );
    }
  });

  const ask = <T = unknown>(who: Person, event: string, body: object = {}) => m.client(who).ask<T>(event, body);
  const status = async (): Promise<MediaStatusView> => (await app.http().get('/api/media/status').expect(200)).body;
  const adapter = () => port.current() as unknown as JanusMediaAdapter;

  /** Ana publishes audio RTP in North's caucus, Ali receives it: resolves once Ali's peer got RTP. */
  async function mediaFlows(): Promise<{ feedId: string }> {
    expect(await ask(m.a1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true } });
    const pub = aPeer();
    const track = new MediaStreamTrack({ kind: 'audio' });
    pub.addTransceiver(track, { direction: 'sendonly' });
    await pub.setLocalDescription(await pub.createOffer());
    const published = await ask<{ answerSdp: string; feedId: string }>(m.a1, 'media.publish', {
      offerSdp: await gathered(pub),
      kinds: ['audio'],
    });
    if (!published.ok) throw new Error(`publish: ${published.error.code} ${published.error.message}`);
    await pub.setRemoteDescription({ type: 'answer', sdp: published.data.answerSdp });
    pumps.push(pumpAudio(track));
    await connected(pub);

    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA } });
    const offer = await ask<{ offerSdp: string }>(m.a2, 'media.subscribe', { feedIds: [published.data.feedId] });
    if (!offer.ok) throw new Error(`subscribe: ${offer.error.code} ${offer.error.message}`);
    const rx = aPeer();
    const rtp = new Promise<void>((ok) => rx.onTrack.subscribe((t) => t.onReceiveRtp.subscribe(() => ok())));
    await rx.setRemoteDescription({ type: 'offer', sdp: offer.data.offerSdp });
    await rx.setLocalDescription(await rx.createAnswer());
    expect(await ask(m.a2, 'media.answer', { answerSdp: await gathered(rx) })).toEqual({ ok: true, data: { subscribed: true } });
    await within(rtp, RTP_AGAIN_BOUND_MS, 'no RTP at the subscriber');
    return { feedId: published.data.feedId };
  }

  async function killAndRecover(): Promise<Run> {
    const roomBefore = adapter().janusView(m.caucusA)!;
    const janusPid = janusProcess();
    for (const c of m.clients.values()) c.clear();
    const t0 = now();
    process.kill(janusPid, 'SIGKILL');

    let s = await status();
    while (s.available) s = await status();
    const statusDownMs = now() - t0;
    const reasonWhileDown = (s as { reason: string }).reason;
    // Every media request while Janus is away: at once, named, retryable.
    const acksWhileDown = {
      join: await ask(m.a2, 'media.join'),
      publish: await ask(m.a1, 'media.publish', { offerSdp: 'v=0 an offer', kinds: ['audio'] }),
      subscribe: await ask(m.a2, 'media.subscribe', {}),
      answer: await ask(m.a2, 'media.answer', { answerSdp: 'v=0 an answer' }),
    };
    const sfuDownWhileDown = app.app.get(DependencyMonitor).isDown('sfu');
    while (!(await status()).available) await pause(10);
    const statusUpMs = now() - t0;

    const people = [m.mediator, m.a1, m.a2, m.b1, m.b2, m.observer];
    await Promise.all(people.map((p) => m.client(p).waitFor('media.reset', undefined, RESTART_BOUND_MS)));
    const allResetMs = now() - t0;
    const resets = new Map(
      people.map((p) => [
        p,
        m
          .client(p)
          .events.filter((e) => e.event === 'media.reset')
          .map((e) => e.payload as MediaReset),
      ]),
    );

    // What a page does on media.reset: join again, publish, subscribe.
    pumps.forEach(clearInterval);
    await Promise.all(peers.splice(0).map((pc) => pc.close().catch(() => undefined)));
    aFeed = (await mediaFlows()).feedId;
    const rtpAgainMs = now() - t0;
    return {
      janusPid,
      newJanusPid: janusProcess(),
      statusDownMs,
      statusUpMs,
      allResetMs,
      rtpAgainMs,
      reasonWhileDown,
      acksWhileDown,
      sfuDownWhileDown,
      resets,
      roomBefore: { janusRoom: roomBefore.janusRoom, pin: roomBefore.pin, secret: roomBefore.secret },
    };
  }

  function aPeer(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceUseIpv6: false, bundlePolicy: 'max-bundle' });
    peers.push(pc);
    return pc;
  }

  it('says at once that media is unavailable, and why: the restart, its attempt and when the next one comes', () => {
    runs.forEach((r, i) => {
      expect(r.statusDownMs).toBeLessThan(1_000);
      // Three crashes in a row back off: attempt 1, 2, 3.
      expect(r.reasonWhileDown).toMatch(new RegExp(`^SFU restarting, attempt ${i + 1}(, next in \\d+\\.\\d s| under way)$`));
      expect(r.sfuDownWhileDown).toBe(true);
    });
  });

  it('answers media requests with MEDIA_UNAVAILABLE, marked retryable, while Janus is away', () => {
    for (const r of runs) {
      for (const ack of Object.values(r.acksWhileDown)) {
        expect(ack).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', retryable: true } });
      }
    }
  });

  it('restarts Janus (a new process) within the bound, and reports the SFU up again', () => {
    for (const r of runs) {
      expect(r.newJanusPid).not.toBe(r.janusPid);
      expect(r.statusUpMs).toBeLessThan(RESTART_BOUND_MS);
    }
    expect(app.app.get(DependencyMonitor).snapshot().sfu).toMatchObject({ status: 'up' });
  });

  it('tells every connected participant of the session, once per restart, to join their media again', () => {
    for (const r of runs) {
      expect(r.resets.size).toBe(6);
      for (const got of r.resets.values()) expect(got).toEqual([{ sessionId: m.session.id, reason: 'sfu_restarted' }]);
    }
  });

  it("lets media flow again: a new publisher's RTP reaches a new subscriber", () => {
    for (const r of runs) expect(r.rtpAgainMs).toBeLessThan(RESTART_BOUND_MS + RTP_AGAIN_BOUND_MS);
  });

  it('enters each reset in the audit chain, with the seats it dropped', async () => {
    const audit = (await m.get(m.mediator, '/audit').expect(200)).body;
    expect(audit.verification.valid).toBe(true);
    const resets = audit.entries.filter((e: any) => e.type === 'media.reset');
    expect(resets).toHaveLength(RUNS);
    for (const e of resets)
      expect(e.payload).toEqual({ reason: 'sfu_restarted', participantIds: [m.a1.participantId!, m.a2.participantId!].sort() });
  });

  it("recreates rooms that the new Janus guards as before: a South member cannot reach North's caucus media", async () => {
    expect(await ask(m.b1, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB, feeds: [] } });
    // Through Parley: North's feed is not South's to receive.
    expect(await ask(m.b1, 'media.subscribe', { feedIds: [aFeed] })).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });

    // Through Janus itself, with everything South's seat rests on and even this run's API secret.
    const north = adapter().janusView(m.caucusA)!;
    const south = adapter().janusView(m.caucusB)!;
    expect(north.pin).not.toBe(south.pin);
    expect(Object.keys(north.tokens).sort()).toEqual([m.a1.participantId!, m.a2.participantId!].sort());
    await withRawJanus(async (h) => {
      const refusal = async (p: Promise<unknown>) =>
        p.then(
          () => 'accepted',
          (e: unknown) => janusCodeOf(e),
        );
      const southToken = south.tokens[m.b1.participantId!];
      expect(await refusal(h.joinPublisher({ room: north.janusRoom, pin: south.pin, token: southToken }))).toBe(433);
      expect(await refusal(h.joinPublisher({ room: north.janusRoom, pin: north.pin, token: southToken }))).toBe(433);
      expect(await refusal(h.joinPublisher({ room: north.janusRoom, pin: south.pin, token: north.tokens[m.a1.participantId!] }))).toBe(433);
      expect(
        await refusal(
          h.joinSubscriber({
            room: north.janusRoom,
            streams: [{ feed: Number(aFeed) }],
            private_id: south.anchorPrivateId,
            pin: south.pin,
          }),
        ),
      ).toBe(433);
      // Private: not listed without the admin key; and nothing of the killed Janus' rooms survives.
      expect((await h.list()).list.map((r) => r.room)).not.toContain(north.janusRoom);
      for (const r of runs) expect((await h.exists({ room: r.roomBefore.janusRoom })).exists).toBe(false);
      // The control: North's own token and pin are taken.
      const own = await h.joinPublisher({ room: north.janusRoom, pin: north.pin, token: north.tokens[m.a2.participantId!] });
      expect(own.feed).toEqual(expect.any(Number));
    });
  });

  it("destroys the session's media rooms in Janus when the session closes", async () => {
    const rooms = [m.caucusA, m.caucusB].map((id) => adapter().janusView(id)!.janusRoom);
    await withRawJanus(async (h) => {
      for (const room of rooms) expect((await h.exists({ room })).exists).toBe(true);
    });
    await m.post(m.mediator, '/status', { status: 'closed' }).expect(200);
    expect(adapter().janusView(m.caucusA)).toBeNull();
    expect(adapter().janusView(m.caucusB)).toBeNull();
    await withRawJanus(async (h) => {
      for (const room of rooms) expect((await h.exists({ room })).exists).toBe(false);
    });
  });

  it('treats a Janus that hangs (SIGSTOP: connected, never answering) as down: noticed by the keepalive, replaced', async () => {
    const frozen = janusProcess();
    process.kill(frozen, 'SIGSTOP');
    const t0 = now();
    try {
      let s = await status();
      while (s.available && now() - t0 < 25_000) {
        await pause(100);
        s = await status();
      }
      expect(s).toEqual({
        available: false,
        reason: expect.stringMatching(/^SFU restarting, attempt \d+(, next in \d+\.\d s| under way)$/),
      });
      expect(now() - t0).toBeLessThan(16_000); // keepalive every 10 s, failed after 5 s
      while (!(await status()).available && now() - t0 < 40_000) await pause(50);
      expect((await status()).available).toBe(true);
      // The frozen one is stopped, not left behind: SIGTERM, then SIGKILL after stop()'s 3 s grace.
      while (isAlive(frozen) && now() - t0 < 45_000) await pause(50);
      expect(isAlive(frozen)).toBe(false);
      expect(janusProcess()).not.toBe(frozen);
    } finally {
      try {
        process.kill(frozen, 'SIGKILL');
      } catch {
        /* gone, as it should be */
      }
    }
  }, 60_000);

  /** A janode client of this run's Janus, beside Parley's. */
  async function withRawJanus(work: (h: VideoRoomHandle) => Promise<void>): Promise<void> {
    const { janode, videoRoom } = await loadJanode();
    const c = await janode.connect({
      address: { url: janusUrl(), apisecret: apiSecretOf(janusProcess()) },
      retry_time_secs: 1,
      max_retries: 0,
    });
    try {
      const session = await c.create();
      await work(await session.attach(videoRoom));
      await session.destroy();
    } finally {
      await c.close().catch(() => undefined);
    }
  }

  /** The Janus that this process (the API under test) started: the child of its watchdog shell. */
  function janusProcess(): number {
    const found = descendants(process.pid).filter((pid) => commandOf(pid).startsWith(janus!));
    if (found.length !== 1) throw new Error(`expected one janus under this process, found ${found.length}`);
    return found[0];
  }

  function janusUrl(): string {
    return `ws://127.0.0.1:${/ws_port = (\d+)/.exec(readFileSync(configOf(janusProcess()).replace('janus.jcfg', 'janus.transport.websockets.jcfg'), 'utf8'))![1]}`;
  }
});

withJanus('an external Janus (JANUS_URL) that goes away is reconnected to when it comes back', () => {
  const secrets = { JANUS_API_SECRET: 'external-api-secret', JANUS_ADMIN_KEY: 'external-admin-key' };
  let runtime: string;
  let wsPort: number;
  let external: ChildProcess | null = null;
  let app: TestApp;
  let m: Mediation;
  let port: SfuSupervisor;
  const seen: {
    reasonsWhileAway: string[];
    joinWhileAway?: Ack<unknown>;
    backMs?: number;
    resets?: MediaReset[][];
    joinAfter?: Ack<unknown>;
    roomAfter?: number | null;
  } = { reasonsWhileAway: [] };

  /** docker-compose's Janus service, run here on loopback: the same port and secrets each time. */
  async function startExternal(): Promise<void> {
    const child = spawn(resolve(__dirname, '..', 'infra', 'janus', 'container-entrypoint.sh'), [], {
      env: {
        ...process.env,
        ...secrets,
        JANUS_BIN: janus!,
        JANUS_CONFIG_SRC: resolve(__dirname, '..', 'infra', 'janus'),
        JANUS_RUNTIME_DIR: runtime,
        JANUS_WS_IP: '127.0.0.1',
        JANUS_WS_PORT: String(wsPort),
        JANUS_INTERFACE: '127.0.0.2',
      },
      stdio: 'ignore',
    });
    external = child;
    for (let i = 0; i < 200 && !(await accepts(wsPort)); i++) await pause(25);
  }

  async function stopExternal(signal: NodeJS.Signals): Promise<void> {
    const child = external;
    external = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  beforeAll(async () => {
    runtime = mkdtempSync(join(tmpdir(), 'parley-janus-external-'));
    wsPort = await freeLoopbackPort();
    await startExternal();
    app = await startApp({ JANUS_URL: `ws://127.0.0.1:${wsPort}`, ...secrets });
    m = await startMediation(app);
    port = app.app.get(MEDIA_PORT);
    const status = async (): Promise<MediaStatusView> => (await app.http().get('/api/media/status').expect(200)).body;
    expect(await status()).toEqual({ available: true, sfu: expect.stringContaining('Janus'), engine: 'janus' });
    expect(await m.client(m.a1).ask('media.join', {})).toMatchObject({ ok: true });

    for (const c of m.clients.values()) c.clear();
    await stopExternal('SIGKILL');
    // Janus stays away while Parley tries (0.2, 0.4, 0.8 s…): until the third attempt is announced.
    for (let s = await status(); ; s = await status()) {
      if (!s.available && !seen.reasonsWhileAway.includes(s.reason)) seen.reasonsWhileAway.push(s.reason);
      if (!s.available && /attempt 3, next in/.test(s.reason)) break;
      await pause(20);
    }
    seen.joinWhileAway = await m.client(m.a1).ask('media.join', {});
    await startExternal();
    const t0 = now();
    while (!(await status()).available) await pause(10);
    seen.backMs = now() - t0;
    const people = [m.mediator, m.a1, m.a2, m.b1, m.b2, m.observer];
    await Promise.all(people.map((p) => m.client(p).waitFor('media.reset')));
    seen.resets = people.map((p) =>
      m
        .client(p)
        .events.filter((e) => e.event === 'media.reset')
        .map((e) => e.payload as MediaReset),
    );
    seen.joinAfter = await m.client(m.a1).ask('media.join', {});
    seen.roomAfter = (port.current() as unknown as JanusMediaAdapter).janusView(m.caucusA)?.janusRoom ?? null;
  }, 120_000);

  afterAll(async () => {
    m?.close();
    await app?.close();
    await stopExternal('SIGTERM');
    if (runtime) rmSync(runtime, { recursive: true, force: true });
  });

  it('says it is reconnecting, with backoff, while Janus is away, and answers MEDIA_UNAVAILABLE', () => {
    expect(seen.reasonsWhileAway.length).toBeGreaterThanOrEqual(3);
    for (const r of seen.reasonsWhileAway) expect(r).toMatch(/^SFU reconnecting, attempt \d+(, next in \d+\.\d s| under way)$/);
    expect(seen.joinWhileAway).toMatchObject({ ok: false, error: { code: 'MEDIA_UNAVAILABLE', retryable: true } });
  });

  it('reconnects once Janus is back, and tells every participant to join their media again', () => {
    // The next attempt after the third comes at most 1.6 s later.
    expect(seen.backMs).toBeLessThan(3_000);
    expect(seen.resets).toEqual(Array(6).fill([{ sessionId: m.session.id, reason: 'sfu_reconnected' }]));
    expect(seen.joinAfter).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true } });
    expect(seen.roomAfter).toEqual(expect.any(Number));
  });
});

const accepts = (p: number) =>
  new Promise<boolean>((ok) => {
    const sock = tcpConnect({ host: '127.0.0.1', port: p });
    sock.once('connect', () => {
      sock.destroy();
      ok(true);
    });
    sock.once('error', () => {
      sock.destroy();
      ok(false);
    });
  });

/** Audio RTP every 20 ms (Janus forwards it without decoding it). */
function pumpAudio(track: MediaStreamTrack): NodeJS.Timeout {
  let seq = 0;
  const ssrc = 0x5eed0000 + Math.floor(Math.random() * 0xffff);
  return setInterval(() => {
    seq = (seq + 1) & 0xffff;
    track.writeRtp(
      new RtpPacket(
        new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc, marker: seq === 1 }),
        Buffer.from([0xf8, 0xff, 0xfe]),
      ),
    );
  }, 20);
}

async function gathered(pc: RTCPeerConnection): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((ok) => {
      pc.iceGatheringStateChange.subscribe((s) => {
        if (s === 'complete') ok();
      });
    });
  }
  return pc.localDescription!.sdp;
}

function connected(pc: RTCPeerConnection): Promise<void> {
  if (pc.connectionState === 'connected') return Promise.resolve();
  return within(
    new Promise<void>((ok) =>
      pc.connectionStateChange.subscribe((s) => {
        if (s === 'connected') ok();
      }),
    ),
    5_000,
    `no connection (${pc.connectionState})`,
  );
}

function within<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(why)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The janus.jcfg a Janus runs with (`-C <file>`). */
const configOf = (pid: number): string =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .find((a, i, all) => all[i - 1] === '-C')!;

/** What any process on this machine that can read Janus' configuration knows: its API secret. */
const apiSecretOf = (pid: number): string => /api_secret = "([^"]+)"/.exec(readFileSync(configOf(pid), 'utf8'))![1];

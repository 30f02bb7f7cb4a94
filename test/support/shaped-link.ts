import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs, toneFile } from './needs';

// Browser globals, for the functions this file runs inside pages.
declare const window: any;

/**
 * A slow link for one browser: a second network namespace, created by the test inside the test's
 * own namespace (scripts/media-netns.sh), joined to it by a veth pair on 10.255.<n>.0/30 — addresses
 * that exist only between these two namespaces — and shaped with `tc` on both ends.
 *
 * What this kernel offers (checked 2026-12-02, Linux 6.18): `tbf`, `htb`, `pfifo`, the `u32` and
 * `bpf` classifiers; NOT `netem` (no delay, no loss), `fq`, `gact` or `police`, and there is no
 * module directory to load them from. So when `netem` is refused, the rate is shaped by `tbf` in
 * the kernel, and the delay is added in user space to the page's HTTP and WebSocket traffic (the
 * forwarder below holds every chunk `delayMs` in each direction); the media's UDP then gets the rate
 * limit but neither the delay nor the loss. `netem` says which it was; the test and the benchmark
 * print it.
 *
 * The API listens on 127.0.0.1 of the test's namespace, which the shaped namespace cannot reach:
 * a forwarder in the shaped namespace listens on 127.0.0.1:<the API's port> (so the page's origin is
 * the same as everyone else's, a secure context, as for a real delegate on https) and sends over the
 * veth to a forwarder in the test process on 10.255.<n>.1, which connects to the API.
 */
export interface LinkShape {
  rateKbit: number;
  /** One way; the round trip is twice this. */
  delayMs: number;
  lossPct: number;
}

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export class ShapedLink {
  /** True when the kernel shaped delay and loss too (netem); false: tbf only, delay in user space for TCP. */
  netem = false;
  private forwarders: Server[] = [];
  private open = new Set<Socket>();
  private inner: ChildProcess[] = [];
  private dir = mkdtempSync(join(tmpdir(), 'parley-shaped-'));
  /** Bytes through the page's HTTP/WebSocket forwarder: to the page, from the page. */
  readonly socketBytes = { down: 0, up: 0 };

  private constructor(
    readonly shape: LinkShape,
    private readonly holder: ChildProcess,
    readonly hostIf: string,
    readonly hostAddress: string,
    readonly peerAddress: string,
  ) {}

  /** The shaped namespace's netns file, for nsenter. */
  get ns(): string {
    return `/proc/${this.holder.pid}/ns/net`;
  }

  static async create(shape: LinkShape, n = 7): Promise<ShapedLink> {
    // The namespace lives as long as this process (a sleep in a fresh network namespace).
    const holder = spawn('unshare', ['--net', 'sleep', '100000'], { stdio: 'ignore' });
    // Never left behind, whatever happens to the test.
    process.once('exit', () => holder.kill('SIGKILL'));
    const own = sh('readlink', ['/proc/self/ns/net']).trim();
    const deadline = Date.now() + 5000;
    for (;;) {
      let theirs = '';
      try {
        theirs = sh('readlink', [`/proc/${holder.pid}/ns/net`]).trim();
      } catch {
        // not there yet
      }
      if (theirs && theirs !== own) break;
      if (Date.now() > deadline) {
        holder.kill('SIGKILL');
        throw new Error('the shaped namespace did not come up');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const hostIf = `pshape${n}`;
    const link = new ShapedLink(shape, holder, hostIf, `10.255.${n}.1`, `10.255.${n}.2`);
    const inNs = (args: string[]) => sh('nsenter', [`--net=${link.ns}`, ...args]);
    try {
      link.setUp(inNs);
    } catch (e) {
      await link.close();
      throw e;
    }
    return link;
  }

  private setUp(inNs: (args: string[]) => string): void {
    const { hostIf } = this;
    sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'pshaped', 'netns', String(this.holder.pid)]);
    sh('ip', ['addr', 'add', `${this.hostAddress}/30`, 'dev', hostIf]);
    sh('ip', ['link', 'set', hostIf, 'up']);
    inNs(['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
    inNs(['ip', 'link', 'set', 'lo', 'up']);
    inNs(['ip', 'addr', 'add', `${this.peerAddress}/30`, 'dev', 'pshaped']);
    inNs(['ip', 'link', 'set', 'pshaped', 'up']);
    this.netem = this.shapeBoth(inNs);
  }

  /**
   * Each end shapes what it sends: tbf at the rate (a queue of at most 500 ms — a mobile network's
   * buffer, not an endless one), under netem's delay and loss when the kernel has netem.
   */
  private shapeBoth(inNs: (args: string[]) => string): boolean {
    const { rateKbit, delayMs, lossPct } = this.shape;
    // The bucket holds at least one full-size packet, else tbf passes nothing.
    const tbf = ['tbf', 'rate', `${rateKbit}kbit`, 'burst', '3200', 'latency', '500ms'];
    const ends: Array<(a: string[]) => string> = [(a) => sh('tc', a), (a) => inNs(['tc', ...a])];
    const ifs = [this.hostIf, 'pshaped'];
    try {
      ends.forEach((run, i) => {
        run(['qdisc', 'add', 'dev', ifs[i], 'root', 'handle', '1:', 'netem', 'delay', `${delayMs}ms`, 'loss', `${lossPct}%`]);
        run(['qdisc', 'add', 'dev', ifs[i], 'parent', '1:', 'handle', '2:', ...tbf]);
      });
      return true;
    } catch {
      ends.forEach((run, i) => {
        try {
          run(['qdisc', 'del', 'dev', ifs[i], 'root']);
        } catch {
          // nothing was added
        }
        run(['qdisc', 'add', 'dev', ifs[i], 'root', 'handle', '1:', ...tbf]);
      });
      return false;
    }
  }

  /** Bytes the veth carried so far: to the shaped namespace (what its browser receives) and from it. */
  bytes(): { down: number; up: number } {
    // /proc/net/dev is this namespace's (/sys/class/net is the namespace /sys was mounted in).
    const line = readFileSync('/proc/self/net/dev', 'utf8')
      .split('\n')
      .find((l) => l.trim().startsWith(`${this.hostIf}:`));
    if (!line) throw new Error(`no ${this.hostIf} in /proc/net/dev`);
    const f = line.split(':')[1].trim().split(/\s+/).map(Number);
    return { down: f[8], up: f[0] };
  }

  /**
   * Makes 127.0.0.1:`port` of the test's namespace reachable as 127.0.0.1:`port` inside the shaped
   * one, across the shaped link.
   */
  async forward(port: number): Promise<void> {
    const hold = this.netem ? 0 : this.shape.delayMs;
    const later = (f: () => void) => (hold ? setTimeout(f, hold) : f());
    const server = createServer((page: Socket) => {
      const api = createConnection({ host: '127.0.0.1', port });
      for (const x of [page, api]) {
        this.open.add(x);
        x.on('close', () => this.open.delete(x));
      }
      page.on('data', (d) => {
        this.socketBytes.up += d.length;
        later(() => api.write(d));
      });
      api.on('data', (d) => {
        this.socketBytes.down += d.length;
        later(() => page.write(d));
      });
      page.on('end', () => later(() => api.end()));
      api.on('end', () => later(() => page.end()));
      const drop = () => {
        page.destroy();
        api.destroy();
      };
      page.on('error', drop);
      api.on('error', drop);
      // Only an error cuts the other side: a close after an end would throw away what is still
      // queued for the slow side.
      page.on('close', (failed) => failed && later(() => api.destroy()));
      api.on('close', (failed) => failed && later(() => page.destroy()));
    });
    await new Promise<void>((r) => server.listen(0, this.hostAddress, r));
    this.forwarders.push(server);
    const outer = (server.address() as { port: number }).port;
    const script = `const n=require('node:net');n.createServer(c=>{const u=n.createConnection({host:${JSON.stringify(this.hostAddress)},port:${outer}});c.pipe(u);u.pipe(c);const k=()=>{c.destroy();u.destroy()};c.on('error',k);u.on('error',k)}).listen(${port},'127.0.0.1',()=>console.log('up'))`;
    const child = spawn('nsenter', [`--net=${this.ns}`, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.inner.push(child);
    await new Promise<void>((ok, ko) => {
      const t = setTimeout(() => ko(new Error('the forwarder in the shaped namespace did not start')), 10_000);
      child.stdout.once('data', () => {
        clearTimeout(t);
        ok();
      });
      child.once('exit', (c) => ko(new Error(`the forwarder in the shaped namespace exited (${String(c)})`)));
    });
  }

  /**
   * Headless Debian Chromium (the suites' flags, needs.ts) run inside
   * the shaped namespace: Playwright talks to it over a pipe, which no namespace shapes.
   */
  async launchChromium(): Promise<Browser> {
    const wrapper = join(this.dir, 'chromium-in-shaped-ns');
    writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=${this.ns} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    return chromium.launch({
      executablePath: wrapper,
      headless: true,
      args: chromiumArgs(),
    });
  }

  async close(): Promise<void> {
    for (const c of this.inner) c.kill('SIGKILL');
    for (const s of this.forwarders) {
      for (const x of this.open) x.destroy();
      await new Promise((r) => s.close(r));
    }
    try {
      sh('ip', ['link', 'del', this.hostIf]);
    } catch {
      // gone with the namespace already
    }
    this.holder.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Installed before any script of the page: keeps every RTCPeerConnection the page makes, so the
 * test can read its getStats() (observation only: the page's own code runs unchanged).
 */
export const KEEP_PEER_CONNECTIONS = () => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...a: unknown[]) {
      super(...a);
      window.__pcs.push(this);
    }
  };
};

/** The video bytes the page's live PeerConnections have sent so far (outbound-rtp bytesSent, every layer). */
export async function outboundVideoBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let bytes = 0;
    for (const pc of window.__pcs as any[]) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: any) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') bytes += Number(s.bytesSent ?? 0);
      });
    }
    return bytes;
  });
}

export interface InboundRtp {
  audio: { packetsReceived: number; packetsLost: number; jitterMs: number; bytes: number; streams: number };
  video: { bytes: number; streams: number; framesDecoded: number };
  /** Each inbound stream's counters by its stats id: streams come and go (a resubscription), so windows are diffed per stream. */
  byId: Record<string, { kind: string; packetsReceived: number; packetsLost: number; bytes: number }>;
}

/** The inbound RTP of every peer connection of the page (jitter: the worst audio stream's, ms). */
export async function inboundRtp(page: Page): Promise<InboundRtp> {
  return page.evaluate(async () => {
    const out = {
      audio: { packetsReceived: 0, packetsLost: 0, jitterMs: 0, bytes: 0, streams: 0 },
      video: { bytes: 0, streams: 0, framesDecoded: 0 },
      byId: {} as Record<string, { kind: string; packetsReceived: number; packetsLost: number; bytes: number }>,
    };
    for (const [i, pc] of (window.__pcs ?? []).entries()) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: any) => {
        if (s.type !== 'inbound-rtp') return;
        out.byId[`${i}/${s.id}`] = {
          kind: s.kind,
          packetsReceived: s.packetsReceived ?? 0,
          packetsLost: s.packetsLost ?? 0,
          bytes: s.bytesReceived ?? 0,
        };
        if (s.kind === 'audio') {
          out.audio.streams++;
          out.audio.packetsReceived += s.packetsReceived ?? 0;
          out.audio.packetsLost += s.packetsLost ?? 0;
          out.audio.bytes += s.bytesReceived ?? 0;
          out.audio.jitterMs = Math.max(out.audio.jitterMs, (s.jitter ?? 0) * 1000);
        } else if (s.kind === 'video') {
          out.video.streams++;
          out.video.bytes += s.bytesReceived ?? 0;
          out.video.framesDecoded += s.framesDecoded ?? 0;
        }
      });
    }
    return out;
  });
}

/** Bytes received over a window, per stream of `kind` (one that started inside the window counts from zero). */
export function bytesOver(x: InboundRtp, y: InboundRtp, kind: 'audio' | 'video'): { bytes: number; streams: number } {
  let bytes = 0;
  let streams = 0;
  for (const [id, s] of Object.entries(y.byId)) {
    if (s.kind !== kind) continue;
    streams++;
    bytes += s.bytes - (x.byId[id]?.bytes ?? 0);
  }
  return { bytes, streams };
}

/** Milliseconds from `start` until the page's text holds `marker` (polled every 10 ms in the page). */
export async function arrivesWithin(page: Page, marker: string, start: number, timeoutMs: number): Promise<number> {
  await page.waitForFunction((m: string) => (window.document.body.innerText as string).includes(m), marker, {
    polling: 10,
    timeout: timeoutMs,
  });
  return Date.now() - start;
}

export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * Chromium with the suites' flags (needs.ts), unshaped, its microphone a steady tone (a voice that
 * never pauses, which Opus DTX cannot thin out); not web-client.ts's launchChromium, which registers
 * jest hooks the bench cannot load.
 */
export function launchUnshaped(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs([`--use-file-for-fake-audio-capture=${toneFile()}`]),
  });
}

/** Signs in through the page and opens the session from the list, as a returning person does. */
export async function openSession(page: Page, url: string, who: { email: string; password: string }, title: string, timeout: number) {
  await page.goto(url, { timeout });
  await page.getByLabel('E-mail').fill(who.email, { timeout });
  await page.getByLabel('Password').fill(who.password, { timeout });
  await page.getByRole('button', { name: 'Sign in' }).click({ timeout });
  await page.getByRole('link', { name: title }).click({ timeout });
}

/** Milliseconds until the room chat's input shows and takes typing (the page is usable), from `start`. */
export async function chatUsable(page: Page, start: number, timeout: number): Promise<number> {
  const input = page.getByLabel(/^Message to /);
  await input.first().waitFor({ state: 'visible', timeout });
  const end = start + timeout;
  while (!(await input.first().isEnabled())) {
    if (Date.now() > end) throw new Error('the room chat stayed disabled');
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

/** Kilobits per second between two counter readings taken `ms` apart. */
export const kbitPerS = (bytes: number, ms: number) => Math.round((bytes * 8) / ms);
const perStreamKbit = (o: { bytes: number; streams: number }, ms: number) => (o.streams ? kbitPerS(o.bytes / o.streams, ms) : 0);

export interface ConstrainedFigures {
  shape: LinkShape;
  netem: boolean;
  firstVisitMs: number;
  /** From the first request until the service worker, its precache done, controls the page. */
  cachedMs: number;
  repeatVisitMs: number;
  /** A service worker controlled the returning visit's page. */
  serviceWorker: boolean;
  latencyMs: { chat: number[]; shuttle: number[]; text: number[] };
  /**
   * Her camera, published in her caucus, on her uplink: ms from the returning visit's first request
   * until the page stopped sending it by itself (its notice shown; null: not within the wait), what
   * she sent meanwhile and during the text samples after (kbit/s on the veth; of it, her video's RTP
   * payload, from her publisher's outbound-rtp bytesSent), and the browser's
   * estimate of what it could send (availableOutgoingBitrate, kbit/s) when the page stopped it, and
   * how long the video the browser had already queued took to go out (the text samples wait for it).
   */
  uplink: {
    stoppedMs: number | null;
    upKbitBefore: number;
    upKbitAfter: number;
    videoUpKbitAfter: number;
    estimateKbps: number | null;
    drainMs: number;
  };
  /** The plenary's audio over a window (counts are the window's): after the switch to audio-only when it came, else before. */
  audio: InboundRtp['audio'] & { lossPct: number; windowMs: number };
  /** The same in the window before the switch (video competing for the link). */
  audioBeforeSwitch: InboundRtp['audio'] & { lossPct: number; windowMs: number };
  /** What the shaped delegate received, kbit/s on the veth (IP and up), per phase. */
  downKbit: { textOnly: number; plenaryBeforeSwitch: number; afterSwitch: number | null };
  /** The automatic switch to audio-only: ms after entering the plenary, null if it never came. */
  switchMs: number | null;
  /** After the switch, until her audio flowed again (the audio-only seat is a fresh one), ms; null without a switch. */
  audioBackMs: number | null;
  /** Who decided the switch: the page's own readings, or the SFU (media.link). */
  switchBy: 'page' | 'sfu' | null;
  /**
   * After pressing the switch's undo: ms until the SFU next told the page its link is poor (null: not
   * within the wait), video bytes received meanwhile, whether the page still receives video and shows
   * the notice. Null when there was no undo.
   */
  undo: { sfuSaidAfterMs: number | null; videoBytes: number; stillVideo: boolean; noticeShown: boolean } | null;
  /** Each media.link the page received: ms after entering the plenary, with the SFU's reports and packets lost. */
  sfuSaid: { at: number; reports: number; lost: number | null }[];
  /**
   * After the switch, the floor as it usually goes: the mediator speaks, South's head is muted (her
   * silence is Opus DTX). Her audio over a window and what crossed the link; null without a switch.
   */
  oneVoice: (InboundRtp['audio'] & { lossPct: number; windowMs: number; downKbit: number }) | null;
  /**
   * Then an interpreter's Arabic channel chosen, received alone (audio only: no floor underneath):
   * her audio over a window, the audio streams that brought packets in it, what crossed the link.
   */
  channelAlone: (InboundRtp['audio'] & { lossPct: number; windowMs: number; downKbit: number }) | null;
  /** Video bytes received over the window after the switch (0: none). */
  videoBytesAfterSwitch: number | null;
  perStream: { audioKbit: number; videoKbit: number };
}

/**
 * The constrained-link run shared by test/web-low-bandwidth.e2e-spec.ts (which asserts on it) and
 * bench/constrained-link.js (which prints it): a Janus mediation where North's head (Ana) has the
 * shaped link and everybody else loopback. Ana opens the session (first visit, then returning), the
 * text paths are timed in her caucus (`samples` each of chat, a conveyed shuttle message, a clause
 * of the negotiating text), then she is moved to the plenary, where the mediator and South's head
 * publish from unshaped browsers, and her audio is measured and the switch to audio-only awaited.
 */
export async function constrainedRun(o: {
  shape: LinkShape;
  samples: number;
  janus: string;
  startApp: (env: Record<string, string>) => Promise<{ url: string; close(): Promise<void> }>;
  startMediation: (app: any, options: { interpreters: boolean }) => Promise<any>;
  shots?: string;
  /** How long to wait for the automatic switch (ms); 0: do not wait. */
  switchWaitMs: number;
  /**
   * After the switch, press its undo and watch for this long (ms; 0: no undo): the page asks for
   * video again and does not switch by itself again in that room (what the SFU says meanwhile is
   * recorded; the page leaves it be).
   */
  undoWaitMs?: number;
  log?: (line: string) => void;
}): Promise<ConstrainedFigures> {
  const log = o.log ?? (() => undefined);
  const link = await ShapedLink.create(o.shape);
  let app: { url: string; close(): Promise<void> } | null = null;
  let m: any = null;
  const browsers: Browser[] = [];
  try {
    app = await o.startApp({ MEDIA_SFU: 'janus', JANUS_BINARY: o.janus, JANUS_ICE_INTERFACE: `jlo0,${link.hostIf}` });
    await link.forward(Number(new URL(app.url).port));
    m = await o.startMediation(app, { interpreters: true });
    const title = m.session.title as string;
    const slow = await link.launchChromium();
    browsers.push(slow);
    const fast = await launchUnshaped();
    browsers.push(fast);
    const ctx = await slow.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await ctx.addInitScript(KEEP_PEER_CONNECTIONS);
    const T = 120_000;

    // First visit: nothing cached; timed from the first request to the chat taking input.
    const first = await ctx.newPage();
    const t0 = Date.now();
    await openSession(first, app.url, m.a1, title, T);
    const firstVisitMs = await chatUsable(first, t0, T);
    log(`first visit usable in ${firstVisitMs} ms`);
    // The service worker the first visit installs (it precaches the build, the lazy chunks too) and
    // that then controls the page: a delegate who leaves before it is in place returns uncached.
    await first.waitForFunction(() => Boolean(window.navigator.serviceWorker?.controller), undefined, { timeout: T, polling: 100 });
    const cachedMs = Date.now() - t0;
    log(`service worker in control ${cachedMs} ms after the first request`);
    const sessionUrl = first.url();
    await first.close();
    // Returning: same browser profile (its cache, its service worker if the app installed one).
    const ana = await ctx.newPage();
    // What the server tells her page about her link (media.link), read off the socket as it arrives.
    const sfuSaid: { at: number; reports: number; lost: number | null }[] = [];
    ana.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        if (!text.includes('"media.link"')) return;
        const m = /^\d+(?:\/[^,]*,)?(\[.*\])$/s.exec(text);
        const [name, body] = m ? (JSON.parse(m[1]) as [string, { reports: number; lost: number | null }]) : ['', null];
        if (name === 'media.link' && body) sfuSaid.push({ at: Date.now(), reports: body.reports, lost: body.lost });
      }),
    );
    const t1 = Date.now();
    await ana.goto(sessionUrl, { timeout: T });
    const repeatVisitMs = await chatUsable(ana, t1, T);
    const serviceWorker = await ana.evaluate(() => Boolean(window.navigator.serviceWorker?.controller));
    log(`returning visit usable in ${repeatVisitMs} ms (service worker: ${serviceWorker})`);
    if (o.shots) await ana.screenshot({ path: join(o.shots, `low-bandwidth-${o.shape.rateKbit}k-usable.png`), fullPage: true });

    // Her camera and microphone go out in her caucus: the camera fills her uplink, and the page
    // stops sending it by itself (low-bandwidth.ts, THIN_UPLINK) with a notice.
    const u0 = link.bytes();
    let stoppedMs: number | null = null;
    try {
      await ana.getByTestId('uplink-thin-notice').first().waitFor({ state: 'visible', timeout: o.switchWaitMs });
      stoppedMs = Date.now() - t1;
    } catch {
      // Not within the wait: reported (null), the test says so.
    }
    const upKbitBefore = kbitPerS(link.bytes().up - u0.up, Date.now() - t1);
    const estimateKbps = await ana.evaluate(async () => {
      let kbps: number | null = null;
      for (const pc of window.__pcs as any[]) {
        if (pc.connectionState === 'closed' || !pc.getSenders().length) continue;
        (await pc.getStats()).forEach((s: any) => {
          if (s.type === 'candidate-pair' && s.nominated && typeof s.availableOutgoingBitrate === 'number')
            kbps = s.availableOutgoingBitrate / 1000;
        });
      }
      return kbps;
    });
    // What the browser had already queued for the link goes out after the encoder stops (4 s of it
    // measured): the text samples start once her video stopped growing for a second. A camera the
    // page kept (a wide enough uplink) is not waited for.
    const drainStart = Date.now();
    for (let sent = -1, now = await outboundVideoBytes(ana); stoppedMs !== null && now !== sent && Date.now() - drainStart < 15_000;) {
      sent = now;
      await new Promise((r) => setTimeout(r, 1000));
      now = await outboundVideoBytes(ana);
    }
    const drainMs = Date.now() - drainStart;
    log(
      `her camera stopped by the page ${stoppedMs} ms after the returning visit; up ${upKbitBefore} kbit/s until then; estimate then ${estimateKbps} kbit/s; her queued video out ${drainMs} ms later`,
    );

    // The text paths, in Ana's caucus (nobody else publishes there: text and her voice on her link).
    await ana.getByRole('tab', { name: 'Negotiating text' }).click();
    const latencyMs = { chat: [] as number[], shuttle: [] as number[], text: [] as number[] };
    const b0 = link.bytes();
    const sentVideo0 = await outboundVideoBytes(ana);
    const tb = Date.now();
    const id = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < o.samples; i++) {
      const chat = `chat-${id()}`;
      let s = Date.now();
      const posted = await m.client(m.a2).ask('chat.post', { roomId: m.caucusA, text: chat, clientMessageId: id() });
      if (!posted.ok) throw new Error(`chat.post: ${JSON.stringify(posted.error)}`);
      latencyMs.chat.push(await arrivesWithin(ana, chat, s, 30_000));

      const words = `shuttle-${id()}`;
      const sent = await m.post(m.b1, '/shuttle', { text: words, label: 'conveyable', conveyToPartyId: m.partyA, clientMessageId: id() });
      if (sent.status !== 201) throw new Error(`shuttle: ${sent.status} ${JSON.stringify(sent.body)}`);
      s = Date.now();
      const decided = await m.post(m.mediator, `/shuttle/${sent.body.id}/decide`, { decision: 'convey', mode: 'verbatim' });
      if (decided.status !== 200) throw new Error(`convey: ${decided.status} ${JSON.stringify(decided.body)}`);
      latencyMs.shuttle.push(await arrivesWithin(ana, words, s, 30_000));

      const clause = `clause-${id()}`;
      s = Date.now();
      const changed = await m.post(m.mediator, '/agreement/changes', {
        change: { kind: 'insert', afterClauseId: null, wording: { text: clause } },
      });
      if (changed.status !== 201) throw new Error(`text change: ${changed.status} ${JSON.stringify(changed.body)}`);
      latencyMs.text.push(await arrivesWithin(ana, clause, s, 30_000));
    }
    const b1 = link.bytes();
    const textOnly = kbitPerS(b1.down - b0.down, Date.now() - tb);
    const upKbitAfter = kbitPerS(b1.up - b0.up, Date.now() - tb);
    const videoUpKbitAfter = kbitPerS((await outboundVideoBytes(ana)) - sentVideo0, Date.now() - tb);
    log(
      `text latencies ms: chat ${latencyMs.chat.join(',')} shuttle ${latencyMs.shuttle.join(',')} text ${latencyMs.text.join(',')}; up ${upKbitAfter} kbit/s, of it video ${videoUpKbitAfter}`,
    );

    // The plenary: two unshaped publishers (audio and video), then Ana.
    const publishers: Page[] = [];
    for (const who of [m.mediator, m.b1]) {
      await m.place(who, m.plenary);
      const c = await fast.newContext({ permissions: ['camera', 'microphone'], viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      await c.addInitScript(KEEP_PEER_CONNECTIONS);
      const p = await c.newPage();
      await openSession(p, app.url, who, title, 30_000);
      publishers.push(p);
    }
    await new Promise((r) => setTimeout(r, 2000));
    await m.place(m.a1, m.plenary);
    const inPlenary = Date.now();
    // Audio arrives.
    let rtp = await inboundRtp(ana);
    while (rtp.audio.packetsReceived === 0) {
      if (Date.now() - inPlenary > 60_000) throw new Error(`no audio reached the shaped delegate: ${JSON.stringify(rtp)}`);
      await new Promise((r) => setTimeout(r, 200));
      rtp = await inboundRtp(ana);
    }
    log(`plenary audio after ${Date.now() - inPlenary} ms`);
    // A window of audio (and whatever video the page still takes before any switch).
    const windowMs = 10_000;
    const a0 = await inboundRtp(ana);
    const v0 = link.bytes();
    await new Promise((r) => setTimeout(r, windowMs));
    const a1 = await inboundRtp(ana);
    const v1 = link.bytes();
    const audioOver = (x: InboundRtp, y: InboundRtp) => {
      // Per stream: one that started inside the window counts from zero, one that ended is left out.
      let received = 0;
      let lost = 0;
      let bytes = 0;
      for (const [id, s] of Object.entries(y.byId)) {
        if (s.kind !== 'audio') continue;
        received += s.packetsReceived - (x.byId[id]?.packetsReceived ?? 0);
        lost += s.packetsLost - (x.byId[id]?.packetsLost ?? 0);
        bytes += s.bytes - (x.byId[id]?.bytes ?? 0);
      }
      return {
        ...y.audio,
        packetsReceived: received,
        packetsLost: Math.max(0, lost),
        bytes,
        lossPct: received + lost > 0 ? (100 * lost) / (received + lost) : 100,
        windowMs,
      };
    };
    const audioBeforeSwitch = audioOver(a0, a1);
    let audioAfterSwitch: ConstrainedFigures['audio'] | null = null;
    const perStream = {
      audioKbit: perStreamKbit(bytesOver(a0, a1, 'audio'), windowMs),
      videoKbit: perStreamKbit(bytesOver(a0, a1, 'video'), windowMs),
    };
    const plenaryBeforeSwitch = kbitPerS(v1.down - v0.down, windowMs);
    log(
      `audio before any switch: ${JSON.stringify(audioBeforeSwitch)}; per stream ${JSON.stringify(perStream)}; down ${plenaryBeforeSwitch} kbit/s`,
    );

    // The automatic switch to audio-only (the page's media panel says so, with a notice).
    let switchMs: number | null = null;
    let switchBy: 'page' | 'sfu' | null = null;
    let audioBackMs: number | null = null;
    let videoBytesAfterSwitch: number | null = null;
    let afterSwitch: number | null = null;
    let oneVoice: ConstrainedFigures['oneVoice'] = null;
    let channelAlone: ConstrainedFigures['channelAlone'] = null;
    if (o.switchWaitMs > 0) {
      try {
        await ana.locator('[data-receive="audio-only"]').first().waitFor({ state: 'attached', timeout: o.switchWaitMs });
        await ana.getByTestId('low-bandwidth-notice').first().waitFor({ state: 'visible', timeout: 5000 });
        switchMs = Date.now() - inPlenary;
        switchBy = (await ana.getByTestId('low-bandwidth-notice').first().getAttribute('data-by')) as 'page' | 'sfu' | null;
        // The switch takes a fresh seat (audio only): wait for its audio to flow (how long she heard
        // nothing is a figure), give the SFU a moment to stop what was in flight, then watch.
        const switchedAt = Date.now();
        const flowing = async () => {
          const a = await inboundRtp(ana);
          await new Promise((r) => setTimeout(r, 500));
          const b = await inboundRtp(ana);
          return Object.entries(b.byId).some(([id, x]) => x.kind === 'audio' && x.packetsReceived > (a.byId[id]?.packetsReceived ?? 0));
        };
        while (!(await flowing()) && Date.now() - switchedAt < 30_000);
        audioBackMs = Date.now() - switchedAt;
        log(`audio flowing again ${audioBackMs} ms after the switch`);
        await new Promise((r) => setTimeout(r, 2000));
        const w0 = await inboundRtp(ana);
        const l0 = link.bytes();
        await new Promise((r) => setTimeout(r, windowMs));
        const w1 = await inboundRtp(ana);
        videoBytesAfterSwitch = bytesOver(w0, w1, 'video').bytes;
        afterSwitch = kbitPerS(link.bytes().down - l0.down, windowMs);
        audioAfterSwitch = audioOver(w0, w1);
        log(
          `switched to audio-only ${switchMs} ms after entering (decided by the ${switchBy}; media.link received ${sfuSaid.length}); video bytes in ${windowMs} ms after: ${videoBytesAfterSwitch}; audio then ${JSON.stringify(audioAfterSwitch)}`,
        );
        // One voice at a time, as a floor goes: South's head mutes, the mediator speaks on. Her muted
        // microphone sends silence, which Opus DTX turns into a packet every 400 ms.
        await publishers[1].getByRole('button', { name: 'Mute' }).click();
        await new Promise((r) => setTimeout(r, 2000));
        const o0 = await inboundRtp(ana);
        const ol0 = link.bytes();
        await new Promise((r) => setTimeout(r, windowMs));
        const o1 = await inboundRtp(ana);
        oneVoice = { ...audioOver(o0, o1), downKbit: kbitPerS(link.bytes().down - ol0.down, windowMs) };
        log(`one voice, the other muted: ${JSON.stringify(oneVoice)}`);
        // Interpretation on the thin link: the mediators' interpreter interprets the floor into Arabic
        // and Ana chooses it. Receiving audio only, her page takes the channel alone, without the floor
        // underneath (two voices at once do not fit 64 kbit/s, one does).
        const ic = await fast.newContext({ permissions: ['microphone'], viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
        const interpreter = await ic.newPage();
        await openSession(interpreter, app.url, m.im, title, 30_000);
        await interpreter.getByTestId('interpret-channel').selectOption('ar');
        await interpreter.getByTestId('interpret-turn').getByText('Live').waitFor({ timeout: 30_000 });
        const listen = ana.getByTestId('listen-picker');
        await listen.locator('option[value="ar"]').waitFor({ state: 'attached', timeout: 30_000 });
        await listen.selectOption('ar');
        await ana.getByTestId('listen-alone-notice').waitFor({ state: 'visible', timeout: 10_000 });
        const chosenAt = Date.now();
        while (!(await flowing()) && Date.now() - chosenAt < 30_000);
        await new Promise((r) => setTimeout(r, 2000));
        const c0 = await inboundRtp(ana);
        const cl0 = link.bytes();
        await new Promise((r) => setTimeout(r, windowMs));
        const c1 = await inboundRtp(ana);
        channelAlone = {
          ...audioOver(c0, c1),
          downKbit: kbitPerS(link.bytes().down - cl0.down, windowMs),
          streams: Object.keys(c1.byId).filter(
            (id) => c1.byId[id].kind === 'audio' && c1.byId[id].packetsReceived > (c0.byId[id]?.packetsReceived ?? 0),
          ).length,
        };
        log(`the Arabic channel alone: ${JSON.stringify(channelAlone)}`);
        await listen.selectOption('');
        await ic.close();
        await publishers[1].getByRole('button', { name: 'Unmute' }).click();
      } catch (e) {
        log(`no automatic switch to audio-only within ${o.switchWaitMs} ms: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    if (o.shots) await ana.screenshot({ path: join(o.shots, `low-bandwidth-${o.shape.rateKbit}k-plenary.png`), fullPage: true });

    let undo: ConstrainedFigures['undo'] = null;
    if (o.undoWaitMs && switchMs !== null) {
      await ana.getByTestId('low-bandwidth-undo').first().click();
      const tUndo = Date.now();
      await ana.locator('[data-receive="video"]').first().waitFor({ state: 'attached', timeout: 30_000 });
      const before = sfuSaid.length;
      const u0 = await inboundRtp(ana);
      // The whole wait: longer than the page's 5 s window, so a second switch by itself would show.
      await new Promise((r) => setTimeout(r, Math.max(0, tUndo + o.undoWaitMs! - Date.now())));
      const u1 = await inboundRtp(ana);
      undo = {
        sfuSaidAfterMs: sfuSaid.length > before ? sfuSaid[sfuSaid.length - 1].at - tUndo : null,
        videoBytes: bytesOver(u0, u1, 'video').bytes,
        stillVideo: (await ana.locator('[data-receive="video"]').count()) > 0,
        noticeShown: await ana.getByTestId('low-bandwidth-notice').isVisible(),
      };
      log(`after the undo: ${JSON.stringify(undo)}`);
    }
    return {
      shape: o.shape,
      netem: link.netem,
      firstVisitMs,
      cachedMs,
      repeatVisitMs,
      serviceWorker,
      latencyMs,
      uplink: { stoppedMs, upKbitBefore, upKbitAfter, videoUpKbitAfter, estimateKbps, drainMs },
      audio: audioAfterSwitch ?? audioBeforeSwitch,
      audioBeforeSwitch,
      downKbit: { textOnly, plenaryBeforeSwitch, afterSwitch },
      switchMs,
      switchBy,
      audioBackMs,
      undo,
      sfuSaid: sfuSaid.map((x) => ({ ...x, at: x.at - inPlenary })),
      videoBytesAfterSwitch,
      oneVoice,
      channelAlone,
      perStream,
    };
  } finally {
    for (const b of browsers) await b.close().catch(() => undefined);
    m?.close();
    await app?.close().catch(() => undefined);
    await link.close();
  }
}

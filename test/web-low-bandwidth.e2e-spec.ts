import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp } from './support/harness';
import { startMediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { constrainedRun, quantile, type ConstrainedFigures } from './support/shaped-link';
import { buildWebClientInto, SCREENSHOTS } from './support/web-client';

/**
 * A delegate on a poor link (issue 15): North's head, Ana, runs headless Chromium in a network
 * namespace of her own, joined to the test's by a veth shaped with `tc tbf` to 64 kbit/s each way
 * (test/support/shaped-link.ts); everyone else is on loopback, with a real Janus. The round trip is
 * 300 ms and the loss 2 % where the kernel has netem; where it has not (this machine's kernel has
 * neither netem nor tc's gact), the page's HTTP and WebSocket get the 150 ms each way in user space
 * and UDP (her audio) the rate only: the figures say which (`netem`).
 *
 * Asserted, with the bounds below: the page is usable (the room chat takes input) on a first visit
 * and, from the service worker's cache, on a returning one; her camera, published in her caucus,
 * fills her uplink, and the page stops sending it by itself with a notice (its voice and the page's
 * requests queued behind it: a text sample took 3.6 s, and 8.6 s while the page sent a new offer
 * instead of pausing the camera); a conveyed shuttle message and a change
 * to the negotiating text reach her within 2 s, every sample; in the plenary, where the mediator and
 * South's head publish audio and video, the floor's audio reaches her (loss and jitter written to
 * test-artifacts/web/low-bandwidth.json and printed), the page moves her to audio-only receive by
 * itself (or on the SFU's word, media.link), with a notice, and no video byte reaches her after
 * that; one voice at a time (the other muted) reaches her whole, and so does an interpretation
 * channel she chooses, received alone (no floor underneath) while she receives audio only; her undo
 * is honoured and not overridden. Screenshots of the usable page
 * and of the plenary go to test-artifacts/web/.
 */
jest.setTimeout(600_000);

const janus = findJanusBinary();

const SHAPE = { rateKbit: 64, delayMs: 150, lossPct: 2 };
/**
 * First visit: the initial download is 159 kB compressed (the budget is 181 kB), 20 s at 8 kB/s,
 * plus the sign-in and the session's round trips at 300 ms; 60 s leaves a loaded CI machine room.
 */
const FIRST_VISIT_MS = 60_000;
/** Returning: the page comes from the service worker; only the API and the socket cross the link. */
const RETURNING_MS = 10_000;
/** How long after her returning visit the page may take to stop sending a camera her uplink cannot carry. */
const UPLINK_WAIT_MS = 30_000;
/** Her video over the text samples, kbit/s (they start once what the browser had queued went out): the camera's low layer ran at 30. */
const VIDEO_UP_AFTER_KBIT = 2;
/** The bound for a shuttle message and a text change, sent to shown. */
const TEXT_MS = 2_000;
/** How long the page may take to decide her link cannot carry video. */
const SWITCH_WAIT_MS = 60_000;
const SAMPLES = 5;
/** After the undo, how long to watch: twice the page's 5 s window (a second switch by itself would show). */
const UNDO_WAIT_MS = 10_000;

describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
  lacks.janus(),
)('a delegate on a 64 kbit/s link, 300 ms round trip (Janus)', () => {
  let f: ConstrainedFigures;
  let webDir: string;

  beforeAll(async () => {
    webDir = buildWebClientInto(mkdtempSync(join(tmpdir(), 'parley-web-low-bandwidth-')));
    mkdirSync(SCREENSHOTS, { recursive: true });
    f = await constrainedRun({
      shape: SHAPE,
      samples: SAMPLES,
      janus: janus!,
      startApp: (env) => startApp({ ...env, WEB_DIR: webDir }),
      startMediation,
      shots: SCREENSHOTS,
      switchWaitMs: SWITCH_WAIT_MS,
      undoWaitMs: UNDO_WAIT_MS,
      log: (line) => process.stdout.write(`web-low-bandwidth: ${line}\n`),
    });
    const q = (xs: number[]) => ({ p50: quantile(xs, 0.5), max: Math.max(...xs), n: xs.length });
    const report = {
      date: new Date().toISOString(),
      loadAverage: loadavg()[0],
      ...f,
      latency: { chat: q(f.latencyMs.chat), shuttle: q(f.latencyMs.shuttle), text: q(f.latencyMs.text) },
    };
    writeFileSync(resolve(SCREENSHOTS, 'low-bandwidth.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(`web-low-bandwidth: ${JSON.stringify(report)}\n`);
  });
  afterAll(() => {
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  it(`is usable within ${FIRST_VISIT_MS / 1000} s on a first visit and ${RETURNING_MS / 1000} s on a returning one, from the cache`, () => {
    expect(f.firstVisitMs).toBeLessThanOrEqual(FIRST_VISIT_MS);
    expect(f.cachedMs).toBeGreaterThan(0);
    expect(f.serviceWorker).toBe(true);
    expect(f.repeatVisitMs).toBeLessThanOrEqual(RETURNING_MS);
  });

  it('receives every conveyed shuttle message and text change within 2 s; chat arrives', () => {
    expect(f.latencyMs.shuttle).toHaveLength(SAMPLES);
    expect(f.latencyMs.text).toHaveLength(SAMPLES);
    expect(f.latencyMs.chat).toHaveLength(SAMPLES);
    expect(Math.max(...f.latencyMs.shuttle)).toBeLessThanOrEqual(TEXT_MS);
    expect(Math.max(...f.latencyMs.text)).toBeLessThanOrEqual(TEXT_MS);
  });

  it('stops sending her camera by itself when it fills her uplink, with a notice: her voice and the text then have the link', () => {
    expect(f.uplink.stoppedMs).not.toBeNull();
    expect(f.uplink.stoppedMs!).toBeLessThanOrEqual(UPLINK_WAIT_MS);
    // After it, her voice (24 kbit/s Opus at most, 50 packets a second of overhead) and the page's
    // requests: no picture (what the browser's pacer still held when the camera stopped, at most).
    expect(f.uplink.videoUpKbitAfter).toBeLessThanOrEqual(VIDEO_UP_AFTER_KBIT);
    expect(f.uplink.upKbitAfter).toBeLessThan(SHAPE.rateKbit);
  });

  it('receives the floor’s audio in the plenary (loss and jitter reported)', () => {
    // Two publishers at 50 packets a second each over a 10 s window would be 1,000 packets.
    expect(f.audio.streams).toBeGreaterThanOrEqual(1);
    expect(f.audio.packetsReceived).toBeGreaterThan(0);
    expect(f.audio.lossPct).toBeGreaterThanOrEqual(0);
    expect(f.audio.lossPct).toBeLessThan(100);
  });

  it('hears one voice whole when the floor goes one at a time: the other muted costs nearly nothing (Opus DTX, audio capped)', () => {
    // Measured 0.9 % (5 of 562 packets); 21 to 27 % before DTX and the 24 kbit/s cap. 8 % is where the
    // page itself calls a link poor (low-bandwidth.ts): speech breaks up above it.
    expect(f.oneVoice).not.toBeNull();
    expect(f.oneVoice!.packetsReceived).toBeGreaterThan(300);
    expect(f.oneVoice!.lossPct).toBeLessThanOrEqual(8);
  });

  it('follows an interpretation channel whole: receiving audio only, the channel comes alone, without the floor', () => {
    expect(f.channelAlone).not.toBeNull();
    expect(f.channelAlone!.streams).toBe(1);
    expect(f.channelAlone!.packetsReceived).toBeGreaterThan(300);
    expect(f.channelAlone!.lossPct).toBeLessThanOrEqual(8);
  });

  it('is moved to audio-only receive by the page, with a notice, and receives no video after', () => {
    expect(f.switchMs).not.toBeNull();
    expect(f.switchMs!).toBeLessThanOrEqual(SWITCH_WAIT_MS);
    expect(f.videoBytesAfterSwitch).toBe(0);
    expect(['page', 'sfu']).toContain(f.switchBy);
    // Her audio comes back on the audio-only seat (a fresh one: seconds without sound, reported).
    expect(f.audioBackMs).not.toBeNull();
    expect(f.audioBackMs!).toBeLessThan(30_000);
  });

  it('her undo is honoured: the page asks for video again and does not switch again by itself in that room', () => {
    expect(f.undo).not.toBeNull();
    expect(f.undo!.stillVideo).toBe(true);
    expect(f.undo!.noticeShown).toBe(false);
    // Reported, not asserted: on 64 kbit/s with two voices the link has no room for the video asked
    // back for (0 bytes in the runs of 2026-12-03), and the SFU's media.link (Janus' slowlink
    // reports, made a poor link by link-quality.policy) came before the page's own decision in one
    // run of two: it needs video packets lost, which never came when the video never started.
    process.stdout.write(
      `web-low-bandwidth: switch by ${f.switchBy}; media.link ${JSON.stringify(f.sfuSaid)}; undo ${JSON.stringify(f.undo)}\n`,
    );
  });
});

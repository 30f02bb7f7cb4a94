// Media benchmark, for each SFU present (Janus, mediasoup) one after the other in one run, with the
// same pages and loads, printed side by side: the built API (started once per SFU with MEDIA_SFU set;
// it starts its own Janus or mediasoup workers) with headless Chromium pages and werift peers, all
// inside a network namespace this script creates (loopback plus `jlo0` = 127.0.0.2, see
// ../shared/notes/webrtc-testing.md and scripts/media-netns.sh) with the embedded database. The
// SFU's ICE (Janus) or listen address (mediasoup) is jlo0.
//  1. join-to-first-frame: party A's first member publishes in caucus A; a second member of A does
//     media.join → media.subscribe → media.answer and waits for inbound video framesDecoded > 0
//     (getStats sampled every 10 ms); media.leave, then again (a fresh seat every time);
//  2. move-to-first-frame: the mediator, decoding and publishing in caucus A, is moved (REST move)
//     to caucus B, then back, alternately; each caucus has a publishing party member. From the move
//     request to (a) the last frame of the old room decoded at the mediator's page (target ≤ 100 ms),
//     (b) the first frame of the new room decoded there (target ≤ 500 ms), (c) the first frame of the
//     mover's video decoded by the member of the new room (who subscribes on 'media.feeds'; target
//     p95 ≤ 300 ms);
//  3. forwarded streams per core: one Chromium publisher (audio + video) in the plenary, N werift
//     observers subscribed (receive-only, so 2N streams forwarded: audio and video), the CPU of the
//     SFU's processes (the Janus process, or every mediasoup worker; /proc/<pid>/stat utime+stime)
//     over a fixed window at each N → forwarded streams / (SFU cores used above the publisher-only
//     idle), the figure to set beside mediasoup's own (about 500 consumers per worker core).
// Prints a table with one column per SFU, writes bench/results/media.json.
//
//   node bench/media.js [--sfu janus,mediasoup] [--join-iterations 25] [--move-iterations 21]
//                       [--subscribers 10,20,40] [--window 15] [--move-gap 1000] [--max-seconds 540]
//   (every option also as BENCH_<NAME>; needs `npm run build`, /usr/bin/chromium and an SFU: janus,
//   or the optional mediasoup package with its worker (MEDIASOUP_WORKER_BIN); --max-seconds bounds
//   each SFU's run, and the whole run stops after 12 minutes per SFU)
'use strict';
/* global P -- the media test page's own object (test/support/media-page.browser.js), used inside page.evaluate */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const os = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const CHROMIUM = '/usr/bin/chromium';

// ---------------------------------------------------------------------------------------------
// Into a network namespace of our own (re-exec), or refuse.
// ---------------------------------------------------------------------------------------------
const janusBinary = (() => {
  const r = spawnSync('bash', ['-c', 'command -v janus'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();
/** The mediasoup worker the API will spawn (what mediasoup itself runs), or null when the optional package or its worker is missing. */
const mediasoupWorker = (() => {
  let pkg;
  try {
    pkg = join(require.resolve('mediasoup'), '..', '..', '..');
  } catch {
    return null;
  }
  const bin = process.env.MEDIASOUP_WORKER_BIN || join(pkg, 'worker', 'out', 'Release', 'mediasoup-worker');
  return existsSync(bin) ? bin : null;
})();
const PRESENT = { janus: janusBinary, mediasoup: mediasoupWorker };
const SFUS = (() => {
  const asked = String(require('./support').arg('sfu', 'janus,mediasoup'))
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const x of asked) if (!(x in PRESENT)) throw new Error(`bench/media: unknown SFU '${x}' (janus, mediasoup)`);
  return asked.filter((x) => PRESENT[x]);
})();
if (!process.env.PARLEY_BENCH_NETNS) {
  for (const [name, bin] of Object.entries(PRESENT))
    console.log(`bench/media: ${name} ${bin ? `present (${bin})` : 'absent: not measured'}`);
  if (!SFUS.length) {
    console.error('bench/media: no SFU to measure (apt-get install janus, or mediasoup with MEDIASOUP_WORKER_BIN; see the README)');
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`bench/media: no ${CHROMIUM} (apt-get install chromium)`);
    process.exit(1);
  }
  require('./support').reexecInNamespace(__filename, ROOT);
}
if (!require('./support').inNamespace()) {
  console.error('bench/media: no jlo0 inside the namespace');
  process.exit(1);
}

const { chromium } = require('playwright-core');
const { RTCPeerConnection } = require('werift');
// The browser suites' Chromium flags and steady tone (test/support/needs.ts), as bench/constrained-link loads them.
require('ts-node/register/transpile-only');
require('tsconfig-paths/register');
const { chromiumArgs, toneFile } = require('../test/support/needs');
const { api, arg, ask, connect, email, sleep, startApi } = require('./support');

const JOIN_ITERATIONS = arg('join-iterations', 25);
const MOVE_ITERATIONS = arg('move-iterations', 21);
const SUBSCRIBERS = String(arg('subscribers', '10,20,40'))
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b)
  .slice(0, 5);
const WINDOW_S = Math.min(arg('window', 15), 60);
const MOVE_GAP_MS = arg('move-gap', 1000);
const JOIN_GAP_MS = arg('join-gap', 300);
const MAX_SECONDS = arg('max-seconds', 540);
const PASSWORD = 'bench password 123';
const TARGET_CUT = 100;
const TARGET_NEW_ROOM = 500;
const TARGET_MOVER_SEEN = 300;

const now = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function stats(values) {
  const s = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (!s.length) return { count: 0, p50: null, p95: null, max: null, mean: null };
  return { count: s.length, p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const f = (v, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));
const cpuTicks = (pid) => {
  const x = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(x[11]) + Number(x[12]);
};
const HZ = 100; // USER_HZ
/** Busy and total jiffies of the whole machine (all cores). */
const machine = () => {
  const c = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = c[3] + c[4];
  const total = c.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};
/** The SFU's processes under `root` (the API): the janus binary, or every mediasoup worker. */
function sfuPids(root, sfu) {
  const isSfu = (argv0) =>
    sfu === 'janus'
      ? argv0 === janusBinary || argv0.endsWith('/janus') || argv0 === 'janus'
      : argv0 === mediasoupWorker || argv0.endsWith('/mediasoup-worker') || /mediasoup-worker[^/]*$/.test(argv0);
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parent.set(Number(d), Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]));
    } catch {
      /* the process ended meanwhile */
    }
  }
  const out = [];
  for (const [pid] of parent) {
    let p = pid;
    for (let hops = 0; hops < 20 && p > 1; hops++) {
      p = parent.get(p);
      if (p === root) {
        try {
          const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
          if (isSfu(argv0)) out.push(pid);
        } catch {
          /* the process ended meanwhile */
        }
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The API (which starts Janus), people, sockets
// ---------------------------------------------------------------------------------------------
/** The built API with this SFU: Janus with ICE on jlo0, or mediasoup workers listening on jlo0's address. */
const startServer = (sfu, dataDir, env = {}) =>
  startApi(
    {
      DATA_DIR: dataDir,
      MEDIA_SFU: sfu,
      ...(sfu === 'janus'
        ? { JANUS_BINARY: janusBinary, JANUS_ICE_INTERFACE: 'jlo0' }
        : { MEDIASOUP_LISTEN_IP: '127.0.0.2', MEDIASOUP_WORKER_BIN: mediasoupWorker }),
      ...env,
    },
    [],
    { readyWithinMs: 180_000 },
  ); // a first start creates the embedded database: slow on a busy machine

async function startMediation(base, observers) {
  const reg = await api(base, 'POST', '/api/auth/register', null, {
    email: email('Mediator'),
    password: PASSWORD,
    displayName: 'Bench Mediator',
  });
  const mediator = { name: 'mediator', token: reg.accessToken };
  const session = await api(base, 'POST', '/api/sessions', mediator.token, { title: 'Media bench', parties: ['A', 'B'] });
  mediator.participantId = session.me.id;
  const invite = async (name, body) => {
    const inv = await api(base, 'POST', `/api/sessions/${session.id}/invitations`, mediator.token, body);
    const acc = await api(base, 'POST', `/api/invitations/${inv.token}/accept`, null, {
      email: email(name),
      password: PASSWORD,
      displayName: name,
    });
    return { name, token: acc.accessToken, participantId: acc.participant.id };
  };
  const [pa, pb] = session.parties;
  const a1 = await invite('A 1', { role: 'party_member', partyId: pa.id, isHead: true });
  const a2 = await invite('A 2', { role: 'party_member', partyId: pa.id, isHead: false });
  const b1 = await invite('B 1', { role: 'party_member', partyId: pb.id, isHead: true });
  const obs = [];
  for (let o = 0; o < observers; o++) obs.push(await invite(`Observer ${o + 1}`, { role: 'observer' }));
  await api(base, 'POST', `/api/sessions/${session.id}/status`, mediator.token, { status: 'open' });
  const roomOf = (kind) => session.rooms.find((r) => r.kind === kind).id;
  const move = (p, roomId) =>
    api(base, 'POST', `/api/sessions/${session.id}/participants/${p.participantId}/move`, mediator.token, { roomId });
  for (const p of [a1, a2]) await move(p, pa.caucusRoomId);
  await move(b1, pb.caucusRoomId);
  for (const p of obs) await move(p, roomOf('plenary'));
  await move(mediator, roomOf('mediator'));
  return {
    id: session.id,
    mediator,
    a1,
    a2,
    b1,
    observers: obs,
    caucusA: pa.caucusRoomId,
    caucusB: pb.caucusRoomId,
    plenary: roomOf('plenary'),
    move,
  };
}

// ---------------------------------------------------------------------------------------------
// The page (as in test/media-browser.e2e-spec.ts, plus: a reused camera, a join-to-first-frame
// loop run in the page, and an automatic subscription to a watched participant's new feed).
// ---------------------------------------------------------------------------------------------
// The page's own code, shared with the browser suite.
const PAGE_SCRIPT = readFileSync(join(__dirname, '..', 'test', 'support', 'media-page.browser.js'), 'utf8');

// ---------------------------------------------------------------------------------------------
// werift observers (part 3)
// ---------------------------------------------------------------------------------------------
function gatheredWerift(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve(pc.localDescription.sdp);
  return new Promise((ok) =>
    pc.iceGatheringStateChange.subscribe((s) => {
      if (s === 'complete') ok(pc.localDescription.sdp);
    }),
  );
}
async function weriftSubscriber(base, sessionId, person) {
  const socket = await connect(base, person.token);
  await ask(socket, 'session.join', { sessionId });
  await ask(socket, 'media.join', {});
  const offer = await ask(socket, 'media.subscribe', {});
  const pc = new RTCPeerConnection({ iceUseIpv6: false, bundlePolicy: 'max-bundle' });
  const peer = { socket, pc, rtp: { audio: 0, video: 0 }, bytes: 0 };
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((rtp) => {
      peer.rtp[track.kind]++;
      peer.bytes += rtp.payload.length;
    }),
  );
  await pc.setRemoteDescription({ type: 'offer', sdp: offer.offerSdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await ask(socket, 'media.answer', { answerSdp: await gatheredWerift(pc) });
  return peer;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------
/** One SFU, start to end: the API with it, the three parts, everything stopped again. */
async function runSfu(sfu) {
  const DEADLINE = Date.now() + MAX_SECONDS * 1000; // every loop also stops here
  const dataDir = mkdtempSync(join(os.tmpdir(), 'parley-bench-media-'));
  const cleanup = [];
  let server;
  let pidsOfSfu = [];
  onHardStop = () => {
    for (const pid of [server?.child.pid, ...pidsOfSfu]) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const result = { join: [], moves: [], perCore: [], notes: [], activity: [] };
  let engine = null;
  try {
    // The pages
    const ioClient = readFileSync(join(ROOT, 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js'));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>parley media bench</title></head><body>
<script src="/socket.io.js"></script><script>${PAGE_SCRIPT}</script></body></html>`;
    const site = createServer((req, res) => {
      if (req.url === '/socket.io.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(ioClient);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise((ok) => site.listen(0, '127.0.0.1', ok));
    cleanup.push(() => new Promise((ok) => site.close(ok)));
    const siteUrl = `http://127.0.0.1:${site.address().port}/`;
    // The pages are another origin than the API's: the API accepts their sockets only when listed.
    server = await startServer(sfu, dataDir, { ALLOWED_ORIGINS: new URL(siteUrl).origin });
    cleanup.push(() => server.stop());
    const maxObservers = SUBSCRIBERS.length ? SUBSCRIBERS[SUBSCRIBERS.length - 1] : 0;
    const t0 = Date.now();
    const m = await startMediation(server.base, maxObservers);
    console.log(`mediation set up (${3 + maxObservers} invited) in ${Date.now() - t0} ms`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // A steady tone instead of the fake device's short beeps: every publisher "talks", so the SFU's
      // audio-level path (talking events, media.activity) carries something to count.
      args: chromiumArgs([`--use-file-for-fake-audio-capture=${toneFile()}`]),
    });
    cleanup.unshift(() => browser.close().catch(() => undefined));
    const pages = new Map();
    for (const person of [m.mediator, m.a1, m.a2, m.b1]) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const p = await context.newPage();
      p.on('pageerror', (e) => console.warn(`page error (${person.name}): ${e.message}`));
      p.on('crash', () => console.warn(`page crashed (${person.name})`));
      p.on('close', () => console.warn(`page closed (${person.name})`));
      await p.goto(siteUrl);
      await p.evaluate(([url, token, sessionId]) => P.connect(url, token, sessionId), [server.base, person.token, m.id]);
      pages.set(person, p);
    }
    const inPage = (who, fn, argument) => pages.get(who).evaluate(fn, argument);

    // Media available? (The SFU is started by the API; give it a moment.)
    let joined;
    for (let i = 0; i < 50; i++) {
      joined = await inPage(m.a1, () => P.ask('media.join', {}));
      if (joined.ok) break;
      await sleep(200);
    }
    if (!joined.ok) throw new Error(`media unavailable: ${JSON.stringify(joined.error)}`);
    engine = joined.data?.sfu ?? joined.data?.engine ?? null; // media.join names the engine it talks to (decides nothing)
    if (engine !== sfu) throw new Error(`MEDIA_SFU=${sfu}, but media.join names ${JSON.stringify(joined.data)}`);
    pidsOfSfu = sfuPids(server.child.pid, sfu);
    if (!pidsOfSfu.length || (sfu === 'janus' && pidsOfSfu.length !== 1))
      throw new Error(`expected ${sfu === 'janus' ? 'one janus' : 'mediasoup workers'} under the API, found ${JSON.stringify(pidsOfSfu)}`);
    for (const pid of pidsOfSfu)
      console.log(`${sfu} pid ${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);
    const sfuTicks = () => pidsOfSfu.reduce((a, pid) => a + cpuTicks(pid), 0);

    // Publishers: A1 in caucus A, B1 in caucus B.
    const pubA = await inPage(m.a1, () => P.publish());
    if (!pubA.ok) throw new Error(`a1 publish: ${JSON.stringify(pubA)}`);
    const jb = await inPage(m.b1, () => P.ask('media.join', {}));
    const pubB = await inPage(m.b1, () => P.publish());
    if (!jb.ok || !pubB.ok) throw new Error(`b1 publish: ${JSON.stringify([jb, pubB])}`);
    await sleep(500);

    // ---- 1. join-to-first-frame (A2 in caucus A, fresh seat each time) --------------------------
    console.log(`1. join-to-first-frame: ${JOIN_ITERATIONS} iterations (+1 warm-up)`);
    for (let i = 0; i <= JOIN_ITERATIONS && Date.now() < DEADLINE; i++) {
      const r = await inPage(m.a2, (t) => P.joinToFirstFrame(t), 5000);
      if (i === 0) continue; // warm-up
      result.join.push(
        r.ok
          ? {
              ok: true,
              joinToFirstFrame: r.firstFrameAt - r.t0,
              join: r.joinedAt - r.t0,
              subscribeToFirstFrame: r.firstFrameAt - r.subscribeAt,
              answeredToFirstFrame: r.firstFrameAt - r.answeredAt,
            }
          : { ok: false, error: r.error ?? 'no frame within 5 s' },
      );
      await sleep(JOIN_GAP_MS);
    }
    await inPage(m.a2, () => P.leave());

    // ---- 2. move-to-first-frame ------------------------------------------------------------
    console.log(`2. move-to-first-frame: ${MOVE_ITERATIONS} moves (+1 placement), ${MOVE_GAP_MS} ms apart at least`);
    await inPage(
      m.a1,
      (pid) => {
        P.watch = pid;
      },
      m.mediator.participantId,
    );
    await inPage(
      m.b1,
      (pid) => {
        P.watch = pid;
      },
      m.mediator.participantId,
    );
    await m.move(m.mediator, m.caucusA);
    let entered = await inPage(m.mediator, () => P.enter());
    if (!entered.ok) throw new Error(`mediator enter: ${JSON.stringify(entered)}`);
    let current = { room: m.caucusA, subId: entered.sub.id, member: m.a1 };
    await inPage(m.mediator, ([id, t]) => P.waitFirstFrame(id, t), [current.subId, 3000]);
    await sleep(MOVE_GAP_MS);
    for (let i = 0; i < MOVE_ITERATIONS && Date.now() < DEADLINE; i++) {
      const target = current.room === m.caucusA ? { room: m.caucusB, member: m.b1 } : { room: m.caucusA, member: m.a1 };
      const before = await inPage(m.mediator, (id) => P.sub(id), current.subId);
      const decodingBefore = before.lastIncreaseAt !== null && now() - before.lastIncreaseAt < 200;
      const tMove = now();
      await m.move(m.mediator, target.room);
      const tMoved = now();
      entered = await inPage(m.mediator, () => P.enter());
      const row = {
        i,
        to: target.room === m.caucusA ? 'caucus A' : 'caucus B',
        decodingBefore,
        moveRequest: tMoved - tMove,
        ok: entered.ok,
      };
      if (entered.ok) {
        const fresh = await inPage(m.mediator, ([id, t]) => P.waitFirstFrame(id, t), [entered.sub.id, 3000]);
        const seen = await inPage(target.member, ([feedId, t]) => P.watchedFirstFrame(feedId, t), [entered.pub.feedId, 3000]);
        // Where the member's time goes: its subscription asked, then connected (ICE + DTLS), then decoding.
        const seenSub = await inPage(
          target.member,
          (feedId) => {
            const w = P.watched.find((x) => x.feedId === feedId);
            if (!w || w.subId === null) return null;
            const s = P.subs[w.subId];
            const up = s.log.find((l) => l.what === 'pc connected');
            return { t0: s.t0, connectedAt: up ? up.t : null };
          },
          entered.pub.feedId,
        );
        const old = await inPage(m.mediator, ([id, q, t]) => P.waitStopped(id, q, t), [current.subId, 500, 3000]);
        const cutEventAt = await inPage(m.mediator, ([room, t]) => P.cutAt(room, t), [current.room, tMove]);
        Object.assign(row, {
          oldLastFrame: old.lastIncreaseAt === null ? null : Math.max(0, old.lastIncreaseAt - tMove),
          oldStillDecoding: old.lastIncreaseAt !== null && now() - old.lastIncreaseAt < 400,
          oldFramesAfter: old.frames - before.frames,
          cutEvent: cutEventAt === null ? null : cutEventAt - tMove,
          newFirstFrame: fresh.firstFrameAt === null ? null : fresh.firstFrameAt - tMove,
          moverSeen: seen.firstFrameAt === null ? null : seen.firstFrameAt - tMove,
          moverAnnounced: seen.announcedAt === null ? null : seen.announcedAt - tMove,
          moverSubscribeTries: seen.tries ?? null,
          moverSubscribeAsked: seenSub ? seenSub.t0 - tMove : null,
          moverConnected: seenSub?.connectedAt ? seenSub.connectedAt - tMove : null,
          moverConnectedToFirstFrame: seenSub?.connectedAt && seen.firstFrameAt ? seen.firstFrameAt - seenSub.connectedAt : null,
          joinDone: entered.joinedAt - tMove,
          publishAnswered: entered.pub.t1 - tMove,
        });
        await inPage(m.mediator, (id) => P.stop(id), current.subId);
        await inPage(current.member, () => P.stopAll()); // its subscription to the mediator's old feed is gone anyway
        current = { room: target.room, subId: entered.sub.id, member: target.member };
      } else {
        row.error = entered;
        current = { room: target.room, subId: current.subId, member: target.member };
      }
      result.moves.push(row);
      const wait = MOVE_GAP_MS - (now() - tMove);
      if (wait > 0) await sleep(wait);
    }

    // Who the SFU said was speaking (media.activity), as the four pages heard it during parts 1 and 2.
    for (const [person, page] of pages) {
      const seen = await page.evaluate(() =>
        P.eventsOf('media.activity', 0).map((e) => ({
          roomId: e.payload?.roomId,
          speaking: e.payload?.speaking ?? null,
          levels: e.payload?.levels ?? [],
        })),
      );
      const names = new Map([m.mediator, m.a1, m.a2, m.b1].map((x) => [x.participantId, x.name]));
      result.activity.push({
        page: person.name,
        events: seen.length,
        speakers: [...new Set(seen.map((e) => e.speaking).filter(Boolean))].map((id) => names.get(id) ?? id),
        loudestDbov: seen.flatMap((e) => e.levels.map((l) => l.dBov)).reduce((a, b) => Math.max(a, b), -Infinity),
      });
    }
    console.log(
      `   media.activity at the pages: ${result.activity.map((a) => `${a.page} ${a.events} (${a.speakers.join(', ') || 'nobody'})`).join('; ')}`,
    );

    // ---- 3. forwarded streams per core -------------------------------------------------------
    // Only A1 keeps media: everyone else leaves, A1 moves to the plenary and publishes there.
    for (const who of [m.mediator, m.a2, m.b1]) await inPage(who, () => P.leave());
    await inPage(m.a1, () => {
      P.watch = null;
      P.stopAll();
    });
    await m.move(m.a1, m.plenary);
    const ja = await inPage(m.a1, () => P.ask('media.join', {}));
    const pa = await inPage(m.a1, () => P.publish());
    if (!ja.ok || !pa.ok) throw new Error(`a1 publish in the plenary: ${JSON.stringify([ja, pa])}`);
    await sleep(2000);
    const peers = [];
    cleanup.unshift(async () => {
      for (const p of peers) {
        await p.pc.close().catch(() => undefined);
        p.socket.close();
      }
    });
    const measure = async (n) => {
      const rtp0 = peers.map((p) => p.rtp.video + p.rtp.audio);
      const rtpKinds0 = peers.map((p) => ({ ...p.rtp }));
      const bytes0 = peers.reduce((a, p) => a + p.bytes, 0);
      const j0 = sfuTicks();
      const a0 = cpuTicks(server.child.pid);
      const s0 = process.cpuUsage();
      const m0 = machine();
      const w0 = now();
      await sleep(WINDOW_S * 1000);
      const seconds = (now() - w0) / 1000;
      const j1 = sfuTicks();
      const a1 = cpuTicks(server.child.pid);
      const s1 = process.cpuUsage();
      const m1 = machine();
      const sfuCores = (j1 - j0) / HZ / seconds;
      const receiving = peers.filter((p, k) => p.rtp.video + p.rtp.audio > rtp0[k]).length;
      // Forwarded streams: per receiving subscriber, each kind it got packets of in the window.
      const streams = peers.reduce(
        (a, p, k) => a + (p.rtp.video > rtpKinds0[k].video ? 1 : 0) + (p.rtp.audio > rtpKinds0[k].audio ? 1 : 0),
        0,
      );
      const row = {
        subscribers: n,
        receiving,
        streams,
        windowSeconds: seconds,
        sfuCpuSeconds: (j1 - j0) / HZ,
        sfuCores,
        apiCores: (a1 - a0) / HZ / seconds,
        benchProcessCores: (s1.user - s0.user + (s1.system - s0.system)) / 1e6 / seconds,
        machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
        subscriberPayloadKbps: n ? ((peers.reduce((a, p) => a + p.bytes, 0) - bytes0) * 8) / 1000 / seconds / n : null,
        streamsPerCore: streams && sfuCores > 0 ? streams / sfuCores : null,
      };
      result.perCore.push(row);
      console.log(
        `   N=${n}: ${sfu} ${f(sfuCores * 100)} % of a core over ${f(seconds)} s, ${receiving}/${n} receiving (${streams} streams), machine ${f(row.machineBusy * 100)} % busy`,
      );
    };
    console.log(`3. streams per core: N = 0 (publisher only), ${SUBSCRIBERS.join(', ')}; ${WINDOW_S} s windows`);
    await measure(0);
    for (const n of SUBSCRIBERS) {
      if (Date.now() > DEADLINE - WINDOW_S * 1000) {
        result.notes.push(`stopped before N=${n}: time bound`);
        break;
      }
      while (peers.length < n) {
        const who = m.observers[peers.length];
        let peer;
        for (let t = 0; t < 20 && !peer; t++) {
          try {
            peer = await weriftSubscriber(server.base, m.id, who);
          } catch (e) {
            if (t === 19) throw e;
            await sleep(100);
          }
        }
        peers.push(peer);
      }
      await sleep(3000); // connections up, first keyframes through
      await measure(n);
    }
    // Baseline-subtracted figures: what the subscribers add (the publisher alone costs base0).
    const base0 = result.perCore[0]?.sfuCores ?? 0;
    for (const r of result.perCore) {
      const above = r.sfuCores - base0;
      r.cpuMsPerStreamSecond = r.streams && above > 0 ? (above * 1000) / r.streams : null;
      r.streamsPerCoreAboveIdle = r.streams && above > 0 ? r.streams / above : null;
    }
  } finally {
    for (const c of cleanup) {
      try {
        await c();
      } catch (e) {
        console.warn(`cleanup: ${e.message}`);
      }
    }
    for (const pid of pidsOfSfu) {
      if (!existsSync(`/proc/${pid}`)) continue;
      await sleep(1000);
      if (existsSync(`/proc/${pid}`)) {
        result.notes.push(`${sfu} ${pid} still alive after the API stopped: SIGKILL`);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* it ended meanwhile */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  // ---- this SFU's figures --------------------------------------------------------------------
  const joinOk = result.join.filter((r) => r.ok);
  const movesOk = result.moves.filter((r) => r.ok);
  const summary = {
    joinToFirstFrame: stats(joinOk.map((r) => r.joinToFirstFrame)),
    joinSubscribeToFirstFrame: stats(joinOk.map((r) => r.subscribeToFirstFrame)),
    moveRequest: stats(result.moves.map((r) => r.moveRequest)),
    moveCutEvent: stats(movesOk.map((r) => r.cutEvent)),
    moveOldMediaGone: stats(movesOk.map((r) => r.oldLastFrame)),
    moveNewRoomFirstFrame: stats(movesOk.map((r) => r.newFirstFrame)),
    moveMoverAnnounced: stats(movesOk.map((r) => r.moverAnnounced)),
    moveMoverSeenByNewRoom: stats(movesOk.map((r) => r.moverSeen)),
    moveMoverConnected: stats(movesOk.map((r) => r.moverConnected)),
    moveMoverConnectedToFirstFrame: stats(movesOk.map((r) => r.moverConnectedToFirstFrame)),
  };
  const failures = {
    join: result.join.length - joinOk.length,
    moves: result.moves.length - movesOk.length,
    oldStillDecoding: movesOk.filter((r) => r.oldStillDecoding).length,
    noNewFrame: movesOk.filter((r) => r.newFirstFrame === null).length,
    moverNotSeen: movesOk.filter((r) => r.moverSeen === null).length,
    notDecodingBefore: result.moves.filter((r) => !r.decodingBefore).length,
  };
  const within = (st, bound, key = 'p95') => st[key] !== null && st[key] <= bound;
  const targets = {
    oldMediaGoneP95_le_100ms: within(summary.moveOldMediaGone, TARGET_CUT),
    oldMediaGoneMax_le_100ms: within(summary.moveOldMediaGone, TARGET_CUT, 'max'),
    newRoomFirstFrameP95_le_500ms: within(summary.moveNewRoomFirstFrame, TARGET_NEW_ROOM),
    newRoomFirstFrameMax_le_500ms: within(summary.moveNewRoomFirstFrame, TARGET_NEW_ROOM, 'max'),
    moverSeenByNewRoomP95_le_300ms: within(summary.moveMoverSeenByNewRoom, TARGET_MOVER_SEEN),
  };
  return {
    sfu,
    engine,
    binary: PRESENT[sfu],
    sfuProcesses: pidsOfSfu.length,
    summary,
    failures,
    targets,
    perCore: result.perCore,
    activity: result.activity,
    join: result.join,
    moves: result.moves,
    notes: result.notes,
  };
}

/** Load average and the machine's busy share over `ms`: said with the results, since other work skews them. */
async function quietness(ms) {
  const m0 = machine();
  await sleep(ms);
  const m1 = machine();
  return { loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))), busy: (m1.busy - m0.busy) / (m1.total - m0.total) };
}

async function main() {
  const started = new Date().toISOString();
  const before = await quietness(2000);
  console.log(`SFUs: ${SFUS.join(', ')}; load average ${before.loadAverage.join(' ')}, machine ${f(before.busy * 100, 0)} % busy over 2 s`);
  const runs = [];
  for (const sfu of SFUS) {
    console.log(`\n=== ${sfu} ===`);
    try {
      runs.push(await runSfu(sfu));
    } catch (e) {
      console.error(`bench/media: ${sfu} failed: ${e.stack ?? e}`);
      runs.push({ sfu, error: String(e.message ?? e) });
    }
  }
  const after = await quietness(2000);

  // ---- side by side ---------------------------------------------------------------------------
  const ok = runs.filter((r) => !r.error);
  const col = 26;
  const cell = (st) => (st.count ? `${st.count} · ${f(st.p50, 0)} / ${f(st.p95, 0)}` : '—').padStart(col);
  console.log(
    `\nmedia benchmark, ms from one clock, n · p50 / p95 (Chromium ${CHROMIUM}, node ${process.version}, ${os.cpus().length} cores; load average ${before.loadAverage.join(' ')} before, ${after.loadAverage.join(' ')} after)`,
  );
  console.log(`  ${'measure'.padEnd(72)}${ok.map((r) => r.sfu.padStart(col)).join('')}   target`);
  const rows = [
    ['join: media.join -> first video frame decoded', 'joinToFirstFrame'],
    ['join: media.subscribe -> first video frame decoded', 'joinSubscribeToFirstFrame'],
    ['move: request -> REST response', 'moveRequest'],
    ["move: request -> media.cut at the mover's page", 'moveCutEvent'],
    ['move (a): request -> last old-room frame decoded (old media gone)', 'moveOldMediaGone', `p95 ≤ ${TARGET_CUT}`],
    ['move (b): request -> first new-room frame decoded by the mover', 'moveNewRoomFirstFrame', `p95 ≤ ${TARGET_NEW_ROOM}`],
    ['move (c): request -> media.feeds with the mover at a new-room member', 'moveMoverAnnounced'],
    ["move (c): request -> member's subscription connected (ICE + DTLS)", 'moveMoverConnected'],
    ['move (c): request -> new-room member decodes the mover', 'moveMoverSeenByNewRoom', `p95 ≤ ${TARGET_MOVER_SEEN}`],
    ["move (c): member's subscription connected -> decodes the mover", 'moveMoverConnectedToFirstFrame'],
  ];
  for (const [label, key, target] of rows)
    console.log(`  ${label.padEnd(72)}${ok.map((r) => cell(r.summary[key])).join('')}${target ? `   ${target}` : ''}`);
  for (const r of ok) console.log(`  ${r.sfu} failures: ${JSON.stringify(r.failures)}`);

  console.log(
    `\n  forwarded streams per core: one publisher (audio + video), N receive-only werift subscribers, SFU CPU (${ok.map((r) => `${r.sfu}: ${r.sfuProcesses} process${r.sfuProcesses === 1 ? '' : 'es'}`).join(', ')}) over each window`,
  );
  console.log(
    `  ${'N'.padEnd(4)}${ok
      .map(
        (r) =>
          `${`${r.sfu}: recv/streams`.padStart(24)}${'SFU cores'.padStart(10)}${'ms CPU/stream·s'.padStart(16)}${'streams/core'.padStart(13)}`,
      )
      .join('  ')}${'machine busy'.padStart(14)}`,
  );
  const ns = [...new Set(ok.flatMap((r) => r.perCore.map((x) => x.subscribers)))].sort((a, b) => a - b);
  for (const n of ns) {
    const parts = ok.map((r) => {
      const x = r.perCore.find((y) => y.subscribers === n);
      if (!x) return ''.padStart(63);
      return `${`${x.receiving}/${x.subscribers} · ${x.streams}`.padStart(24)}${f(x.sfuCores, 3).padStart(10)}${f(x.cpuMsPerStreamSecond, 2).padStart(16)}${f(x.streamsPerCoreAboveIdle, 0).padStart(13)}`;
    });
    const busy = ok.map((r) => r.perCore.find((y) => y.subscribers === n)?.machineBusy).filter((v) => v !== undefined);
    console.log(
      `  ${String(n).padEnd(4)}${parts.join('  ')}${busy
        .map((b) => `${f(b * 100, 0)} %`)
        .join(' / ')
        .padStart(14)}`,
    );
  }
  console.log(
    '  (streams/core: forwarded streams / SFU cores used above the publisher-only idle; mediasoup states about 500 consumers per worker core)',
  );
  for (const r of runs) for (const n of r.notes ?? []) console.log(`  ${r.sfu} note: ${n}`);
  for (const r of runs.filter((x) => x.error)) console.log(`  ${r.sfu}: FAILED: ${r.error}`);

  const out = {
    name: 'media',
    command: 'npm run bench:media',
    date: started,
    node: process.version,
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    machine: { before, after },
    parameters: {
      sfus: SFUS,
      joinIterations: JOIN_ITERATIONS,
      moveIterations: MOVE_ITERATIONS,
      subscribers: SUBSCRIBERS,
      windowSeconds: WINDOW_S,
      moveGapMs: MOVE_GAP_MS,
      joinGapMs: JOIN_GAP_MS,
      maxSecondsPerSfu: MAX_SECONDS,
      samplerMs: 10,
      janus: janusBinary,
      mediasoupWorker,
      chromium: CHROMIUM,
      iceInterface: 'jlo0 (127.0.0.2)',
      database: 'embedded (PGlite, temp folder)',
    },
    runs,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'media.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nwrote bench/results/media.json');
  if (runs.some((r) => r.error)) process.exitCode = 1;
}

let onHardStop = () => undefined;
const HARD_STOP_MIN = 12 * Math.max(1, SFUS.length);
const hardStop = setTimeout(
  () => {
    console.error(`bench/media: hard time bound (${HARD_STOP_MIN} min) reached`);
    onHardStop();
    process.exit(2);
  },
  HARD_STOP_MIN * 60 * 1000,
);
hardStop.unref();
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

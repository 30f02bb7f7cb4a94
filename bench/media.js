// Media benchmark: the built API (which starts its own Janus) with headless Chromium pages and werift
// peers, all inside a network namespace this script creates (loopback plus `jlo0` = 127.0.0.2, see
// ../shared/notes/webrtc-testing.md and scripts/media-netns.sh) with the embedded database.
//  1. join-to-first-frame: party A's first member publishes in caucus A; a second member of A does
//     media.join → media.subscribe → media.answer and waits for inbound video framesDecoded > 0
//     (getStats sampled every 10 ms); media.leave, then again (a fresh seat every time);
//  2. move-to-first-frame: the mediator, decoding and publishing in caucus A, is moved (REST move)
//     to caucus B, then back, alternately; each caucus has a publishing party member. From the move
//     request to (a) the last frame of the old room decoded at the mediator's page (target ≤ 100 ms),
//     (b) the first frame of the new room decoded there (target ≤ 500 ms), (c) the first frame of the
//     mover's video decoded by the member of the new room (who subscribes on 'media.feeds');
//  3. forwarded streams per core: one Chromium publisher (audio + video) in the plenary, N werift
//     observers subscribed (receive-only), the Janus process CPU (/proc/<pid>/stat utime+stime)
//     over a fixed window at each N → N / (Janus cores used).
// Prints a table, writes bench/results/media.json.
//
//   node bench/media.js [--join-iterations 25] [--move-iterations 21] [--subscribers 10,20,40]
//                       [--window 15] [--move-gap 1000]
//   (every option also as BENCH_<NAME>; needs `npm run build`, janus and /usr/bin/chromium)
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
if (!process.env.PARLEY_BENCH_NETNS) {
  if (!janusBinary) {
    console.error('bench/media: no janus binary on PATH (apt-get install janus)');
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`bench/media: no ${CHROMIUM} (apt-get install chromium)`);
    process.exit(1);
  }
  const setup = [
    'set -e',
    'ip link set lo up',
    'sysctl -qw net.ipv6.conf.default.disable_ipv6=1',
    'ip link add jlo0 type ifb',
    'ip addr add 127.0.0.2/32 dev jlo0',
    'ip link set jlo0 up',
    'exec "$0" "$@"',
  ].join('; ');
  const flags = process.getuid && process.getuid() === 0 ? ['--net'] : ['-rn'];
  const r = spawnSync('unshare', [...flags, 'bash', '-c', setup, process.execPath, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PARLEY_BENCH_NETNS: '1' },
    cwd: ROOT,
  });
  process.exit(r.status ?? 1);
}
if (!Object.entries(os.networkInterfaces()).some(([n, a]) => n === 'jlo0' && a?.some((x) => x.family === 'IPv4'))) {
  console.error('bench/media: no jlo0 inside the namespace');
  process.exit(1);
}

const { chromium } = require('playwright-core');
const { RTCPeerConnection } = require('werift');
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
const DEADLINE = Date.now() + arg('max-seconds', 540) * 1000; // every loop also stops here
const PASSWORD = 'bench password 123';
const TARGET_CUT = 100;
const TARGET_NEW_ROOM = 500;

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
/** The descendants of `root` whose command line starts with the janus binary. */
function janusPids(root) {
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
          if (argv0 === janusBinary || argv0.endsWith('/janus') || argv0 === 'janus') out.push(pid);
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
/** The built API, which starts Janus with ICE on jlo0. */
const startServer = (dataDir, env = {}) => startApi({ DATA_DIR: dataDir, JANUS_BINARY: janusBinary, JANUS_ICE_INTERFACE: 'jlo0', ...env });

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
async function main() {
  const started = new Date().toISOString();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'parley-bench-media-'));
  const cleanup = [];
  let server;
  let janusPid = null;
  onHardStop = () => {
    try {
      server?.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    try {
      if (janusPid) process.kill(janusPid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const result = { join: [], moves: [], perCore: [], notes: [] };
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
    server = await startServer(dataDir, { ALLOWED_ORIGINS: new URL(siteUrl).origin });
    cleanup.push(() => server.stop());
    const maxObservers = SUBSCRIBERS.length ? SUBSCRIBERS[SUBSCRIBERS.length - 1] : 0;
    const t0 = Date.now();
    const m = await startMediation(server.base, maxObservers);
    console.log(`mediation set up (${3 + maxObservers} invited) in ${Date.now() - t0} ms`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    cleanup.unshift(() => browser.close().catch(() => undefined));
    const pages = new Map();
    for (const person of [m.mediator, m.a1, m.a2, m.b1]) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const p = await context.newPage();
      p.on('pageerror', (e) => console.warn(`page error (${person.name}): ${e.message}`));
      await p.goto(siteUrl);
      await p.evaluate(([url, token, sessionId]) => P.connect(url, token, sessionId), [server.base, person.token, m.id]);
      pages.set(person, p);
    }
    const inPage = (who, fn, argument) => pages.get(who).evaluate(fn, argument);

    // Media available? (Janus is started by the API; give it a moment.)
    let joined;
    for (let i = 0; i < 50; i++) {
      joined = await inPage(m.a1, () => P.ask('media.join', {}));
      if (joined.ok) break;
      await sleep(200);
    }
    if (!joined.ok) throw new Error(`media unavailable: ${JSON.stringify(joined.error)}`);
    const pids = janusPids(server.child.pid);
    if (pids.length !== 1) throw new Error(`expected one janus under the API, found ${JSON.stringify(pids)}`);
    janusPid = pids[0];
    console.log(`janus pid ${janusPid}: ${readFileSync(`/proc/${janusPid}/cmdline`, 'utf8').split('\0').join(' ').trim()}`);

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
      const bytes0 = peers.reduce((a, p) => a + p.bytes, 0);
      const j0 = cpuTicks(janusPid);
      const a0 = cpuTicks(server.child.pid);
      const s0 = process.cpuUsage();
      const m0 = machine();
      const w0 = now();
      await sleep(WINDOW_S * 1000);
      const seconds = (now() - w0) / 1000;
      const j1 = cpuTicks(janusPid);
      const a1 = cpuTicks(server.child.pid);
      const s1 = process.cpuUsage();
      const m1 = machine();
      const janusCores = (j1 - j0) / HZ / seconds;
      const receiving = peers.filter((p, k) => p.rtp.video + p.rtp.audio > rtp0[k]).length;
      const row = {
        subscribers: n,
        receiving,
        windowSeconds: seconds,
        janusCpuSeconds: (j1 - j0) / HZ,
        janusCores,
        apiCores: (a1 - a0) / HZ / seconds,
        benchProcessCores: (s1.user - s0.user + (s1.system - s0.system)) / 1e6 / seconds,
        machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
        subscriberPayloadKbps: n ? ((peers.reduce((a, p) => a + p.bytes, 0) - bytes0) * 8) / 1000 / seconds / n : null,
        streamsPerCore: n && janusCores > 0 ? n / janusCores : null,
      };
      result.perCore.push(row);
      console.log(
        `   N=${n}: janus ${f(janusCores * 100)} % of a core over ${f(seconds)} s, ${receiving}/${n} receiving, machine ${f(row.machineBusy * 100)} % busy`,
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
    // Baseline-subtracted figure: what the subscribers add.
    const base0 = result.perCore[0]?.janusCores ?? 0;
    for (const r of result.perCore)
      r.streamsPerCoreAboveIdle = r.subscribers && r.janusCores - base0 > 0 ? r.subscribers / (r.janusCores - base0) : null;
  } finally {
    for (const c of cleanup) {
      try {
        await c();
      } catch (e) {
        console.warn(`cleanup: ${e.message}`);
      }
    }
    if (janusPid && existsSync(`/proc/${janusPid}`)) {
      await sleep(1000);
      if (existsSync(`/proc/${janusPid}`)) {
        result.notes.push(`janus ${janusPid} still alive after the API stopped: SIGKILL`);
        try {
          process.kill(janusPid, 'SIGKILL');
        } catch {
          /* it ended meanwhile */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  // ---- report --------------------------------------------------------------------------------
  const joinOk = result.join.filter((r) => r.ok);
  const movesOk = result.moves.filter((r) => r.ok);
  const summary = {
    joinToFirstFrame: stats(joinOk.map((r) => r.joinToFirstFrame)),
    joinSubscribeToFirstFrame: stats(joinOk.map((r) => r.subscribeToFirstFrame)),
    moveOldMediaGone: stats(movesOk.map((r) => r.oldLastFrame)),
    moveCutEvent: stats(movesOk.map((r) => r.cutEvent)),
    moveNewRoomFirstFrame: stats(movesOk.map((r) => r.newFirstFrame)),
    moveMoverSeenByNewRoom: stats(movesOk.map((r) => r.moverSeen)),
    moveMoverAnnounced: stats(movesOk.map((r) => r.moverAnnounced)),
    moveRequest: stats(result.moves.map((r) => r.moveRequest)),
  };
  const failures = {
    join: result.join.length - joinOk.length,
    moves: result.moves.length - movesOk.length,
    oldStillDecoding: movesOk.filter((r) => r.oldStillDecoding).length,
    noNewFrame: movesOk.filter((r) => r.newFirstFrame === null).length,
    moverNotSeen: movesOk.filter((r) => r.moverSeen === null).length,
    notDecodingBefore: result.moves.filter((r) => !r.decodingBefore).length,
  };
  const targets = {
    oldMediaGoneP95_le_100ms: summary.moveOldMediaGone.p95 !== null && summary.moveOldMediaGone.p95 <= TARGET_CUT,
    oldMediaGoneMax_le_100ms: summary.moveOldMediaGone.max !== null && summary.moveOldMediaGone.max <= TARGET_CUT,
    newRoomFirstFrameP95_le_500ms: summary.moveNewRoomFirstFrame.p95 !== null && summary.moveNewRoomFirstFrame.p95 <= TARGET_NEW_ROOM,
    newRoomFirstFrameMax_le_500ms: summary.moveNewRoomFirstFrame.max !== null && summary.moveNewRoomFirstFrame.max <= TARGET_NEW_ROOM,
  };
  const line = (label, s, target) =>
    console.log(
      `  ${label.padEnd(70)} ${String(s.count).padStart(4)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.max).padStart(8)}${target ? `   target ≤ ${target}` : ''}`,
    );
  console.log(
    `\nmedia benchmark (ms, one clock; Janus ${janusBinary}, Chromium ${CHROMIUM}, node ${process.version}, ${os.cpus().length} cores)`,
  );
  console.log(`  ${'measure'.padEnd(70)} ${'n'.padStart(4)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  line('join: media.join -> first video frame decoded', summary.joinToFirstFrame);
  line('join: media.subscribe -> first video frame decoded', summary.joinSubscribeToFirstFrame);
  line('move: request -> REST response', summary.moveRequest);
  line("move: request -> media.cut at the mover's page", summary.moveCutEvent);
  line('move (a): request -> last old-room frame decoded (old media gone)', summary.moveOldMediaGone, TARGET_CUT);
  line('move (b): request -> first new-room frame decoded', summary.moveNewRoomFirstFrame, TARGET_NEW_ROOM);
  line('move (c): request -> media.feeds with the mover at a new-room member', summary.moveMoverAnnounced);
  line('move (c): request -> new-room member decodes the mover', summary.moveMoverSeenByNewRoom);
  console.log(`  failures: ${JSON.stringify(failures)}`);
  console.log(
    `\n  ${'subscribers N'.padEnd(14)} ${'receiving'.padStart(9)} ${'janus cores'.padStart(12)} ${'streams/core'.padStart(13)} ${'(above idle)'.padStart(13)} ${'kbit/s each'.padStart(12)} ${'machine busy'.padStart(13)}`,
  );
  for (const r of result.perCore) {
    console.log(
      `  ${String(r.subscribers).padEnd(14)} ${String(r.receiving).padStart(9)} ${f(r.janusCores, 3).padStart(12)} ${f(r.streamsPerCore, 0).padStart(13)} ${f(r.streamsPerCoreAboveIdle, 0).padStart(13)} ${f(r.subscriberPayloadKbps, 0).padStart(12)} ${(f(r.machineBusy * 100, 0) + ' %').padStart(13)}`,
    );
  }
  for (const n of result.notes) console.log(`  note: ${n}`);
  const out = {
    name: 'media',
    command: 'npm run bench:media',
    date: started,
    node: process.version,
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    parameters: {
      joinIterations: JOIN_ITERATIONS,
      moveIterations: MOVE_ITERATIONS,
      subscribers: SUBSCRIBERS,
      windowSeconds: WINDOW_S,
      moveGapMs: MOVE_GAP_MS,
      joinGapMs: JOIN_GAP_MS,
      samplerMs: 10,
      janus: janusBinary,
      chromium: CHROMIUM,
      iceInterface: 'jlo0',
      database: 'embedded (PGlite, temp folder)',
    },
    summary,
    failures,
    targets,
    perCore: result.perCore,
    join: result.join,
    moves: result.moves,
    notes: result.notes,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'media.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nwrote bench/results/media.json');
}

let onHardStop = () => undefined;
const hardStop = setTimeout(
  () => {
    console.error('bench/media: hard time bound (12 min) reached');
    onHardStop();
    process.exit(2);
  },
  12 * 60 * 1000,
);
hardStop.unref();
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

// Editors of a live draft for bench/agreement.js, run on a worker thread: several threads share the
// editors out, so that one busy client process does not delay what it measures (a browser editor is
// one person's machine; 50 Yjs documents on one thread saturated it). Times are absolute
// (performance.timeOrigin + performance.now(), milliseconds), comparable across threads.
//
// workerData: { base, sessionId, draft, editors: [{ index, token }], seed, minInterval, maxInterval,
//               editsMax, startAt, measureFrom, stopAt }
// Posts 'ready' once every editor is connected and synced; on 'start', edits until stopAt and posts
// 'edited' { sent }; on 'converge' { tokens, deadline }, waits until each of its docs holds that many
// tokens (or the deadline) and posts 'result'. Required from the main thread, it only exports the
// token counter (tokensIn), which the main thread uses on texts too.
'use strict';
const { isMainThread, parentPort, workerData } = require('node:worker_threads');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const Y = require('yjs');
const sync = require('y-protocols/sync');
const encoding = require('lib0/encoding');
const decoding = require('lib0/decoding');
const { ask, connect, seeded, sleep } = require('./support');

const REMOTE = Symbol('remote');
const TOKEN = /\[e(\d+):(\d+):\d+\]/g;
/** A token's number: its writer's index and its sequence, in one. */
const tokenKey = (writer, n) => writer * 1_000_000 + n;
const writerOf = (key) => Math.floor(key / 1_000_000);
const tokensIn = (text) => (text.match(TOKEN) ?? []).length;
const now = () => performance.timeOrigin + performance.now();

function syncMessage(type, payload) {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
function readSyncMessage(message) {
  const d = decoding.createDecoder(new Uint8Array(message));
  return { type: decoding.readVarUint(d), payload: decoding.readVarUint8Array(d) };
}
const sameDraft = (a, b) => a.kind === b.kind && (a.kind === 'mediators' || a.partyId === b.partyId);

/**
 * A Yjs client of a live draft speaking y-protocols sync over its Parley socket, as a browser editor
 * would: step 1 on connect, every local change sent as an update, remote updates applied on arrival.
 * `onSeen(key, at)` is told of every token a remote update brings into the doc, when it is integrated.
 */
class DraftEditor {
  constructor(socket, draft, onSeen) {
    this.socket = socket;
    this.draft = draft;
    this.doc = new Y.Doc();
    this.inFlight = new Set();
    this.ackMs = [];
    this.refused = [];
    this.received = 0;
    this.echoes = 0;
    /** Strings of remote updates not yet integrated (waiting on a missing update). */
    this.waiting = [];
    this.doc.on('update', (update, origin) => {
      if (origin !== REMOTE) this.track(this.ask(syncMessage(sync.messageYjsUpdate, update)));
    });
    this.onRemote = (e) => {
      if (!sameDraft(e.draft, this.draft)) return;
      this.received++;
      const { type, payload } = readSyncMessage(e.message);
      if (type !== sync.messageYjsUpdate && type !== sync.messageYjsSyncStep2) return;
      // The server relays to every socket of the caucus but the sender's: count any that comes back.
      const { structs } = Y.decodeUpdate(payload);
      if (structs.length && structs.every((s) => s.id.client === this.doc.clientID)) this.echoes++;
      Y.applyUpdate(this.doc, payload, REMOTE);
      // The tokens this update inserted are in the doc once it is integrated (not pending on a
      // missing dependency). Read from the update itself: Y.YTextEvent.delta walks the whole text
      // from its start, 3-4 ms an update at 200,000 characters, which made the client the bottleneck.
      for (const st of structs) if (typeof st.content?.str === 'string') this.waiting.push(st.content.str);
      if (this.doc.store.pendingStructs) return;
      const at = now();
      for (const str of this.waiting) for (const m of str.matchAll(TOKEN)) onSeen(tokenKey(Number(m[1]), Number(m[2])), at);
      this.waiting.length = 0;
    };
  }

  get text() {
    return this.doc.getText('clause');
  }

  /**
   * A position between two tokens at or after a random one, found on Yjs's items: every insert is
   * one whole token (and a space) and inserts land only between tokens, so each item boundary is
   * one. Building the string to search it (text.toString()) cost 3 ms an edit at 200,000 characters.
   */
  boundaryAfter(r) {
    const target = Math.floor(r * (this.text.length + 1));
    let pos = 0;
    for (let item = this.text._start; item !== null && pos < target; item = item.right)
      if (!item.deleted && item.countable) pos += item.length;
    return pos;
  }

  async connect() {
    this.socket.on('draft.update', this.onRemote);
    const r = await this.ask(syncMessage(sync.messageYjsSyncStep1, Y.encodeStateVector(this.doc)));
    if (!r.ok) throw new Error(`draft sync refused: ${JSON.stringify(r.error)}`);
    for (const reply of r.data.replies) {
      const { type, payload } = readSyncMessage(reply);
      if (type === sync.messageYjsSyncStep2) Y.applyUpdate(this.doc, payload, REMOTE);
      if (type === sync.messageYjsSyncStep1)
        await this.ask(syncMessage(sync.messageYjsSyncStep2, Y.encodeStateAsUpdate(this.doc, payload)));
    }
    this.ackMs.length = 0;
  }

  async settled() {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  track(p) {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  async ask(message) {
    const t0 = performance.now();
    try {
      const r = await this.socket.timeout(10000).emitWithAck('draft.sync', { draft: this.draft, message });
      this.ackMs.push(performance.now() - t0);
      if (!r.ok) this.refused.push(r.error);
      return r;
    } catch (e) {
      this.refused.push({ code: 'TIMEOUT', message: String(e.message ?? e) });
      return { ok: false, error: { code: 'TIMEOUT' } };
    }
  }
}

async function run() {
  const w = workerData;
  const rnd = seeded(w.seed);
  const between = (lo, hi) => lo + rnd() * (hi - lo);
  /** Flat [key, receiver, at] triples: when each token first reached each doc but its writer's. */
  const seen = [];
  const editors = [];
  for (const { index, token } of w.editors) {
    const socket = await connect(w.base, token);
    await ask(socket, 'session.join', { sessionId: w.sessionId });
    const first = new Set();
    const e = new DraftEditor(socket, w.draft, (key, at) => {
      if (writerOf(key) === index || first.has(key)) return;
      first.add(key);
      seen.push(key, index, at);
    });
    e.index = index;
    await e.connect();
    editors.push(e);
  }
  parentPort.postMessage({ type: 'ready' });
  const cmd = await new Promise((r) => parentPort.once('message', r));
  const { measureFrom, stopAt } = cmd;

  /** key → absolute time just before the local edit; whether it falls in the measured window is the main thread's call. */
  const sent = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const measure = setTimeout(() => delay.enable(), Math.max(0, measureFrom - now()));
  const elu0 = performance.eventLoopUtilization();
  let elu1 = null;
  const stopMeasuring = setTimeout(() => (elu1 = performance.eventLoopUtilization(elu0)), Math.max(0, stopAt - now()));
  await Promise.all(
    editors.map(async (e) => {
      await sleep(between(0, w.maxInterval));
      for (let n = 0; n < w.editsMax && now() < stopAt; n++) {
        // Between two tokens, so concurrent inserts never split one.
        const pos = e.boundaryAfter(rnd());
        const t0 = now();
        sent.push(tokenKey(e.index, n), t0);
        e.text.insert(pos, `[e${e.index}:${n}:${Math.round(t0)}] `);
        await sleep(between(w.minInterval, w.maxInterval));
      }
    }),
  );
  clearTimeout(measure);
  clearTimeout(stopMeasuring);
  delay.disable();
  const utilisation = (elu1 ?? performance.eventLoopUtilization(elu0)).utilization;
  for (const e of editors) await e.settled();
  parentPort.postMessage({ type: 'edited', sent: sent.length / 2 });

  const { tokens, deadline } = await new Promise((r) => parentPort.once('message', r));
  while (now() < deadline && !editors.every((e) => tokensIn(e.text.toString()) >= tokens)) await sleep(50);
  parentPort.postMessage({
    type: 'result',
    sent,
    seen,
    editors: editors.map((e) => ({ index: e.index, text: e.text.toString(), refused: e.refused.length, received: e.received })),
    ackMs: editors.flatMap((e) => e.ackMs),
    refused: editors.flatMap((e) => e.refused),
    echoes: editors.reduce((n, e) => n + e.echoes, 0),
    loop: { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, utilisation },
  });
  for (const e of editors) e.socket.close();
}

if (isMainThread) module.exports = { tokensIn };
else
  run().catch((e) => {
    parentPort.postMessage({ type: 'error', message: String(e.stack ?? e) });
  });

// The media test page's own code (plain browser JavaScript), shared by the browser suite
// (test/media-browser.e2e-spec.ts) and the media benchmark (bench/media.js): a Parley socket, a
// publisher PeerConnection and subscriber PeerConnections, no trickle ICE (the SDP goes once
// gathering is complete), and a getStats() sampler every 10 ms that keeps, per subscription, when
// video frames were first and last decoded. Loaded with the socket.io client's browser build.
const clock = () => performance.timeOrigin + performance.now();
const P = (window.P = { events: [], subs: [], pub: null, watch: null, watched: [] });
P.connect = (url, token, sessionId) =>
  new Promise((ok, ko) => {
    const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    P.s = s;
    s.onAny((event, payload) => {
      const t = clock();
      P.events.push({ event, payload, t, roomId: payload && payload.roomId });
      if (event === 'media.feeds' && P.watch) P.onFeeds(payload, t);
    });
    s.once('connect', async () => {
      const r = await P.ask('session.join', { sessionId });
      r.ok ? ok(true) : ko(new Error('session.join: ' + JSON.stringify(r.error)));
    });
    s.once('connect_error', (e) => ko(new Error('connect: ' + e.message)));
  });
P.ask = (event, payload) => P.s.timeout(8000).emitWithAck(event, payload);
const gathered = (pc) =>
  new Promise((ok) => {
    if (pc.iceGatheringState === 'complete') return ok();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') ok();
    });
  });
P.publish = async () => {
  const t0 = clock();
  if (!P.camera) P.camera = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const pc = new RTCPeerConnection();
  for (const track of P.camera.getTracks()) pc.addTrack(track, P.camera);
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const r = await P.ask('media.publish', { offerSdp: pc.localDescription.sdp, kinds: ['audio', 'video'] });
  if (!r.ok) {
    pc.close();
    return { ...r, t0 };
  }
  await pc.setRemoteDescription({ type: 'answer', sdp: r.data.answerSdp });
  if (P.pub) P.pub.pc.close();
  P.pub = { pc, feedId: r.data.feedId };
  return { ok: true, data: r.data, feedId: r.data.feedId, t0, t1: clock() };
};
P.subscribe = async (feedIds) => {
  const t0 = clock();
  const r = await P.ask('media.subscribe', feedIds ? { feedIds } : {});
  if (!r.ok) return { ...r, t0 };
  const pc = new RTCPeerConnection();
  const sub = {
    id: P.subs.length,
    pc,
    feeds: r.data.feeds,
    t0,
    frames: 0,
    firstFrameAt: null,
    lastIncreaseAt: null,
    log: [],
    active: true,
  };
  P.subs.push(sub);
  const note = (what) => sub.log.push({ what, t: clock() });
  pc.addEventListener('connectionstatechange', () => note('pc ' + pc.connectionState));
  pc.addEventListener('track', (e) => {
    note('track ' + e.track.kind);
    e.track.addEventListener('mute', () => note(e.track.kind + ' track muted'));
    e.track.addEventListener('ended', () => note(e.track.kind + ' track ended'));
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: r.data.offerSdp });
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  const a = await P.ask('media.answer', { answerSdp: pc.localDescription.sdp });
  if (!a.ok) return { ...a, t0 };
  return { ok: true, id: sub.id, feeds: r.data.feeds, t0, answeredAt: clock() };
};
const inboundVideo = async (pc) => {
  const out = [];
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') out.push(s);
  });
  return out;
};
let sampling = false;
setInterval(async () => {
  if (sampling) return;
  sampling = true;
  try {
    for (const sub of P.subs) {
      if (!sub.active || sub.pc.connectionState === 'closed') continue;
      const t = clock();
      const frames = (await inboundVideo(sub.pc)).reduce((n, s) => n + (s.framesDecoded || 0), 0);
      if (frames > sub.frames) {
        if (sub.firstFrameAt === null) sub.firstFrameAt = t;
        sub.lastIncreaseAt = t;
        sub.frames = frames;
      }
      sub.lastSampleAt = t;
    }
  } finally {
    sampling = false;
  }
}, 10);
P.sub = (id) => {
  const s = P.subs[id];
  return {
    id: s.id,
    frames: s.frames,
    t0: s.t0,
    firstFrameAt: s.firstFrameAt,
    lastIncreaseAt: s.lastIncreaseAt,
    lastSampleAt: s.lastSampleAt,
    state: s.pc.connectionState,
    log: s.log,
  };
};
P.waitFirstFrame = async (id, timeoutMs) => {
  const s = P.subs[id];
  const end = clock() + timeoutMs;
  while (s.firstFrameAt === null && clock() < end) await new Promise((r) => setTimeout(r, 5));
  return P.sub(id);
};
P.waitStopped = async (id, quietMs, timeoutMs) => {
  const s = P.subs[id];
  const end = clock() + timeoutMs;
  while (clock() < end && !(s.lastIncreaseAt !== null && clock() - s.lastIncreaseAt > quietMs)) await new Promise((r) => setTimeout(r, 10));
  return P.sub(id);
};
P.stop = (id) => {
  const s = P.subs[id];
  if (s) {
    s.active = false;
    s.pc.close();
  }
};
P.stopAll = () => {
  for (const s of P.subs)
    if (s.active) {
      s.active = false;
      s.pc.close();
    }
};
P.leave = async () => {
  P.stopAll();
  if (P.pub) {
    P.pub.pc.close();
    P.pub = null;
  }
  return P.ask('media.leave', {});
};
/** One join-to-first-frame: media.leave (not timed), then join → subscribe → answer → first frame. */
P.joinToFirstFrame = async (timeoutMs) => {
  await P.leave();
  const t0 = clock();
  const j = await P.ask('media.join', {});
  if (!j.ok) return { ok: false, error: j.error };
  const joinedAt = clock();
  const sub = await P.subscribe();
  if (!sub.ok) return { ok: false, error: sub.error };
  const v = await P.waitFirstFrame(sub.id, timeoutMs);
  return { ok: v.firstFrameAt !== null, t0, joinedAt, subscribeAt: sub.t0, answeredAt: sub.answeredAt, firstFrameAt: v.firstFrameAt };
};
/** After a move: join the new room's media, then subscribe to what it offers and publish, at once. */
P.enter = async () => {
  const t0 = clock();
  const j = await P.ask('media.join', {});
  if (!j.ok) return { ok: false, error: j.error, t0 };
  const joinedAt = clock();
  const [sub, pub] = await Promise.all([P.subscribe(), P.publish()]);
  return { ok: sub.ok && pub.ok, t0, joinedAt, sub, pub };
};
/** Subscribes on its own to the first live feed of participant 'pid' that media.feeds announces. */
P.onFeeds = async (payload, t) => {
  const feed = (payload.feeds || []).find((x) => x.participantId === P.watch);
  if (!feed || P.watched.some((w) => w.feedId === feed.feedId)) return;
  const w = { feedId: feed.feedId, announcedAt: t, subId: null, tries: 0, error: null };
  P.watched.push(w);
  for (let i = 0; i < 50; i++) {
    w.tries++;
    const r = await P.subscribe([feed.feedId]);
    if (r.ok) {
      w.subId = r.id;
      return;
    }
    w.error = r.error;
    await new Promise((ok) => setTimeout(ok, 10));
  }
};
P.watchedFirstFrame = async (feedId, timeoutMs) => {
  const end = clock() + timeoutMs;
  let w;
  while (clock() < end) {
    w = P.watched.find((x) => x.feedId === feedId);
    if (w && w.subId !== null && P.subs[w.subId].firstFrameAt !== null) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  if (!w) return { announcedAt: null, firstFrameAt: null };
  return {
    announcedAt: w.announcedAt,
    tries: w.tries,
    error: w.error,
    firstFrameAt: w.subId === null ? null : P.subs[w.subId].firstFrameAt,
  };
};
P.cutAt = (roomId, after) => {
  const e = P.events.find((x) => x.event === 'media.cut' && x.roomId === roomId && x.t >= after);
  return e ? e.t : null;
};
/** Every inbound video stream over every PeerConnection of this page. */
P.allInboundVideo = async () => {
  const pcs = [...P.subs.map((s) => s.pc), ...(P.pub ? [P.pub.pc] : [])].filter((pc) => pc.connectionState !== 'closed');
  const out = [];
  for (const pc of pcs)
    for (const s of await inboundVideo(pc)) out.push({ framesDecoded: s.framesDecoded || 0, bytesReceived: s.bytesReceived || 0 });
  return out;
};
P.outboundVideoFrames = async () => {
  if (!P.pub) return 0;
  let n = 0;
  (await P.pub.pc.getStats()).forEach((s) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.framesEncoded || 0;
  });
  return n;
};
/** The outbound video bitrate of this page's publisher over `ms` (payload bytes, kbit/s), and what it encoded meanwhile. */
P.outboundVideoKbps = async (ms) => {
  if (!P.pub) return null;
  const read = async () => {
    let bytes = 0;
    let frames = 0;
    let limit = null;
    (await P.pub.pc.getStats()).forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        bytes += s.bytesSent || 0;
        frames += s.framesEncoded || 0;
        limit = s.qualityLimitationReason || limit;
      }
    });
    return { bytes, frames, limit, t: clock() };
  };
  const a = await read();
  await new Promise((r) => setTimeout(r, ms));
  const b = await read();
  return { kbps: ((b.bytes - a.bytes) * 8) / (b.t - a.t), frames: b.frames - a.frames, limit: b.limit };
};
/**
 * What a subscription carries: the kinds of its live receiving transceivers, and per kind the bytes
 * (and video frames) received so far.
 */
P.received = async (id) => {
  const s = P.subs[id];
  const kinds = s.pc
    .getTransceivers()
    .filter((t) => t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv')
    .map((t) => t.receiver.track.kind)
    .sort();
  const bytes = { audio: 0, video: 0 };
  let videoFrames = 0;
  (await s.pc.getStats()).forEach((x) => {
    if (x.type !== 'inbound-rtp') return;
    bytes[x.kind] += x.bytesReceived || 0;
    if (x.kind === 'video') videoFrames += x.framesDecoded || 0;
  });
  return { kinds, bytes, videoFrames, state: s.pc.connectionState };
};
/** The direction the SFU's answer gave each m-line of this page's publisher: kind → currentDirection. */
P.publisherDirections = () =>
  P.pub
    ? P.pub.pc.getTransceivers().map((t) => ({ kind: t.sender.track ? t.sender.track.kind : null, direction: t.currentDirection }))
    : [];
/** The socket events of one name received since `after` (epoch ms on the shared clock). */
P.eventsOf = (event, after) => P.events.filter((e) => e.event === event && e.t >= (after || 0));
/** The video counters of one subscription (inbound-rtp), to tell "nothing arrives" from "arrives but not decoded". */
P.videoStats = async (id) => {
  const s = P.subs[id];
  return (await inboundVideo(s.pc)).map((x) => ({
    packetsReceived: x.packetsReceived,
    packetsLost: x.packetsLost,
    framesReceived: x.framesReceived,
    framesDecoded: x.framesDecoded,
    keyFramesDecoded: x.keyFramesDecoded,
    framesDropped: x.framesDropped,
    pliCount: x.pliCount,
    firCount: x.firCount,
    nackCount: x.nackCount,
    freezeCount: x.freezeCount,
  }));
};

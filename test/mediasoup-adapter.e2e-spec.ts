import { randomInt, randomUUID } from 'node:crypto';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  useAudioLevelIndication,
  useSdesMid,
  type RTCRtpTransceiver,
} from 'werift';
import type { MediaRoomSpec, RoomActivity, SfuReset } from '@parley/media/application/media.port';
import { MediasoupMediaAdapter } from '@parley/media/infrastructure/mediasoup/mediasoup.adapter';
import { createMediaPort } from '@parley/media/infrastructure/media-port.factory';
import { SfuSupervisor } from '@parley/media/infrastructure/sfu-supervisor';
import { loadConfig } from '@parley/platform';
import { describeWhen, lacks } from './support/needs';

/**
 * The mediasoup adapter against real mediasoup workers, with werift peers as the browsers, all on
 * 127.0.0.1: Parley's SDP contract (the browser offers to publish, the SFU offers to subscribe)
 * bridged to producers and consumers, with RTP counted at the receiving end. Figures measured here
 * (keyframe delay, evict cut) are printed.
 */
const withMediasoup = describeWhen(__filename, lacks.mediasoup());

const VIDEO_PT = 96;
const AUDIO_PT = 111;

/** A werift peer kept on loopback (no STUN, host candidates on 127.0.0.1 only). */
function aPeer(opts: { videoCodec?: string } = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    bundlePolicy: 'max-bundle',
    codecs: {
      video: [
        new RTCRtpCodecParameters({
          mimeType: opts.videoCodec ?? 'video/VP8',
          clockRate: 90000,
          payloadType: VIDEO_PT,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        }),
      ],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: AUDIO_PT })],
    },
    headerExtensions: { video: [useSdesMid()], audio: [useSdesMid(), useAudioLevelIndication()] },
  } as never);
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
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no connection (${pc.connectionState})`)), 8_000);
    pc.connectionStateChange.subscribe((s) => {
      if (s === 'connected') {
        clearTimeout(timer);
        ok();
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `f()` holds (checked every 50 ms), `ms` at most; resolves either way (the test asserts after). */
async function until(f: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!f() && Date.now() < deadline) await sleep(50);
}

const sections = (sdp: string) =>
  sdp
    .split(/\r\n(?=m=)/)
    .slice(1)
    .map((s) => ({
      kind: /^m=(\w+)/.exec(s)![1],
      port: Number(/^m=\w+ (\d+)/.exec(s)![1]),
      mid: /\r\na=mid:(\S+)/.exec(s)?.[1],
      direction: /\r\na=(sendrecv|sendonly|recvonly|inactive)(?=\r\n)/.exec(s)?.[1],
      codecs: (s.match(/a=rtpmap:\d+ [^/\r]+/g) ?? []).map((l) => l.split(' ')[1]),
      bandwidth: (s.match(/b=\w+:\d+/g) ?? []).sort(),
      text: s,
    }));

/** A VP8 frame's payload (RFC 7741 descriptor, then a key or delta frame header). */
function vp8(frame: number, key: boolean): Buffer {
  const pid = frame & 0x7fff;
  const desc = Buffer.from([0x90, 0x80, 0x80 | (pid >> 8), pid & 0xff]);
  const body = key
    ? Buffer.concat([Buffer.from([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(400, frame & 0xff)])
    : Buffer.concat([Buffer.from([0x51, 0x12, 0x00]), Buffer.alloc(150, frame & 0xff)]);
  return Buffer.concat([desc, body]);
}

/** A werift publisher: audio and video tracks fed with synthetic Opus and VP8 RTP. */
class Publisher {
  readonly pc: RTCPeerConnection;
  readonly audio = new MediaStreamTrack({ kind: 'audio' });
  readonly video = new MediaStreamTrack({ kind: 'video' });
  readonly videoTx: RTCRtpTransceiver;
  /** When the SFU asked this publisher for a keyframe (PLI or FIR), in performance.now() ms. */
  readonly keyframeRequests: number[] = [];
  /** The audio level to send, in -dBov (0 loudest, 127 silence); null: no audio-level extension. */
  level: number | null = null;
  private timers: NodeJS.Timeout[] = [];
  private keyNext = false;
  private audioLevelId: number | null = null;

  constructor(
    readonly kinds: ('audio' | 'video')[] = ['audio', 'video'],
    opts: { videoCodec?: string } = {},
  ) {
    this.pc = aPeer(opts);
    if (kinds.includes('audio')) this.pc.addTransceiver(this.audio, { direction: 'sendonly' });
    this.videoTx = this.pc.addTransceiver(this.video, { direction: kinds.includes('video') ? 'sendonly' : 'inactive' });
    this.videoTx.sender.onRtcp.subscribe((p) => {
      const count = (p as { type: number; feedback?: { count?: number } }).feedback?.count;
      if (p.type === 206 && (count === 1 || count === 4)) {
        this.keyframeRequests.push(performance.now());
        this.keyNext = true; // as an encoder does: the next frame is a keyframe
      }
    });
  }

  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = await gathered(this.pc);
    const ext = /a=extmap:(\d+) urn:ietf:params:rtp-hdrext:ssrc-audio-level/.exec(sdp);
    this.audioLevelId = ext ? Number(ext[1]) : null;
    return sdp;
  }

  async answered(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await connected(this.pc);
  }

  /**
   * 30 fps VP8 (a keyframe first, then on each PLI or FIR, and every `keyEvery` frames if not 0)
   * and 50 Opus packets a second.
   */
  send(keyEvery = 0, firstKey = true): void {
    let vSeq = randomInt(0x8000);
    let aSeq = randomInt(0x8000);
    let frame = 0;
    let a = 0;
    this.timers.push(
      setInterval(() => {
        const key = (frame === 0 && firstKey) || this.keyNext || (keyEvery > 0 && frame % keyEvery === 0);
        this.keyNext = false;
        const header = new RtpHeader({
          payloadType: VIDEO_PT,
          sequenceNumber: vSeq++ & 0xffff,
          timestamp: (frame * 3000) >>> 0,
          marker: true,
        });
        this.video.writeRtp(new RtpPacket(header, vp8(frame++, key)));
      }, 33),
      setInterval(() => {
        const header = new RtpHeader({ payloadType: AUDIO_PT, sequenceNumber: aSeq++ & 0xffff, timestamp: (a++ * 960) >>> 0 });
        if (this.level !== null && this.audioLevelId !== null) {
          header.extension = true;
          header.extensions = [{ id: this.audioLevelId, payload: Buffer.from([0x80 | this.level]) }];
        }
        this.audio.writeRtp(new RtpPacket(header, Buffer.concat([Buffer.from([0xfc]), Buffer.alloc(60, a & 0xff)])));
      }, 20),
    );
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.pc.close();
  }
}

/** A werift subscriber answering the SFU's offer; counts RTP per kind and per SSRC, with the time of the last packet. */
class Subscriber {
  readonly pc = aPeer();
  readonly count = { audio: 0, video: 0 };
  readonly ssrcs = new Set<number>();
  readonly arrivals: number[] = [];
  firstVideo: number | null = null;

  constructor() {
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        this.count[track.kind as 'audio' | 'video']++;
        if (track.kind === 'video') this.firstVideo ??= performance.now();
        this.ssrcs.add(rtp.header.ssrc);
        this.arrivals.push(performance.now());
      });
    });
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return gathered(this.pc);
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}

const aRoom = (over: Partial<MediaRoomSpec> = {}): MediaRoomSpec => ({
  sessionId: `s-${randomUUID()}`,
  roomId: `r-${randomUUID()}`,
  bitrateCapKbps: null,
  ...over,
});

withMediasoup('mediasoup adapter, real workers and werift peers on 127.0.0.1', () => {
  let sut: MediasoupMediaAdapter;
  const closing: { close(): Promise<void> }[] = [];
  const keep = <T extends { close(): Promise<void> }>(x: T): T => {
    closing.push(x);
    return x;
  };
  const resets: SfuReset[] = [];
  const activity: RoomActivity[] = [];

  beforeAll(async () => {
    sut = await MediasoupMediaAdapter.start({
      workers: 2,
      listenIp: '127.0.0.1',
      minPort: 40000,
      maxPort: 49999,
      defaultBitrateKbps: 512,
      logger: { log: () => undefined, warn: (m) => console.warn(m) },
    });
    sut.onReset((r) => resets.push(r));
    sut.onActivity((a) => activity.push(a));
  });
  afterAll(async () => {
    await Promise.all(closing.map((c) => c.close()));
    await sut?.shutdown();
  });

  /** A room where alice publishes audio and video (connected, sending). */
  async function aRoomWithAPublisher(spec = aRoom(), keyEvery = 0) {
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const alice = keep(new Publisher());
    const { answerSdp, feedId } = await sut.publish({
      roomId: spec.roomId,
      participantId: 'alice',
      offerSdp: await alice.offer(),
      kinds: ['audio', 'video'],
    });
    await alice.answered(answerSdp);
    alice.send(keyEvery);
    return { spec, alice, answerSdp, feedId };
  }

  async function subscribed(spec: MediaRoomSpec, participantId: string, feedIds: string[], audioOnly = false) {
    const offer = await sut.subscribe({ roomId: spec.roomId, participantId, feedIds, audioOnly });
    const sub = keep(new Subscriber());
    const answerSdp = await sub.answer(offer.offerSdp);
    const answeredAt = performance.now();
    await sut.answer(spec.roomId, participantId, answerSdp);
    await connected(sub.pc);
    return { offer, sub, answeredAt, connectedAt: performance.now() };
  }

  it("carries a publisher's VP8 and Opus to a subscriber through the adapter's SDP, and asks the publisher for a keyframe at once", async () => {
    const { spec, alice, answerSdp, feedId } = await aRoomWithAPublisher();
    const answer = sections(answerSdp);
    expect(answer.map((s) => [s.kind, s.direction, s.codecs[0]])).toEqual([
      ['audio', 'recvonly', 'opus'],
      ['video', 'recvonly', 'VP8'],
    ]);
    expect(answerSdp).toMatch(/\r\na=ice-lite\r\n/);
    expect(answer[1].text).toMatch(/\r\na=setup:passive\r\n/);
    expect(await sut.feeds(spec.roomId)).toEqual([{ feedId, participantId: 'alice', kinds: ['audio', 'video'] }]);

    await sut.admit(spec.roomId, 'bob', true);
    await sleep(300); // alice's first keyframe is long gone: bob's must be asked for
    const before = alice.keyframeRequests.length;
    const { offer, sub, answeredAt, connectedAt } = await subscribed(spec, 'bob', [feedId]);
    expect(sections(offer.offerSdp).map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'sendonly'],
      ['video', 'sendonly'],
    ]);
    expect(offer.streams).toEqual(sections(offer.offerSdp).map((s) => ({ mid: s.mid, feedId, kind: s.kind })));
    expect(offer.feedIds).toEqual([feedId]);

    await until(() => sub.count.video > 30 && sub.count.audio > 50);
    const asked = alice.keyframeRequests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    // The request leaves as soon as the subscriber's transport is up (werift takes a few hundred
    // ms for ICE and DTLS; that is the peer's time, not the SFU's). Measured 7-14 ms on a quiet
    // machine, 105 ms at a load average of 40 on 2 cores: the bound leaves room for a busy CI.
    const delay = asked[0] - answeredAt;
    const afterConnected = asked[0] - connectedAt;
    const firstVideo = sub.firstVideo! - answeredAt;
    console.log(
      `mediasoup: keyframe request at the publisher ${delay.toFixed(0)} ms after the subscriber's answer, ${afterConnected.toFixed(0)} ms after its ICE and DTLS were up (${(connectedAt - answeredAt).toFixed(0)} ms after the answer); first VP8 at the subscriber ${firstVideo.toFixed(0)} ms after the answer; received: ${sub.count.video} VP8, ${sub.count.audio} Opus`,
    );
    expect(afterConnected).toBeLessThan(250);
    expect(delay).toBeLessThan(1_000);
    expect(sub.count.video).toBeGreaterThan(30);
    expect(sub.count.audio).toBeGreaterThan(50);
    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 1, subscribers: 1, participants: ['alice', 'bob'] });
  });

  it('gets a subscriber connected before its publisher sends anything a keyframe once the stream starts', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    await sut.admit(spec.roomId, 'bob', true);
    const alice = keep(new Publisher());
    const { answerSdp, feedId } = await sut.publish({
      roomId: spec.roomId,
      participantId: 'alice',
      offerSdp: await alice.offer(),
      kinds: ['audio', 'video'],
    });
    await alice.answered(answerSdp);
    // Bob connects while alice's producer has no stream yet (the worker asks for a keyframe once it has one).
    const { sub, connectedAt } = await subscribed(spec, 'bob', [feedId]);
    await sleep(100);
    // Alice then sends delta frames only, and a keyframe only when asked (as an encoder past its first frame).
    alice.send(0, false);
    await until(() => sub.count.video > 10);
    const asked = alice.keyframeRequests.filter((t) => t > connectedAt);
    console.log(
      `mediasoup: publisher late by 100 ms: ${asked.length} keyframe request(s) after the subscriber connected, first VP8 ${sub.firstVideo ? (sub.firstVideo - connectedAt).toFixed(0) : '-'} ms after it`,
    );
    expect(asked.length).toBeGreaterThan(0);
    expect(sub.count.video).toBeGreaterThan(10);
  });

  it('offers only the audio of a feed for an audio-only subscription', async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    await sut.admit(spec.roomId, 'bob', true);
    const { offer, sub } = await subscribed(spec, 'bob', [feedId], true);
    expect(sections(offer.offerSdp).map((s) => s.kind)).toEqual(['audio']);
    expect(offer.streams).toEqual([{ mid: sections(offer.offerSdp)[0].mid, feedId, kind: 'audio' }]);
    await until(() => sub.count.audio > 20);
    expect(sub.count.audio).toBeGreaterThan(20);
    expect(sub.count.video).toBe(0);
  });

  it("never lets an observer's seat produce: publish refused, and raw RTP on its receive transport reaches nobody", async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    await sut.admit(spec.roomId, 'olga', false);
    await sut.admit(spec.roomId, 'carol', true);
    const evil = keep(new Publisher());
    await expect(
      sut.publish({ roomId: spec.roomId, participantId: 'olga', offerSdp: await evil.offer(), kinds: ['audio', 'video'] }),
    ).rejects.toMatchObject({ code: 'OBSERVER_READ_ONLY' });

    const carol = await subscribed(spec, 'carol', [feedId]);
    // Olga receives as an observer may, but answers as if she sent too, and sends raw RTP.
    const offer = await sut.subscribe({ roomId: spec.roomId, participantId: 'olga', feedIds: [feedId], audioOnly: false });
    const olga = keep(new Subscriber());
    const honest = await olga.answer(offer.offerSdp);
    const sendrecv = honest.replace(/a=recvonly/g, 'a=sendrecv').replace(/(a=mid:\S+\r\n)/g, `$1a=ssrc:${0x0bad0001} cname:olga\r\n`);
    await sut.answer(spec.roomId, 'olga', sendrecv);
    await connected(olga.pc);
    const dtls = olga.pc.getTransceivers()[0].receiver.dtlsTransport;
    await sleep(300);
    const before = (await sut.seatTransports(spec.roomId, 'olga')).recv!.bytesReceived;
    let seq = randomInt(0x8000);
    for (let i = 0; i < 100; i++) {
      await dtls.sendRtp(
        vp8(i, i === 0),
        new RtpHeader({ payloadType: VIDEO_PT, sequenceNumber: seq++ & 0xffff, timestamp: i * 3000, ssrc: 0x0bad0001, marker: true }),
      );
      await dtls.sendRtp(
        Buffer.alloc(60, 1),
        new RtpHeader({ payloadType: AUDIO_PT, sequenceNumber: seq++ & 0xffff, timestamp: i * 960, ssrc: 0x0bad0002 }),
      );
      await sleep(5);
    }
    await sleep(500);
    const seen = await sut.seatTransports(spec.roomId, 'olga');
    // It did reach the SFU (so the test is not vacuous), and the SFU holds no producer for it.
    expect(seen.recv!.bytesReceived - before).toBeGreaterThan(20_000);
    expect(seen.recv!.producerIds).toEqual([]);
    expect(seen.send).toBeNull();
    const offered = new Set([...carol.offer.offerSdp.matchAll(/a=ssrc:(\d+) /g)].map((m) => Number(m[1])));
    expect([...carol.sub.ssrcs].every((s) => offered.has(s))).toBe(true);
    expect(carol.sub.ssrcs.has(0x0bad0001) || carol.sub.ssrcs.has(0x0bad0002)).toBe(false);
    const mine = (await sut.sfuRooms()).find((r) => r.roomId === spec.roomId);
    expect(mine?.publishers).toBe(2); // alice's audio and video producers, nothing else
    expect((await sut.feeds(spec.roomId)).map((f) => f.participantId)).toEqual(['alice']);
  });

  it('evict cuts forwarding at once', async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    await sut.admit(spec.roomId, 'bob', true);
    const { sub } = await subscribed(spec, 'bob', [feedId]);
    await until(() => sub.count.video > 10);
    expect(sub.count.video).toBeGreaterThan(10);
    const t0 = performance.now();
    await sut.evict(spec.roomId, 'bob');
    const evicted = performance.now() - t0;
    await sleep(600);
    const after = sub.arrivals.filter((t) => t >= t0);
    const before = sub.arrivals.filter((t) => t < t0);
    const last = after.length ? after[after.length - 1] - t0 : 0;
    const live = t0 - before[before.length - 1];
    console.log(
      `mediasoup: evict() took ${evicted.toFixed(1)} ms; the stream was live (a packet ${live.toFixed(1)} ms before it); last packet ${last.toFixed(1)} ms after it began (${after.length} packets after)`,
    );
    expect(live).toBeLessThan(50);
    expect(last).toBeLessThan(100);
    expect(sub.arrivals.filter((t) => t >= t0 + 100)).toEqual([]);
    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 1, subscribers: 0, participants: ['alice'] });
    await expect(sut.subscribe({ roomId: spec.roomId, participantId: 'bob', feedIds: [feedId], audioOnly: false })).rejects.toMatchObject({
      code: 'MEDIA_NOT_JOINED',
    });
  });

  it('closeRoom releases the router (asked of the workers), and again is a no-op', async () => {
    const { spec } = await aRoomWithAPublisher();
    const listed = (await sut.sfuRooms()).find((r) => r.roomId === spec.roomId);
    expect(listed).toMatchObject({ roomId: spec.roomId, publishers: 2 });
    await sut.closeRoom(spec.roomId);
    const ids = (await sut.sfuRooms()).map((r) => r.sfuRoomId);
    expect(ids).not.toContain(listed!.sfuRoomId);
    expect((await sut.sfuRooms()).some((r) => r.roomId === spec.roomId)).toBe(false);
    await sut.closeRoom(spec.roomId);
    await expect(sut.admit(spec.roomId, 'alice', true)).rejects.toMatchObject({ code: 'MEDIA_NOT_JOINED' });
  });

  it('refuses an offer with no codec in common (MEDIA_UNSUPPORTED) and SDP that is no offer (VALIDATION_FAILED)', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const h265 = keep(new Publisher(['video'], { videoCodec: 'video/H265' }));
    await expect(
      sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: await h265.offer(), kinds: ['video'] }),
    ).rejects.toMatchObject({
      code: 'MEDIA_UNSUPPORTED',
      field: 'offerSdp',
    });
    const odd = (await keep(new Publisher(['video'])).offer()).replace(/VP8\/90000/g, 'X-PARLEY/90000');
    await expect(sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: odd, kinds: ['video'] })).rejects.toMatchObject({
      code: 'MEDIA_UNSUPPORTED',
    });
    for (const garbage of ['hello', 'v=0\r\nthis is not sdp\r\n', '']) {
      await expect(sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: garbage, kinds: ['audio'] })).rejects.toMatchObject(
        {
          code: 'VALIDATION_FAILED',
          field: 'offerSdp',
        },
      );
    }
    // Audio only was decided, and the offer has only video: nothing to publish.
    const videoOnly = await keep(new Publisher(['video'])).offer();
    await expect(sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: videoOnly, kinds: ['audio'] })).rejects.toMatchObject(
      {
        code: 'VALIDATION_FAILED',
      },
    );
    expect(await sut.feeds(spec.roomId)).toEqual([]);
    expect((await sut.sfuRooms()).find((r) => r.roomId === spec.roomId)?.publishers).toBe(0);
  });

  it("puts the room's bitrate cap in the answer (b=AS, b=TIAS) and on the worker's transport, and answers a kind not allowed inactive", async () => {
    const spec = aRoom({ bitrateCapKbps: 300 });
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const pub = keep(new Publisher());
    const { answerSdp, feedId } = await sut.publish({
      roomId: spec.roomId,
      participantId: 'alice',
      offerSdp: await pub.offer(),
      kinds: ['audio', 'video'],
    });
    expect(sections(answerSdp).map((s) => s.bandwidth)).toEqual([[], ['b=AS:300', 'b=TIAS:300000']]);
    // The worker caps what it takes from this publisher: the video cap and 64 kbit/s for the audio.
    expect((await sut.seatTransports(spec.roomId, 'alice')).send?.maxIncomingBitrate).toBe(364_000);
    // Audio only (decided by the caller): the video m-line answered inactive, the feed audio alone.
    const again = keep(new Publisher());
    const audioOnly = await sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: await again.offer(), kinds: ['audio'] });
    expect(sections(audioOnly.answerSdp).map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'recvonly'],
      ['video', 'inactive'],
    ]);
    expect(audioOnly.feedId).not.toBe(feedId);
    expect(await sut.feeds(spec.roomId)).toEqual([{ feedId: audioOnly.feedId, participantId: 'alice', kinds: ['audio'] }]);
    // A new cap applies at once to the live publisher's transport, and to the next answer.
    await sut.openRoom({ ...spec, bitrateCapKbps: 150 });
    expect((await sut.seatTransports(spec.roomId, 'alice')).send?.maxIncomingBitrate).toBe(214_000);
    const third = keep(new Publisher());
    const capped = await sut.publish({
      roomId: spec.roomId,
      participantId: 'alice',
      offerSdp: await third.offer(),
      kinds: ['audio', 'video'],
    });
    expect(sections(capped.answerSdp)[1].bandwidth).toEqual(['b=AS:150', 'b=TIAS:150000']);
  });

  it('names who speaks from the audio-level header extension, and says when nobody does', async () => {
    const { spec, alice } = await aRoomWithAPublisher();
    alice.level = 20; // -20 dBov
    const deadline = Date.now() + 4_000;
    let heard: RoomActivity | undefined;
    while (!heard && Date.now() < deadline) {
      heard = activity.find((a) => a.roomId === spec.roomId && a.speaking === 'alice');
      await sleep(100);
    }
    expect(heard).toBeDefined();
    expect(heard!.levels[0]).toMatchObject({ participantId: 'alice' });
    expect(heard!.levels[0].dBov).toBeGreaterThan(-30);
    alice.level = 127;
    const quiet = Date.now() + 4_000;
    let silence: RoomActivity | undefined;
    while (!silence && Date.now() < quiet) {
      silence = activity.filter((a) => a.roomId === spec.roomId).pop();
      if (silence?.speaking !== null) silence = undefined;
      await sleep(100);
    }
    expect(silence).toEqual({ roomId: spec.roomId, speaking: null, levels: [] });
  });

  it('replaces a worker killed with SIGKILL, tells the sessions of its rooms, and a new room works', async () => {
    const { spec } = await aRoomWithAPublisher();
    const pid = sut.workerPidOf(spec.roomId)!;
    const pids = sut.workerPids();
    expect(pids).toContain(pid);
    const seen = resets.length;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5_000;
    while (resets.length === seen && Date.now() < deadline) await sleep(50);
    // Every session with a room on that worker (earlier tests' rooms too), this one among them.
    expect(resets.slice(seen)).toEqual([{ reason: 'sfu_restarted', sessionIds: expect.arrayContaining([spec.sessionId]) }]);
    expect(sut.workerPids()).toHaveLength(2);
    expect(sut.workerPids()).not.toContain(pid);
    expect(sut.availability()).toMatchObject({ available: true, engine: 'mediasoup' });
    // The room went with its worker; joining again makes it anew, and media flows.
    await expect(sut.admit(spec.roomId, 'alice', true)).rejects.toMatchObject({ code: 'MEDIA_NOT_JOINED' });
    const { feedId } = await aRoomWithAPublisher(spec);
    await sut.admit(spec.roomId, 'bob', true);
    const { sub } = await subscribed(spec, 'bob', [feedId]);
    await until(() => sub.count.video > 10);
    expect(sub.count.video).toBeGreaterThan(10);
  });
});

withMediasoup('MEDIA_SFU: which SFU the factory takes', () => {
  const port = async (env: Record<string, string>) => {
    const p = await createMediaPort(loadConfig({ MEDIASOUP_WORKERS: '1', ...env }));
    const availability = p.availability();
    const adapter = p instanceof SfuSupervisor ? p.current() : null;
    await p.shutdown();
    return { availability, adapter };
  };

  it('takes mediasoup when chosen, or under auto without a Janus variable, supervised', async () => {
    const envs: Record<string, string>[] = [
      { MEDIA_SFU: 'mediasoup' },
      { MEDIA_SFU: 'auto' },
      {},
      { MEDIA_SFU: 'mediasoup', JANUS_BINARY: 'none' },
    ];
    for (const env of envs) {
      const { availability, adapter } = await port(env);
      expect(availability).toEqual({
        available: true,
        engine: 'mediasoup',
        sfu: expect.stringMatching(/^mediasoup 3\.\d+\.\d+, 1 worker$/),
      });
      expect(adapter).toBeInstanceOf(MediasoupMediaAdapter);
    }
  });

  it('keeps what an explicit Janus variable meant under auto, and honours none and janus', async () => {
    // JANUS_BINARY=none under auto: no SFU, as before mediasoup (the test harness and operators rely on it).
    expect((await port({ JANUS_BINARY: 'none' })).availability).toEqual({
      available: false,
      reason: expect.stringContaining('JANUS_BINARY=none'),
    });
    expect((await port({ MEDIA_SFU: 'janus', JANUS_BINARY: 'none' })).availability).toMatchObject({ available: false });
    expect((await port({ MEDIA_SFU: 'none' })).availability).toEqual({
      available: false,
      reason: expect.stringContaining('MEDIA_SFU=none'),
    });
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { JanusMediaAdapter } from '@parley/media/infrastructure/janus/janus.adapter';
import { findJanusBinary, freeLoopbackPort, startJanus, type RunningJanus } from '@parley/media/infrastructure/janus/janus-process';
import {
  janusCodeOf,
  loadJanode,
  type JanodeConnection,
  type JanodeSession,
  type VideoRoomHandle,
} from '@parley/media/infrastructure/janus/janode';
import type { MediaRoomSpec } from '@parley/media/application/media.port';
import { describeWhen, lacks } from './support/needs';

/**
 * The Janus adapter against a real Janus (Debian package) that the launcher starts on loopback.
 * Signalling only: Janus cannot gather ICE candidates on plain loopback, so nothing here sends it
 * an SDP (that would also make libnice gather on the machine's outside interface). The publish and
 * subscribe paths (with werift as the peer) run only inside a network namespace that has the
 * `jlo0` interface (see ../shared/notes/webrtc-testing.md), e.g.
 *   unshare --net bash -c 'ip link set lo up; sysctl -qw net.ipv6.conf.default.disable_ipv6=1;
 *     ip link add jlo0 type ifb; ip addr add 127.0.0.2/32 dev jlo0; ip link set jlo0 up; <jest command>'
 * Browser media tests come on top of these.
 */
const CONFIG_DIR = resolve(__dirname, '..', 'infra', 'janus');
const binary = findJanusBinary();
const withJanus = describeWhen(__filename, lacks.janus());
const withIce = describeWhen(__filename, lacks.janus(), lacks.namespace());

let n = 0;
const aRoom = (over: Partial<MediaRoomSpec> = {}): MediaRoomSpec => ({
  sessionId: 'session-1',
  roomId: `room-${++n}-${Date.now()}`,
  bitrateCapKbps: 512,
  ...over,
});

/** A raw janode client beside the adapter: what a process knowing even Janus' API secret could do. */
class RawClient {
  private constructor(
    private readonly connection: JanodeConnection,
    readonly session: JanodeSession,
    readonly control: VideoRoomHandle,
  ) {}

  static async open(url: string, apisecret?: string): Promise<RawClient> {
    const { janode, videoRoom } = await loadJanode();
    const connection = await janode.connect({ address: { url, ...(apisecret ? { apisecret } : {}) }, retry_time_secs: 1, max_retries: 0 });
    const session = await connection.create();
    return new RawClient(connection, session, await session.attach(videoRoom));
  }

  async handle(): Promise<VideoRoomHandle> {
    const { videoRoom } = await loadJanode();
    return this.session.attach(videoRoom);
  }

  /** The Janus error code of a request that must fail (fails the test if it succeeds). */
  async refusal(p: Promise<unknown>): Promise<number | null> {
    try {
      await p;
    } catch (e) {
      return janusCodeOf(e);
    }
    throw new Error('Janus accepted a request it had to refuse');
  }

  async allowed(room: number, secret: string): Promise<string[]> {
    return (await this.control.allow({ room, secret, action: 'add' })).list;
  }

  async participants(room: number): Promise<{ feed: number; display?: string; publisher: boolean }[]> {
    return (await this.control.listParticipants({ room })).participants;
  }

  async close(): Promise<void> {
    await this.session.destroy().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((ok) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      ok(true);
    });
    s.once('error', () => {
      s.destroy();
      ok(false);
    });
  });

/** The local addresses ("ip:port") of a process' IPv4/IPv6 TCP and UDP sockets, from /proc. */
function socketsOf(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter(Boolean),
  );
  const addr = (hex: string) => {
    const [ip, port] = hex.split(':');
    const v4 = ip.length === 8 ? ip : ip.slice(24); // IPv4, or the tail of an IPv4-mapped IPv6
    return `${
      ip.length === 8 || ip.startsWith('0000000000000000FFFF0000')
        ? v4
            .match(/../g)!
            .reverse()
            .map((b) => parseInt(b, 16))
            .join('.')
        : ip
    }:${parseInt(port, 16)}`;
  };
  return ['tcp', 'tcp6', 'udp', 'udp6'].flatMap((t) =>
    readFileSync(`/proc/${pid}/net/${t}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length > 9 && inodes.has(f[9]))
      .map((f) => addr(f[1])),
  );
}

withJanus('Janus media adapter, against a real Janus on loopback', () => {
  let janus: RunningJanus;
  let sut: JanusMediaAdapter;
  let raw: RawClient;

  beforeAll(async () => {
    janus = await startJanus({ binary: binary!, configDir: CONFIG_DIR });
    sut = await JanusMediaAdapter.connect({
      url: janus.url,
      apiSecret: janus.apiSecret,
      adminKey: janus.adminKey,
      ownedProcess: janus,
      janodeLogLevel: 'none',
    });
    raw = await RawClient.open(janus.url, janus.apiSecret);
  });

  afterAll(async () => {
    await raw?.close();
    await sut?.shutdown();
    await janus?.stop();
  });

  it('starts Janus on 127.0.0.1 only and reports it available', () => {
    expect(janus.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    // Its listening socket and the connections accepted on it (this adapter's, the raw client's); no UDP.
    expect([...new Set(socketsOf(janus.pid))]).toEqual([`127.0.0.1:${new URL(janus.url).port}`]);
    expect(sut.availability()).toEqual({ available: true, sfu: expect.stringMatching(/^Janus \S+ VideoRoom$/), engine: 'janus' });
  });

  it('opens a private room with a secret, a pin, require_pvtid and a bitrate cap; opening again changes nothing but the cap', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    const first = sut.janusView(spec.roomId)!;
    await sut.openRoom(spec);
    expect(sut.janusView(spec.roomId)!.janusRoom).toBe(first.janusRoom);

    const listed = async () =>
      (await raw.control.list({ admin_key: janus.adminKey })).list.filter(
        (r) => r.description === `parley ${spec.roomId}`,
      ) as unknown as Record<string, unknown>[];
    expect(await listed()).toEqual([
      expect.objectContaining({
        room: first.janusRoom,
        require_pvtid: true,
        pin_required: true,
        max_publishers: 100,
        bitrate: 512_000,
        bitrate_cap: true,
      }),
    ]);
    // Private: invisible without the admin key.
    expect((await raw.control.list()).list.map((r) => r.room)).not.toContain(first.janusRoom);

    await sut.openRoom({ ...spec, bitrateCapKbps: 256 });
    expect(await listed()).toEqual([expect.objectContaining({ room: first.janusRoom, bitrate: 256_000 })]);
  });

  it("answers no Janus API request without this run's API secret", async () => {
    const { janode } = await loadJanode();
    for (const apisecret of [undefined, 'guess']) {
      const c = await janode.connect({
        address: { url: janus.url, ...(apisecret ? { apisecret } : {}) },
        retry_time_secs: 1,
        max_retries: 0,
      });
      try {
        expect(await raw.refusal(c.create())).toBe(403);
      } finally {
        await c.close();
      }
    }
    await expect(JanusMediaAdapter.connect({ url: janus.url, adminKey: janus.adminKey, janodeLogLevel: 'none' })).rejects.toThrow(
      /not usable: 403/,
    );
  });

  it("lets only the holder of this run's admin key create rooms", async () => {
    expect(await raw.refusal(raw.control.message({ request: 'create', room: 4242 }))).toBe(429);
    expect(await raw.refusal(raw.control.message({ request: 'create', room: 4242, admin_key: 'guess' }))).toBe(433);
    expect((await raw.control.exists({ room: 4242 })).exists).toBe(false);
  });

  it('gives an admitted participant a publishing seat: a token in the allowed list and a publisher in the room', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const view = sut.janusView(spec.roomId)!;

    expect(await raw.allowed(view.janusRoom, view.secret)).toEqual([view.tokens.alice]);
    expect(await raw.participants(view.janusRoom)).toEqual(
      expect.arrayContaining([{ feed: view.publisherIds.alice, display: 'alice', publisher: false }]),
    );
    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 0, subscribers: 0, participants: ['alice'] });
    expect(await sut.feeds(spec.roomId)).toEqual([]);
  });

  it('Janus refuses a publisher join with a wrong token, no token or a wrong pin (433), and takes a valid one', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const { janusRoom: room, pin, tokens } = sut.janusView(spec.roomId)!;
    const h = await raw.handle();

    expect(await raw.refusal(h.joinPublisher({ room, pin, token: 'not-a-token' }))).toBe(433);
    expect(await raw.refusal(h.joinPublisher({ room, pin }))).toBe(433);
    expect(await raw.refusal(h.joinPublisher({ room, pin: 'not-the-pin', token: tokens.alice }))).toBe(433);
    expect(await raw.refusal(h.joinPublisher({ room, token: tokens.alice }))).toBe(429); // no pin: missing element
    // The control: the same request with a listed token is accepted.
    const joined = await h.joinPublisher({ room, pin, token: tokens.alice });
    expect(joined.feed).toEqual(expect.any(Number));
    await h.detach();
  });

  it('never lets an observer publish: Parley refuses, and Janus has no seat or token that could', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'mediator', true);
    await sut.admit(spec.roomId, 'olga', false);
    const view = sut.janusView(spec.roomId)!;

    // Parley: a clear error, before anything reaches Janus.
    await expect(
      sut.publish({ roomId: spec.roomId, participantId: 'olga', offerSdp: 'v=0\r\n', kinds: ['audio', 'video'] }),
    ).rejects.toMatchObject({ code: 'OBSERVER_READ_ONLY' });
    await expect(sut.unpublish(spec.roomId, 'olga')).resolves.toBeUndefined();

    // Janus: the observer holds no token and no publisher; the only token is the mediator's (the
    // anchor's join token, whose private_id observers subscribe with, was spent and removed).
    expect(view.tokens.olga).toBeUndefined();
    expect(view.publisherIds.olga).toBeUndefined();
    expect(await raw.allowed(view.janusRoom, view.secret)).toEqual([view.tokens.mediator]);
    const inRoom = await raw.participants(view.janusRoom);
    expect(inRoom.map((p) => p.display).sort()).toEqual(['mediator', 'parley:receive-only']);

    // Everything the observer's seat rests on (room, pin, the anchor's private_id) does not make a publisher.
    const h = await raw.handle();
    expect(await raw.refusal(h.joinPublisher({ room: view.janusRoom, pin: view.pin }))).toBe(433);
    expect(
      await raw.refusal(
        h.message({ request: 'joinandconfigure', ptype: 'publisher', room: view.janusRoom, pin: view.pin, id: view.anchorFeedId }),
      ),
    ).toBe(433);
    expect(await raw.refusal(h.message({ request: 'publish' }))).toBe(424);
    await h.detach();
    expect((await raw.participants(view.janusRoom)).length).toBe(inRoom.length);
  });

  it('evicts a participant: gone from the room, from stats and from the allowed list, their token dead', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    await sut.admit(spec.roomId, 'bob', true);
    const before = sut.janusView(spec.roomId)!;
    expect((await sut.stats(spec.roomId)).participants).toEqual(['alice', 'bob']);

    await sut.evict(spec.roomId, 'bob');

    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 0, subscribers: 0, participants: ['alice'] });
    expect(await raw.allowed(before.janusRoom, before.secret)).toEqual([before.tokens.alice]);
    expect((await raw.participants(before.janusRoom)).map((p) => p.feed)).not.toContain(before.publisherIds.bob);
    const h = await raw.handle();
    expect(await raw.refusal(h.joinPublisher({ room: before.janusRoom, pin: before.pin, token: before.tokens.bob }))).toBe(433);
    await h.detach();
    // Idempotent, and harmless for someone never admitted.
    await sut.evict(spec.roomId, 'bob');
    await sut.evict(spec.roomId, 'nobody');
    await expect(sut.publish({ roomId: spec.roomId, participantId: 'bob', offerSdp: 'v=0\r\n', kinds: ['audio'] })).rejects.toMatchObject({
      code: 'MEDIA_NOT_JOINED',
    });
  });

  it('admitting again gives a fresh seat (new token, new publisher), and a seat can change to receive-only', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const first = sut.janusView(spec.roomId)!;
    await sut.admit(spec.roomId, 'alice', true);
    const second = sut.janusView(spec.roomId)!;
    expect(second.tokens.alice).not.toBe(first.tokens.alice);
    expect(second.publisherIds.alice).not.toBe(first.publisherIds.alice);
    expect(await raw.allowed(first.janusRoom, first.secret)).toEqual([second.tokens.alice]);

    await sut.admit(spec.roomId, 'alice', false);
    expect(await raw.allowed(first.janusRoom, first.secret)).toEqual([]);
    expect((await raw.participants(first.janusRoom)).map((p) => p.display)).toEqual(['parley:receive-only']);
    expect((await sut.stats(spec.roomId)).participants).toEqual([]);
  });

  it('answers feeds and subscriptions clearly when nobody publishes', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    await sut.admit(spec.roomId, 'olga', false);
    expect(await sut.feeds(spec.roomId)).toEqual([]);
    await expect(
      sut.subscribe({
        roomId: spec.roomId,
        participantId: 'olga',
        feedIds: [String(sut.janusView(spec.roomId)!.publisherIds.alice)],
        audioOnly: false,
      }),
    ).rejects.toMatchObject({ code: 'FEED_NOT_FOUND' });
    await expect(
      sut.subscribe({ roomId: spec.roomId, participantId: 'olga', feedIds: ['not-a-feed'], audioOnly: false }),
    ).rejects.toMatchObject({ code: 'FEED_NOT_FOUND' });
    await expect(sut.subscribe({ roomId: spec.roomId, participantId: 'stranger', feedIds: [], audioOnly: false })).rejects.toMatchObject({
      code: 'MEDIA_NOT_JOINED',
    });
    await expect(sut.answer(spec.roomId, 'olga', 'v=0\r\n')).rejects.toMatchObject({ code: 'MEDIA_NOT_JOINED' });
    await expect(sut.admit('never-opened', 'alice', true)).rejects.toMatchObject({ code: 'MEDIA_NOT_JOINED' });
    expect(await sut.stats('never-opened')).toEqual({ roomId: 'never-opened', publishers: 0, subscribers: 0, participants: [] });
  });

  it('closes a room with everything in it, and closing again is harmless', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    await sut.admit(spec.roomId, 'olga', false);
    const { janusRoom } = sut.janusView(spec.roomId)!;

    await sut.closeRoom(spec.roomId);

    expect((await raw.control.exists({ room: janusRoom })).exists).toBe(false);
    expect(sut.janusView(spec.roomId)).toBeNull();
    expect(await sut.feeds(spec.roomId)).toEqual([]);
    await sut.closeRoom(spec.roomId);
    await expect(sut.admit(spec.roomId, 'alice', true)).rejects.toMatchObject({ code: 'MEDIA_NOT_JOINED' });
    // Opened again, it is a new Janus room.
    await sut.openRoom(spec);
    expect(sut.janusView(spec.roomId)!.janusRoom).not.toBe(janusRoom);
  });

  it('shuts down: rooms destroyed, Janus stopped, its port closed', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    const { janusRoom } = sut.janusView(spec.roomId)!;
    expect((await raw.control.exists({ room: janusRoom })).exists).toBe(true);
    const port = Number(new URL(janus.url).port);
    await raw.close();

    await sut.shutdown();

    expect(sut.availability()).toEqual({ available: false, reason: expect.any(String) });
    expect(await accepts(port)).toBe(false);
    expect(() => process.kill(janus.pid, 0)).toThrow();
    await expect(sut.openRoom(aRoom())).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
  });
});

withJanus('Janus launcher', () => {
  it('refuses an ICE interface that is not there, since libnice would then gather on every interface', async () => {
    await expect(startJanus({ binary: binary!, configDir: CONFIG_DIR, iceInterface: 'no-such-if0' })).rejects.toThrow(
      /ICE interface "no-such-if0" is not up/,
    );
  });

  it("fails clearly, with Janus' last words, when Janus cannot start", async () => {
    await expect(startJanus({ binary: binary!, configDir: resolve(CONFIG_DIR, 'missing') })).rejects.toThrow(/No janus.jcfg/);
    await expect(startJanus({ binary: '/bin/false', configDir: CONFIG_DIR })).rejects.toThrow(
      /Janus did not start: janus exited \(code 1\)/,
    );
  });
});

/** A browser-like offer: Opus, and VP8 with three simulcast layers; no candidates (half trickle). */
function anOffer(): string {
  const fp = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).padStart(2, '0').toUpperCase()).join(':');
  const common = [
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:pRly',
    'a=ice-pwd:parleyparleyparleyparley',
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fp}`,
    'a=setup:actpass',
  ];
  return (
    [
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0 1',
      'a=extmap-allow-mixed',
      'a=msid-semantic: WMS s',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      ...common,
      'a=mid:0',
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=sendonly',
      'a=msid:s a0',
      'a=rtcp-mux',
      'a=rtpmap:111 opus/48000/2',
      'a=rtcp-fb:111 transport-cc',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=ssrc:1001 cname:parley',
      'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
      ...common,
      'a=mid:1',
      'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
      'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
      'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
      'a=sendonly',
      'a=msid:s v0',
      'a=rtcp-mux',
      'a=rtcp-rsize',
      'a=rtpmap:96 VP8/90000',
      'a=rtcp-fb:96 goog-remb',
      'a=rtcp-fb:96 transport-cc',
      'a=rtcp-fb:96 ccm fir',
      'a=rtcp-fb:96 nack',
      'a=rtcp-fb:96 nack pli',
      'a=rtpmap:97 rtx/90000',
      'a=fmtp:97 apt=96',
      'a=rid:q send',
      'a=rid:h send',
      'a=rid:f send',
      'a=simulcast:send q;h;f',
    ].join('\r\n') + '\r\n'
  );
}

/** The m-sections of an SDP: kind, direction, and whether simulcast was accepted. */
const sections = (sdp: string) =>
  sdp
    .split(/\r\n(?=m=)/)
    .slice(1)
    .map((s) => ({
      kind: /^m=(\w+)/.exec(s)![1],
      mid: /\r\na=mid:(\S+)/.exec(s)?.[1],
      direction: /\r\na=(sendrecv|sendonly|recvonly|inactive)\r\n/.exec(s)?.[1],
      simulcast: /a=simulcast:recv/.test(s),
      candidates: (s.match(/a=candidate:.*/g) ?? []).map((c) => c.split(' ')[4]),
    }));

/** A werift peer on loopback (the test tool of the notes; never a production SFU). */
const aPeer = () => new RTCPeerConnection({ iceUseIpv6: false, bundlePolicy: 'max-bundle' });

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
    const timer = setTimeout(() => fail(new Error(`no connection (${pc.connectionState})`)), 5_000);
    pc.connectionStateChange.subscribe((s) => {
      if (s === 'connected') {
        clearTimeout(timer);
        ok();
      }
    });
  });
}

/** A publisher's offer: audio and video, sending. */
async function publisherOffer(): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = aPeer();
  pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendonly' });
  pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  return { pc, sdp: await gathered(pc) };
}

/** Answers an SFU offer with a fresh peer; resolves with the peer and its answer. */
async function receiverAnswer(offerSdp: string): Promise<{ pc: RTCPeerConnection; sdp: string }> {
  const pc = aPeer();
  await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
  await pc.setLocalDescription(await pc.createAnswer());
  return { pc, sdp: await gathered(pc) };
}

withJanus("the container entrypoint (docker-compose's Janus service)", () => {
  it('starts Janus with the given secrets and addresses, and Parley can use it', async () => {
    const runtime = mkdtempSync(join(tmpdir(), 'parley-janus-entrypoint-'));
    const port = await freeLoopbackPort();
    const child = spawn(resolve(CONFIG_DIR, 'container-entrypoint.sh'), [], {
      env: {
        ...process.env,
        JANUS_API_SECRET: 'entrypoint-api-secret',
        JANUS_ADMIN_KEY: 'entrypoint-admin-key',
        JANUS_BIN: binary!,
        JANUS_CONFIG_SRC: CONFIG_DIR,
        JANUS_RUNTIME_DIR: runtime,
        JANUS_WS_IP: '127.0.0.1',
        JANUS_WS_PORT: String(port),
        JANUS_INTERFACE: '127.0.0.1',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const url = `ws://127.0.0.1:${port}`;
      let sut: JanusMediaAdapter | null = null;
      for (let i = 0; i < 100 && !sut; i++) {
        sut = await JanusMediaAdapter.connect({ url, apiSecret: 'entrypoint-api-secret', adminKey: 'entrypoint-admin-key' }).catch(
          () => null,
        );
        if (!sut) await new Promise((r) => setTimeout(r, 100));
      }
      expect(sut).not.toBeNull();
      const room = aRoom();
      await sut!.openRoom(room);
      await sut!.admit(room.roomId, 'p-1', true);
      expect((await sut!.stats(room.roomId)).participants).toEqual(['p-1']);
      await sut!.shutdown();
      // Only the holder of the admin key creates rooms; only the holder of the API secret talks to it.
      await expect(JanusMediaAdapter.connect({ url, apiSecret: 'wrong', adminKey: 'entrypoint-admin-key' })).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});

withIce('Janus media adapter, publish and subscribe paths (inside a network namespace with jlo0)', () => {
  let janus: RunningJanus;
  let sut: JanusMediaAdapter;
  const peers: RTCPeerConnection[] = [];
  const keep = <T extends { pc: RTCPeerConnection }>(x: T): T => {
    peers.push(x.pc);
    return x;
  };

  beforeAll(async () => {
    janus = await startJanus({ binary: binary!, configDir: CONFIG_DIR, iceInterface: 'jlo0' });
    sut = await JanusMediaAdapter.connect({
      url: janus.url,
      apiSecret: janus.apiSecret,
      adminKey: janus.adminKey,
      ownedProcess: janus,
      janodeLogLevel: 'none',
    });
  });
  afterAll(async () => {
    await Promise.all(peers.map((pc) => pc.close()));
    await sut?.shutdown();
  });

  /** A room where alice publishes (connected) and olga, an observer, is admitted. */
  async function aRoomWithAPublisher(): Promise<{ spec: MediaRoomSpec; feedId: string }> {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    await sut.admit(spec.roomId, 'olga', false);
    const pub = keep(await publisherOffer());
    const { answerSdp, feedId } = await sut.publish({
      roomId: spec.roomId,
      participantId: 'alice',
      offerSdp: pub.sdp,
      kinds: ['audio', 'video'],
    });
    await pub.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await connected(pub.pc);
    return { spec, feedId };
  }

  it('answers a simulcast offer with candidates on jlo0 only, and lists the feed', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const answer = await sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: anOffer(), kinds: ['audio', 'video'] });
    expect(sections(answer.answerSdp)).toEqual([
      { kind: 'audio', mid: '0', direction: 'recvonly', simulcast: false, candidates: ['127.0.0.2'] },
      { kind: 'video', mid: '1', direction: 'recvonly', simulcast: true, candidates: ['127.0.0.2'] },
    ]);
    expect(await sut.feeds(spec.roomId)).toEqual([{ feedId: answer.feedId, participantId: 'alice', kinds: ['audio', 'video'] }]);
    await sut.unpublish(spec.roomId, 'alice');
    expect(await sut.feeds(spec.roomId)).toEqual([]);

    // Publishing again (a reload, a new camera) takes a fresh publisher: one feed, a new id.
    const again = await sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: anOffer(), kinds: ['audio'] });
    expect(again.feedId).not.toBe(answer.feedId);
    expect(await sut.feeds(spec.roomId)).toEqual([{ feedId: again.feedId, participantId: 'alice', kinds: ['audio'] }]);
    expect(sut.janusView(spec.roomId)!.publisherIds).toEqual({ alice: Number(again.feedId) });
  });

  // Audio only is decided by MediaSessions (the kinds it passes); the adapter holds to them.
  it('takes only the kinds it is given (audio only): Janus answers the video inactive', async () => {
    const spec = aRoom();
    await sut.openRoom(spec);
    await sut.admit(spec.roomId, 'alice', true);
    const answer = await sut.publish({ roomId: spec.roomId, participantId: 'alice', offerSdp: anOffer(), kinds: ['audio'] });
    expect(sections(answer.answerSdp).map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'recvonly'],
      ['video', 'inactive'],
    ]);
    expect(await sut.feeds(spec.roomId)).toEqual([{ feedId: answer.feedId, participantId: 'alice', kinds: ['audio'] }]);
  });

  it("lets an observer receive (through the anchor's private_id), counts it, and evict cuts the subscription", async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    const offer = await sut.subscribe({ roomId: spec.roomId, participantId: 'olga', feedIds: [feedId], audioOnly: false });
    expect(offer.feedIds).toEqual([feedId]);
    expect(sections(offer.offerSdp).map((s) => [s.kind, s.direction])).toEqual([
      ['audio', 'sendonly'],
      ['video', 'sendonly'],
    ]);
    // Each m-line is named with its feed and kind, so a browser can put each track in its tile.
    expect(offer.streams).toEqual(sections(offer.offerSdp).map((s) => ({ mid: s.mid, feedId, kind: s.kind })));
    const rx = keep(await receiverAnswer(offer.offerSdp));
    await sut.answer(spec.roomId, 'olga', rx.sdp);
    await connected(rx.pc);
    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 1, subscribers: 1, participants: ['alice', 'olga'] });

    await sut.evict(spec.roomId, 'olga');
    expect(await sut.stats(spec.roomId)).toEqual({ roomId: spec.roomId, publishers: 1, subscribers: 0, participants: ['alice'] });
    await expect(sut.subscribe({ roomId: spec.roomId, participantId: 'olga', feedIds: [feedId], audioOnly: false })).rejects.toMatchObject({
      code: 'MEDIA_NOT_JOINED',
    });
  });

  it('subscribes audio only when asked: the SFU offers the audio m-line alone', async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    const offer = await sut.subscribe({ roomId: spec.roomId, participantId: 'olga', feedIds: [feedId], audioOnly: true });
    expect(sections(offer.offerSdp).map((s) => s.kind)).toEqual(['audio']);
    expect(offer.streams).toEqual([{ mid: sections(offer.offerSdp)[0].mid, feedId, kind: 'audio' }]);
  });

  it("Janus itself publishes nothing for whoever holds an observer's credentials (pin + the anchor's private_id)", async () => {
    const { spec, feedId } = await aRoomWithAPublisher();
    const view = sut.janusView(spec.roomId)!;
    const raw = await RawClient.open(janus.url, janus.apiSecret);
    try {
      // What an observer's seat rests on is enough to receive...
      const h = await raw.handle();
      const sub = await h.joinSubscriber({
        room: view.janusRoom,
        streams: [{ feed: Number(feedId) }],
        private_id: view.anchorPrivateId,
        pin: view.pin,
      });
      const rx = keep(await receiverAnswer(sub.jsep!.sdp));
      await h.start({ jsep: { type: 'answer', sdp: rx.sdp } });
      await connected(rx.pc);
      // ...and nothing makes it a publisher.
      const evil = keep(await publisherOffer());
      const offer = { type: 'offer' as const, sdp: evil.sdp };
      expect(await raw.refusal(h.message({ request: 'publish' }, offer))).toBe(423);
      expect(
        await raw.refusal(h.message({ request: 'joinandconfigure', ptype: 'publisher', room: view.janusRoom, pin: view.pin }, offer)),
      ).toBe(423);
      expect(await raw.refusal(h.message({ request: 'start' }, offer))).toBe(431); // "Only publishers send offers"
      // A configure with an offer is taken as a renegotiation request: Janus answers with its own
      // subscriber offer, and RTP arriving on a subscriber handle is dropped by the plugin.
      const renegotiated = await h.message({ request: 'configure' }, offer);
      expect(renegotiated.jsep?.type).toBe('offer');
      const fresh = await raw.handle();
      expect(
        await raw.refusal(fresh.message({ request: 'joinandconfigure', ptype: 'publisher', room: view.janusRoom, pin: view.pin }, offer)),
      ).toBe(433);

      const inJanus = await raw.participants(view.janusRoom);
      expect(inJanus.filter((p) => p.publisher).map((p) => p.feed)).toEqual([Number(feedId)]);
      expect(inJanus.map((p) => p.display).sort()).toEqual(['alice', 'parley:receive-only']);
      expect((await sut.feeds(spec.roomId)).map((f) => f.participantId)).toEqual(['alice']);
    } finally {
      await raw.close();
    }
  });
});

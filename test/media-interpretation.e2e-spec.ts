import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useSdesMid } from 'werift';
import type { Ack, AuditEntryView, FeedView, InvitationAccepted, MediaFeedsChanged, SfuEngine } from '@parley/contracts';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, TestClient, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { bearer, type Person } from './support/people';

/**
 * Interpretation channels over real SFUs (mediasoup and Janus, the same cases on each; under
 * CI=true both must be there), with werift peers as the browsers and every SDP through the Parley
 * gateway: an interpreter publishes an audio channel "fr" in the plenary and a delegate receives its
 * RTP; the floor stays channel null; what an interpreter, a delegate or an observer may not publish
 * is refused with its code and field and reaches no SFU; two interpreters of "fr" hand the channel
 * over (one active, one standby, media.take-channel, the standby taking over when the holder
 * leaves); an interpreter moved to North's caucus takes their channel out of the plenary's
 * media.feeds before the move is answered, and South never hears of the channel they publish there;
 * an interpreter in the lobby publishes nothing.
 *
 * Runs only inside the network namespace of scripts/media-netns.sh (loopback plus `jlo0`, see
 * ../shared/notes/webrtc-testing.md).
 */
const ENGINES: SfuEngine[] = ['mediasoup', 'janus'];
const lackOf = (engine: SfuEngine) => (engine === 'janus' ? lacks.janus() : lacks.mediasoup());

/** RTP must reach a subscriber within this (werift's ICE and DTLS on a loaded 2-core machine take up to ~1 s). */
const RTP_BOUND_MS = 5_000;
const AUDIO_PT = 111;

jest.setTimeout(90_000);

const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Figures of each engine, printed side by side at the end. */
const figures = new Map<SfuEngine, Map<string, number>>();
afterAll(() => {
  const engines = ENGINES.filter((e) => figures.get(e)?.size);
  if (!engines.length) return;
  const rows = [...new Set(engines.flatMap((e) => [...figures.get(e)!.keys()]))].map(
    (what) => `  ${what.padEnd(78)}${engines.map((e) => String(figures.get(e)!.get(what) ?? '-').padStart(12)).join('')}`,
  );
  console.log(
    `media-interpretation (ms, measured in this run)\n  ${''.padEnd(78)}${engines.map((e) => e.padStart(12)).join('')}\n${rows.join('\n')}`,
  );
});

for (const engine of ENGINES) {
  const suite = describeWhen(__filename, lackOf(engine), lacks.namespace());
  suite(`interpretation channels on ${engine} (werift peers, in a network namespace)`, () => interpretation(engine));
}

function aPeer(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    bundlePolicy: 'max-bundle',
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: AUDIO_PT })],
      video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 })],
    },
    headerExtensions: { audio: [useSdesMid()], video: [useSdesMid()] },
  } as never);
}

async function gathered(pc: RTCPeerConnection): Promise<string> {
  if (pc.iceGatheringState !== 'complete')
    await new Promise<void>((ok) =>
      pc.iceGatheringStateChange.subscribe((s) => {
        if (s === 'complete') ok();
      }),
    );
  return pc.localDescription!.sdp;
}

/** A werift microphone: an audio-only publisher sending 50 Opus packets a second once answered. */
class Microphone {
  readonly pc = aPeer();
  readonly track = new MediaStreamTrack({ kind: 'audio' });
  private timer: NodeJS.Timeout | null = null;

  constructor() {
    this.pc.addTransceiver(this.track, { direction: 'sendonly' });
  }

  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return gathered(this.pc);
  }

  async answered(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    let seq = randomInt(0x8000);
    let n = 0;
    this.timer = setInterval(() => {
      const header = new RtpHeader({ payloadType: AUDIO_PT, sequenceNumber: seq++ & 0xffff, timestamp: (n++ * 960) >>> 0 });
      this.track.writeRtp(new RtpPacket(header, Buffer.concat([Buffer.from([0xfc]), Buffer.alloc(60, n & 0xff)])));
    }, 20);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pc.close();
  }
}

/** A werift receiver answering the SFU's offer: counts audio RTP per SSRC. */
class Ears {
  readonly pc = aPeer();
  readonly packets = new Map<number, number>();
  firstAt: number | null = null;

  constructor() {
    this.pc.onTrack.subscribe((track) =>
      track.onReceiveRtp.subscribe((rtp) => {
        this.firstAt ??= now();
        this.packets.set(rtp.header.ssrc, (this.packets.get(rtp.header.ssrc) ?? 0) + 1);
      }),
    );
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return gathered(this.pc);
  }

  /** Waits until RTP came from `sources` distinct SSRCs (bounded); resolves either way. */
  async hearing(sources: number, ms = RTP_BOUND_MS): Promise<number> {
    const end = now() + ms;
    while (this.packets.size < sources && now() < end) await pause(20);
    return this.packets.size;
  }

  close(): Promise<void> {
    return this.pc.close();
  }
}

const codeOf = (r: Ack<unknown>) => (r.ok ? 'ok' : `${r.error.code}${r.error.field ? ` ${r.error.field}` : ''}`);
const channelOf = (feeds: FeedView[], participantId: string) => {
  const f = feeds.find((x) => x.participantId === participantId);
  return f ? { channel: f.channel ?? null, ...(f.channelActive !== undefined ? { channelActive: f.channelActive } : {}) } : null;
};

function interpretation(engine: SfuEngine): void {
  let app: TestApp;
  let m: Mediation;
  const mine = new Map<string, number>();
  figures.set(engine, mine);
  /** North's interpreter (en↔fr), the mediators' interpreter (en↔fr), and one (ar↔en) left in the lobby. */
  let ines: Person;
  let ivo: Person;
  let lea: Person;
  const clients = new Map<Person, TestClient>();
  const peers: Array<{ close(): Promise<void> | void }> = [];
  const keep = <T extends { close(): Promise<void> | void }>(x: T): T => {
    peers.push(x);
    return x;
  };
  const client = (p: Person) => clients.get(p) ?? m.client(p);
  const ask = <T = any>(p: Person, event: string, body: object = {}) => client(p).ask<T>(event, body);
  let inesFeed: string;
  let ivoFeed: string;
  let floorFeed: string;

  /** Publishes audio from a new werift peer: the ack, and the microphone (sending once answered). */
  async function speak(p: Person, body: { kinds?: string[]; channel?: string } = {}) {
    const mic = keep(new Microphone());
    const r = await ask<{ answerSdp: string; feedId: string }>(p, 'media.publish', {
      offerSdp: await mic.offer(),
      kinds: ['audio'],
      ...body,
    });
    if (r.ok) await mic.answered(r.data.answerSdp);
    else await mic.close();
    return { r, mic };
  }

  const listening = new Map<Person, Ears>();
  /** Subscribes to these feeds from a new werift peer (a subscription replaces the previous one: its peer is closed first, as a page does). */
  async function listen(p: Person, feedIds: string[]) {
    await listening.get(p)?.close();
    const offer = await ask<{ offerSdp: string; feeds: FeedView[] }>(p, 'media.subscribe', { feedIds });
    if (!offer.ok) throw new Error(`subscribe: ${codeOf(offer)}`);
    const ears = keep(new Ears());
    listening.set(p, ears);
    expect(await ask(p, 'media.answer', { answerSdp: await ears.answer(offer.data.offerSdp) })).toEqual({
      ok: true,
      data: { subscribed: true },
    });
    return { ears, feeds: offer.data.feeds };
  }

  /** The media.feeds of a room a person received since `from` (an index into their events). */
  const feedsSeen = (p: Person, roomId: string, from = 0): MediaFeedsChanged[] =>
    client(p)
      .events.slice(from)
      .filter((e) => e.event === 'media.feeds' && e.payload.roomId === roomId)
      .map((e) => e.payload as MediaFeedsChanged);
  const lastFeeds = (p: Person, roomId: string) => feedsSeen(p, roomId).at(-1)?.feeds ?? [];
  const mark = (p: Person) => client(p).events.length;
  /** The feeds of the first media.feeds of a room received since `from` that passes `test` (within 5 s). */
  async function feedsWhen(p: Person, roomId: string, from: number, test: (feeds: FeedView[]) => boolean): Promise<FeedView[]> {
    const end = now() + 5_000;
    for (;;) {
      const hit = feedsSeen(p, roomId, from).find((e) => test(e.feeds));
      if (hit) return hit.feeds;
      if (now() > end) throw new Error(`${p.name}: no such media.feeds of ${roomId}; got ${JSON.stringify(feedsSeen(p, roomId, from))}`);
      await pause(10);
    }
  }

  async function interpreter(name: string, languages: [string, string], partyId?: string): Promise<Person> {
    const invited = await app
      .http()
      .post(`/api/sessions/${m.session.id}/invitations`)
      .set(bearer(m.mediator))
      .send({ role: 'interpreter', languages, ...(partyId ? { partyId } : {}) })
      .expect(201);
    const email = `${name.toLowerCase()}.${randomInt(1e9)}.${process.pid}@parley.test`;
    const password = 'correct horse battery staple';
    const res = await app
      .http()
      .post(`/api/invitations/${invited.body.token}/accept`)
      .send({ email, password, displayName: name })
      .expect(201);
    const accepted = res.body as InvitationAccepted;
    const person: Person = {
      name,
      email,
      password,
      token: accepted.accessToken,
      userId: accepted.user.id,
      participantId: accepted.participant.id,
    };
    const c = await TestClient.connect(app.url, person.token);
    await c.join(m.session.id);
    clients.set(person, c);
    return person;
  }

  beforeAll(async () => {
    app = await startApp({
      MEDIA_SFU: engine,
      ...(engine === 'janus' ? { JANUS_BINARY: findJanusBinary()!, JANUS_ICE_INTERFACE: 'jlo0' } : {}),
    });
    m = await startMediation(app);
    await app
      .http()
      .patch(`/api/sessions/${m.session.id}`)
      .set(bearer(m.mediator))
      .send({ languages: ['ar', 'en', 'fr'] })
      .expect(200);
    ines = await interpreter('Ines', ['en', 'fr'], m.partyA);
    ivo = await interpreter('Ivo', ['en', 'fr']);
    lea = await interpreter('Lea', ['ar', 'en']);
    for (const p of [m.mediator, m.a1, m.b1, ines, ivo]) await m.place(p, m.plenary);
    for (const c of [...m.clients.values(), ...clients.values()]) c.clear();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(peers.map((p) => Promise.resolve(p.close()).catch(() => undefined)));
    clients.forEach((c) => c.close());
    m?.close();
    await app?.close();
  });

  it('an interpreter in the lobby publishes nothing: NOT_IN_ROOM, as anyone there', async () => {
    expect(codeOf(await ask(lea, 'media.join'))).toBe('NOT_IN_ROOM roomId');
    expect(codeOf(await ask(lea, 'media.publish', { offerSdp: 'v=0 an offer', kinds: ['audio'], channel: 'ar' }))).toBe(
      'NOT_IN_ROOM roomId',
    );
  });

  it('refused publishes say why (code and field) and reach no SFU: video from an interpreter, no channel, a channel outside the pair or the session, a channel from a delegate, anything from an observer', async () => {
    for (const p of [ines, m.a1, m.observer]) expect(await ask(p, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.plenary } });
    const offer = 'v=0 an offer that never reaches the SFU';
    const refusals = {
      interpreterVideo: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['audio', 'video'], channel: 'fr' })),
      interpreterScreen: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['screen'], channel: 'fr' })),
      interpreterNoChannel: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['audio'] })),
      outsideThePair: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['audio'], channel: 'ar' })),
      undeclared: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['audio'], channel: 'de' })),
      notALanguage: codeOf(await ask(ines, 'media.publish', { offerSdp: offer, kinds: ['audio'], channel: 'French!' })),
      delegateChannel: codeOf(await ask(m.a1, 'media.publish', { offerSdp: offer, kinds: ['audio'], channel: 'fr' })),
      observerChannel: codeOf(await ask(m.observer, 'media.publish', { offerSdp: offer, kinds: ['audio'], channel: 'fr' })),
    };
    expect(refusals).toEqual({
      interpreterVideo: 'MEDIA_KIND_REFUSED kinds',
      interpreterScreen: 'MEDIA_KIND_REFUSED kinds',
      interpreterNoChannel: 'CHANNEL_REFUSED channel',
      outsideThePair: 'CHANNEL_REFUSED channel',
      undeclared: 'CHANNEL_REFUSED channel',
      notALanguage: 'VALIDATION_FAILED channel',
      delegateChannel: 'CHANNEL_REFUSED channel',
      observerChannel: 'OBSERVER_READ_ONLY roomId',
    });
    expect(lastFeeds(m.b1, m.plenary)).toEqual([]);
    expect(codeOf(await ask(m.a1, 'media.subscribe', {}))).toBe('FEED_NOT_FOUND feedIds');
  });

  it('an interpreter publishes "fr": the plenary sees a channel feed (channel fr, active), the floor stays channel null, and a delegate receives the channel’s RTP', async () => {
    const t0 = now();
    const { r } = await speak(ines, { channel: 'fr' });
    expect(r).toMatchObject({ ok: true, data: { feedId: expect.any(String) } });
    inesFeed = (r as { data: { feedId: string } }).data.feedId;
    expect(await ask(m.mediator, 'media.join')).toMatchObject({ ok: true });
    const floor = await speak(m.mediator);
    expect(floor.r).toMatchObject({ ok: true });
    floorFeed = (floor.r as { data: { feedId: string } }).data.feedId;
    const feeds = await feedsWhen(m.b1, m.plenary, 0, (f) => f.length === 2);
    expect(feeds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          feedId: inesFeed,
          participantId: ines.participantId,
          kinds: ['audio'],
          channel: 'fr',
          channelActive: true,
        }),
        expect.objectContaining({ feedId: floorFeed, participantId: m.mediator.participantId, channel: null }),
      ]),
    );
    expect(feeds.find((f) => f.feedId === floorFeed)).not.toHaveProperty('channelActive');

    const { ears, feeds: offered } = await listen(m.a1, [inesFeed]);
    expect(offered).toEqual([expect.objectContaining({ feedId: inesFeed, channel: 'fr', channelActive: true })]);
    expect(await ears.hearing(1)).toBe(1);
    mine.set('interpreter publishes + delegate subscribes: to the first RTP of the channel', Math.round(ears.firstAt! - t0));
  });

  it('handover: a second "fr" interpreter is standby; media.take-channel makes them active and the first standby; listeners of both hear both', async () => {
    expect(await ask(ivo, 'media.join')).toMatchObject({ ok: true });
    let from = mark(m.a1);
    const { r } = await speak(ivo, { channel: 'fr' });
    expect(r).toMatchObject({ ok: true });
    ivoFeed = (r as { data: { feedId: string } }).data.feedId;
    const published = await feedsWhen(m.a1, m.plenary, from, (f) => f.some((x) => x.feedId === ivoFeed));
    expect({ ines: channelOf(published, ines.participantId!), ivo: channelOf(published, ivo.participantId!) }).toEqual({
      ines: { channel: 'fr', channelActive: true },
      ivo: { channel: 'fr', channelActive: false },
    });

    const { ears } = await listen(m.a1, [inesFeed, ivoFeed]);
    expect(await ears.hearing(2)).toBe(2);

    const refused = {
      delegate: codeOf(await ask(m.a1, 'media.take-channel', { channel: 'fr' })),
      notTheirs: codeOf(await ask(ivo, 'media.take-channel', { channel: 'en' })),
      notALanguage: codeOf(await ask(ivo, 'media.take-channel', { channel: 42 })),
      nothing: codeOf(await ask(ivo, 'media.take-channel', {})),
      lobby: codeOf(await ask(lea, 'media.take-channel', { channel: 'ar' })),
    };
    expect(refused).toEqual({
      delegate: 'CHANNEL_REFUSED channel',
      notTheirs: 'CHANNEL_REFUSED channel',
      notALanguage: 'VALIDATION_FAILED channel',
      nothing: 'VALIDATION_FAILED channel',
      lobby: 'NOT_IN_ROOM roomId',
    });

    from = mark(m.b1);
    const t0 = now();
    expect(await ask(ivo, 'media.take-channel', { channel: 'fr' })).toEqual({ ok: true, data: { channel: 'fr', feedId: ivoFeed } });
    await feedsWhen(m.b1, m.plenary, from, (f) => channelOf(f, ivo.participantId!)?.channelActive === true);
    mine.set('media.take-channel: to media.feeds with the new active publisher', Math.round(now() - t0));
    const handed = feedsSeen(m.b1, m.plenary, from);
    expect(handed).toHaveLength(1);
    expect({ ines: channelOf(handed[0].feeds, ines.participantId!), ivo: channelOf(handed[0].feeds, ivo.participantId!) }).toEqual({
      ines: { channel: 'fr', channelActive: false },
      ivo: { channel: 'fr', channelActive: true },
    });
    // Taking what one holds changes nothing and tells nobody.
    from = mark(m.b1);
    expect(await ask(ivo, 'media.take-channel', { channel: 'fr' })).toEqual({ ok: true, data: { channel: 'fr', feedId: ivoFeed } });
    await client(m.b1).sync();
    expect(feedsSeen(m.b1, m.plenary, from)).toEqual([]);
    // Both still reach the listener: the handover has no gap to fill.
    const before = new Map(ears.packets);
    await pause(300);
    expect([...ears.packets].filter(([ssrc, n]) => n > (before.get(ssrc) ?? 0))).toHaveLength(2);
  });

  it('the active interpreter leaving hands the channel to the standby by itself, in the media.feeds that shows them gone', async () => {
    const from = mark(m.b1);
    expect(await ask(ivo, 'media.leave')).toEqual({ ok: true, data: { left: true } });
    const after = await feedsWhen(m.b1, m.plenary, from, (f) => !f.some((x) => x.feedId === ivoFeed));
    await client(m.b1).sync();
    // One media.feeds, at once: never a moment with the channel and no active publisher.
    expect(feedsSeen(m.b1, m.plenary, from)).toHaveLength(1);
    expect(after.map((f) => f.feedId).sort()).toEqual([floorFeed, inesFeed].sort());
    expect(channelOf(after, ines.participantId!)).toEqual({ channel: 'fr', channelActive: true });
    // Audited, told apart from the handover Ivo asked for (media.take-channel, above): by nobody, automatic.
    const entries = (await m.get(m.mediator, '/audit').expect(200)).body.entries as AuditEntryView[];
    const taken = entries.filter((e) => e.type === 'media.channel.taken' && e.payload.channel === 'fr');
    expect(taken.map((e) => [e.payload.participantId, e.payload.from, e.payload.automatic ?? false, e.actorUserId === null])).toEqual([
      [ivo.participantId, ines.participantId, false, false],
      [ines.participantId, ivo.participantId, true, true],
    ]);
  });

  it("the last interpreter of a channel moved to North's caucus: the plenary's media.feeds loses the channel before the move is answered; South never hears of the channel in North's caucus", async () => {
    for (const p of [m.a1, m.b1, m.b2]) await client(p).sync();
    const from = { a1: mark(m.a1), b1: mark(m.b1), b2: mark(m.b2) };
    const t0 = now();
    await m.place(ines, m.caucusA);
    const moved = now();
    // Everything the server sent the plenary before answering the move has arrived once a1's next round trip is done.
    await client(m.a1).sync();
    const plenary = feedsSeen(m.a1, m.plenary, from.a1);
    expect(plenary.length).toBeGreaterThanOrEqual(1);
    expect(plenary.at(-1)!.feeds).toEqual([expect.objectContaining({ feedId: floorFeed, channel: null })]);
    expect(plenary.at(-1)!.feeds.some((f) => f.channel)).toBe(false);
    mine.set('move of the interpreter: request to answer (the plenary told before it)', Math.round(moved - t0));
    expect(client(ines).events.some((e) => e.event === 'media.cut' && e.payload.roomId === m.plenary)).toBe(true);

    // In North's caucus, Ines interprets for North; Ali (North) hears of it, South never does.
    expect(await ask(ines, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true } });
    const { r } = await speak(ines, { channel: 'fr' });
    expect(r).toMatchObject({ ok: true });
    const caucusFeed = (r as { data: { feedId: string } }).data.feedId;
    const caucus = await feedsWhen(m.a2, m.caucusA, 0, (f) => f.some((x) => x.feedId === caucusFeed));
    expect(channelOf(caucus, ines.participantId!)).toEqual({ channel: 'fr', channelActive: true });
    expect(await ask(m.a2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusA } });
    const { ears } = await listen(m.a2, [caucusFeed]);
    expect(await ears.hearing(1)).toBe(1);

    for (const p of [m.b1, m.b2]) await client(p).sync();
    expect(await ask(m.b2, 'media.join')).toMatchObject({ ok: true, data: { roomId: m.caucusB } });
    expect(codeOf(await ask(m.b2, 'media.subscribe', { feedIds: [caucusFeed] }))).toBe('FEED_NOT_FOUND feedIds');
    expect(codeOf(await ask(m.b1, 'media.subscribe', { feedIds: [caucusFeed] }))).toBe('MEDIA_NOT_JOINED');
    const southHeard = [...client(m.b1).events.slice(from.b1), ...client(m.b2).events.slice(from.b2)].filter(
      (e) =>
        JSON.stringify(e.payload).includes(caucusFeed) || (e.event.startsWith('media.') && JSON.stringify(e.payload).includes(m.caucusA)),
    );
    expect(southHeard).toEqual([]);
    // The plenary's feeds never carry a channel again while nobody interprets there.
    expect(feedsSeen(m.b1, m.plenary, from.b1).every((f) => f.feeds.every((x) => !x.channel))).toBe(true);
  });
}

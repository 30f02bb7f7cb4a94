import { readFileSync } from 'node:fs';
import type { MediaCut, MediaJoinView } from '@parley/contracts';
import { MEDIA_PORT, type MediaPort } from '@parley/media';
import { MediaSessions } from '@parley/media/application/media-sessions';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import type { JanusMediaAdapter } from '@parley/media/infrastructure/janus/janus.adapter';
import { loadJanode, type VideoRoomHandle } from '@parley/media/infrastructure/janus/janode';
import type { SfuSupervisor } from '@parley/media/infrastructure/sfu-supervisor';
import { startApp, type TestApp } from './support/harness';
import { ApiProcess, freePort } from './support/api-process';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { bearer } from './support/people';
import { commandOf, descendants } from './support/processes';

/**
 * Media signalling through Parley with a real Janus that Parley starts on loopback: seats follow
 * membership (observers receive only, the lobby has none), and a move, a return to the lobby or a
 * role change tears the old room's media down on the server before the participant moves on — seen
 * in Janus' own list of who is in the media room, in the participant's `media.cut`, and in the audit
 * chain. No browser and no ICE here: the browser suite does real media inside a network namespace.
 */
const janus = findJanusBinary();

describeWhen(__filename, lacks.janus())('media signalling with Janus', () => {
  let app: TestApp;
  let m: Mediation;
  let port: MediaPort;

  beforeAll(async () => {
    app = await startApp({ JANUS_BINARY: janus! });
    m = await startMediation(app);
    port = app.app.get<MediaPort>(MEDIA_PORT);
  });
  afterAll(async () => {
    m.close();
    await app.close();
  });

  const join = async (who: Mediation['a1'], body: object = {}) => m.client(who).ask<MediaJoinView>('media.join', body);
  const inRoom = async (roomId: string) => (await port.stats(roomId)).participants;

  it('reports the SFU Parley started', async () => {
    expect((await app.http().get('/api/media/status').expect(200)).body).toEqual({
      available: true,
      sfu: expect.stringContaining('Janus'),
      engine: 'janus',
    });
  });

  it('gives each participant a seat in the room they are in: publishing for delegates, receive-only for observers', async () => {
    expect(await join(m.a1)).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true, audioOnly: false } });
    expect(await join(m.b1, { audioOnly: true })).toMatchObject({
      ok: true,
      data: { roomId: m.caucusB, mayPublish: true, audioOnly: true },
    });
    expect(await join(m.observer)).toMatchObject({ ok: true, data: { roomId: m.plenary, mayPublish: false } });
    expect(await inRoom(m.caucusA)).toEqual([m.a1.participantId]);
    expect(await inRoom(m.caucusB)).toEqual([m.b1.participantId]);
    const refused = await m.client(m.observer).ask('media.publish', { offerSdp: 'v=0 an offer from an observer', kinds: ['video'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'OBSERVER_READ_ONLY' } });
  });

  it('answers nothing to subscribe to with FEED_NOT_FOUND, and a publish before joining with MEDIA_NOT_JOINED', async () => {
    expect(await m.client(m.a1).ask('media.subscribe', {})).toMatchObject({ ok: false, error: { code: 'FEED_NOT_FOUND' } });
    expect(await m.client(m.a2).ask('media.publish', { offerSdp: 'v=0 not joined yet', kinds: ['audio'] })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_NOT_JOINED' },
    });
  });

  it("media.layer: bad input refused with its field, nothing without a seat; any seat (an observer's too) is answered and keeps it", async () => {
    for (const body of [{}, { layer: 'medium' }, { layer: 0 }, { layer: ['low'] }, 'low', null]) {
      expect({ body, r: await m.client(m.a1).ask('media.layer', body) }).toMatchObject({
        body,
        r: { ok: false, error: { code: 'VALIDATION_FAILED' } },
      });
    }
    expect(await m.client(m.a1).ask('media.layer', { layer: 'low', participantId: m.b1.participantId })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'participantId' },
    });
    // a2 has no seat yet: nothing to keep the layer with.
    expect(await m.client(m.a2).ask('media.layer', { layer: 'low' })).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_JOINED' } });
    expect(await m.client(m.a1).ask('media.layer', { layer: 'low' })).toEqual({ ok: true, data: { layer: 'low' } });
    expect(await m.client(m.observer).ask('media.layer', { layer: 'low' })).toEqual({ ok: true, data: { layer: 'low' } });
    expect(await m.client(m.a1).ask('media.layer', { layer: 'high' })).toEqual({ ok: true, data: { layer: 'high' } });
  });

  it('tears the old room down on a move, before the participant hears of the move', async () => {
    const c = m.client(m.a1);
    c.clear();
    await m.place(m.a1, m.plenary);
    const cut: MediaCut = await c.waitFor('media.cut');
    expect(cut).toEqual({ sessionId: m.session.id, roomId: m.caucusA, reason: 'moved' });
    const order = c.events.map((e) => e.event);
    expect(order.indexOf('media.cut')).toBeLessThan(order.indexOf('participant.location'));
    expect(await inRoom(m.caucusA)).toEqual([]);
    expect(await join(m.a1)).toMatchObject({ ok: true, data: { roomId: m.plenary, mayPublish: true } });
    expect(await inRoom(m.plenary)).toContain(m.a1.participantId);
  });

  it('cuts a participant sent back to the lobby, and gives no seat in the lobby', async () => {
    const c = m.client(m.b1);
    c.clear();
    await m.post(m.mediator, `/participants/${m.b1.participantId}/lobby`).expect(200);
    expect(await c.waitFor('media.cut')).toMatchObject({ roomId: m.caucusB, reason: 'moved' });
    expect(await inRoom(m.caucusB)).toEqual([]);
    expect(await join(m.b1)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });

  it('cuts a seat whose publishing right a role change took away, even in the same room', async () => {
    await m.place(m.mediator, m.plenary);
    expect(await join(m.mediator)).toMatchObject({ ok: true, data: { mayPublish: true } });
    const co = m.a2; // a party member who becomes an observer while in the plenary
    await m.place(co, m.plenary);
    expect(await join(co)).toMatchObject({ ok: true, data: { mayPublish: true } });
    m.client(co).clear();
    await app
      .http()
      .patch(`/api/sessions/${m.session.id}/participants/${co.participantId}/role`)
      .set(bearer(m.mediator))
      .send({ role: 'observer' })
      .expect(200);
    expect(await m.client(co).waitFor('media.cut')).toMatchObject({ roomId: m.plenary });
    expect(await inRoom(m.plenary)).not.toContain(co.participantId);
    expect(await join(co)).toMatchObject({ ok: true, data: { mayPublish: false } });
  });

  it('enters every media join, leave and forced teardown in the audit chain', async () => {
    expect(await m.client(m.observer).ask('media.leave', {})).toEqual({ ok: true, data: { left: true } });
    const audit = (await m.get(m.mediator, '/audit').expect(200)).body;
    expect(audit.verification.valid).toBe(true);
    const types = audit.entries.map((e: any) => e.type);
    expect(types.filter((t: string) => t === 'media.joined').length).toBeGreaterThanOrEqual(7);
    expect(types.filter((t: string) => t === 'media.torn_down')).toHaveLength(3);
    expect(types).toContain('media.left');
  });

  it('a move landing while the seat is made: the seat goes with the move, and the join answers the room moved to', async () => {
    // b2 joins in their caucus; the mediator's move to the plenary commits after the join read the
    // caucus and before the seat is known, so the move's cut finds no seat to cut.
    const admit = port.admit.bind(port);
    const interleaved = jest.spyOn(port, 'admit').mockImplementationOnce(async (roomId, participantId, mayPublish) => {
      await admit(roomId, participantId, mayPublish);
      expect(roomId).toBe(m.caucusB);
      await m.place(m.b2, m.plenary);
    });
    const c = m.client(m.b2);
    c.clear();
    try {
      const answer = await join(m.b2);
      expect(interleaved).toHaveBeenCalled();
      expect(answer).toMatchObject({ ok: true, data: { roomId: m.plenary, mayPublish: true } });
      expect(await inRoom(m.caucusB)).not.toContain(m.b2.participantId);
      expect(await inRoom(m.plenary)).toContain(m.b2.participantId);
      expect(await c.waitFor('media.cut')).toEqual({ sessionId: m.session.id, roomId: m.caucusB, reason: 'moved' });
    } finally {
      interleaved.mockRestore();
    }
  });

  it('the database failing between the seat being made and its check: no seat stays, and the retry gets one', async () => {
    // b2 is in the plenary, seated there by the test before.
    const media = app.app.get(MediaSessions);
    const check = jest
      .spyOn(media as unknown as { rightsNow(...args: unknown[]): Promise<unknown> }, 'rightsNow')
      .mockRejectedValueOnce(new Error('test: Connection terminated unexpectedly'));
    try {
      expect(await join(m.b2)).toMatchObject({ ok: false });
      expect(check).toHaveBeenCalledTimes(1);
      expect(await inRoom(m.plenary)).not.toContain(m.b2.participantId);
    } finally {
      check.mockRestore();
    }
    expect(await join(m.b2)).toMatchObject({ ok: true, data: { roomId: m.plenary } });
    expect(await inRoom(m.plenary)).toContain(m.b2.participantId);
  });

  it("releases a joint room's Janus room when the joint room closes (asked of Janus itself)", async () => {
    const joint: string = (
      await m.post(m.mediator, '/rooms', { name: 'Heads', memberIds: [m.a1.participantId, m.b1.participantId] }).expect(201)
    ).body.id;
    await m.place(m.a1, joint);
    expect(await join(m.a1)).toMatchObject({ ok: true, data: { roomId: joint, mayPublish: true } });
    const { janusRoom } = janusView(port, joint)!;
    expect(await janusHas(janusRoom)).toBe(true);
    m.client(m.a1).clear();
    await app.http().delete(`/api/sessions/${m.session.id}/rooms/${joint}`).set(bearer(m.mediator)).expect(204);
    expect(await m.client(m.a1).waitFor('media.cut')).toMatchObject({ roomId: joint, reason: 'moved' });
    expect(await until(async () => !(await janusHas(janusRoom)), 3_000)).toBe(true);
    expect(janusView(port, joint)).toBeNull();
  });

  it('stops the Janus it started when the API dies, even by SIGKILL', async () => {
    const api = new ApiProcess(await freePort(), { JANUS_BINARY: janus!, DATA_DIR: 'memory://', JWT_SECRET: 'x'.repeat(40) });
    await api.start();
    try {
      const started = descendants(api.pid!).filter((pid) => commandOf(pid).startsWith(janus!));
      expect(started).toHaveLength(1);
      await api.kill();
      const deadline = Date.now() + 5000;
      while (alive(started[0]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(started[0])).toBe(false);
    } finally {
      await api.kill();
    }
  });
});

/**
 * A media room nobody holds a seat in is released in the SFU after MEDIA_ROOM_IDLE_SECONDS (1 s
 * here; 300 s by default), and kept when someone joins again before.
 */
describeWhen(__filename, lacks.janus())('media rooms left empty', () => {
  let app: TestApp;
  let m: Mediation;
  let port: MediaPort;

  beforeAll(async () => {
    app = await startApp({ JANUS_BINARY: janus!, MEDIA_ROOM_IDLE_SECONDS: '1' });
    m = await startMediation(app);
    port = app.app.get<MediaPort>(MEDIA_PORT);
  });
  afterAll(async () => {
    m?.close();
    await app?.close();
  });

  it('releases the Janus room after the idle time, keeps it for a join within it, and opens a new one on the next join', async () => {
    const c = m.client(m.a1);
    expect(await c.ask('media.join', {})).toMatchObject({ ok: true, data: { roomId: m.caucusA } });
    const { janusRoom } = janusView(port, m.caucusA)!;
    expect(await c.ask('media.leave', {})).toEqual({ ok: true, data: { left: true } });
    // Back within the idle time: the same room.
    expect(await c.ask('media.join', {})).toMatchObject({ ok: true });
    expect(janusView(port, m.caucusA)!.janusRoom).toBe(janusRoom);
    expect(await c.ask('media.leave', {})).toEqual({ ok: true, data: { left: true } });
    const left = Date.now();
    expect(await janusHas(janusRoom)).toBe(true);
    expect(await until(async () => !(await janusHas(janusRoom)), 5_000)).toBe(true);
    const releasedAfterMs = Date.now() - left;
    console.log(
      `media-signalling: an empty media room released ${releasedAfterMs} ms after its last seat left (MEDIA_ROOM_IDLE_SECONDS=1)`,
    );
    expect(releasedAfterMs).toBeGreaterThanOrEqual(900);
    expect(janusView(port, m.caucusA)).toBeNull();
    // The next join opens a new room, and it works.
    expect(await c.ask('media.join', {})).toMatchObject({ ok: true, data: { roomId: m.caucusA, mayPublish: true } });
    const again = janusView(port, m.caucusA)!.janusRoom;
    expect(again).not.toBe(janusRoom);
    expect(await janusHas(again)).toBe(true);
    expect((await port.stats(m.caucusA)).participants).toEqual([m.a1.participantId]);
  });
});

/** Parley's view of a media room in Janus (diagnostics), through the supervisor's live adapter. */
const janusView = (port: MediaPort, roomId: string) =>
  ((port as SfuSupervisor).current() as unknown as JanusMediaAdapter | null)?.janusView(roomId) ?? null;

/** Whether Janus itself has this VideoRoom room, asked over its own API by a client beside Parley's. */
async function janusHas(room: number): Promise<boolean> {
  const pid = janusProcess();
  const { janode, videoRoom } = await loadJanode();
  const c = await janode.connect({ address: { url: janusUrlOf(pid), apisecret: apiSecretOf(pid) }, retry_time_secs: 1, max_retries: 0 });
  try {
    const session = await c.create();
    const h: VideoRoomHandle = await session.attach(videoRoom);
    const { exists } = await h.exists({ room });
    await session.destroy();
    return exists;
  } finally {
    await c.close().catch(() => undefined);
  }
}

async function until(f: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await f()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one live Janus this test process started (through the app under test). */
function janusProcess(): number {
  const found = descendants(process.pid).filter((pid) => alive(pid) && commandOf(pid).startsWith(janus!));
  if (found.length !== 1) throw new Error(`expected one janus under this process, found ${found.length}`);
  return found[0];
}

/** The janus.jcfg a Janus runs with (`-C <file>`), and what it says. */
const configOf = (pid: number): string =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .find((a, i, all) => all[i - 1] === '-C')!;
const apiSecretOf = (pid: number): string => /api_secret = "([^"]+)"/.exec(readFileSync(configOf(pid), 'utf8'))![1];
const janusUrlOf = (pid: number): string =>
  `ws://127.0.0.1:${/ws_port = (\d+)/.exec(readFileSync(configOf(pid).replace('janus.jcfg', 'janus.transport.websockets.jcfg'), 'utf8'))![1]}`;

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(state); // a zombie has ended
  } catch {
    return false;
  }
}

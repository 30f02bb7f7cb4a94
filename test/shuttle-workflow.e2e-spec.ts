import { createHash, randomUUID } from 'node:crypto';
import type { RoomEvent, ShuttleMessageView } from '@parley/contracts';
import { ManualClock } from '@parley/platform';
import { SessionDirectory } from '@parley/sessions';
import { ShuttleStore } from '../libs/shuttle/src/application/shuttle-store';
import { CoolingOffScheduler } from '../libs/shuttle/src/application/cooling-off.scheduler';
import { useMediation, type Mediation } from './support/mediation';
import type { Person } from './support/people';
import { raceInside, readDuring, reRole } from './support/read-race';

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

describe('room chat', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });

  const say = (who: Person, roomId: string, text: string) =>
    m.client(who).ask<RoomEvent>('chat.post', { roomId, text, clientMessageId: randomUUID() });

  it('reaches the room and nobody outside it, stored with the next sequence number', async () => {
    const ack = await say(m.a1, m.caucusA, 'Our bottom line is the northern bank.');
    expect(ack).toEqual({ ok: true, data: expect.objectContaining({ roomId: m.caucusA, seq: 1, type: 'chat.message' }) });
    const seen = await m.client(m.a2).waitFor('room.event', (e: RoomEvent) => e.roomId === m.caucusA && e.seq === 1);
    expect(seen.payload).toMatchObject({
      text: 'Our bottom line is the northern bank.',
      authorName: 'Ana North',
      authorRole: 'party_member',
    });
    for (const p of [m.b1, m.b2, m.observer, m.mediator]) {
      await m.client(p).sync();
      expect(m.client(p).mentioning('northern bank')).toEqual([]);
    }
  });

  it('lets a mediator post into a room they are not in', async () => {
    const ack = await say(m.mediator, m.caucusB, 'I will be with you in ten minutes.');
    expect(ack.ok).toBe(true);
    const seen = await m.client(m.b2).waitFor('room.event', (e: RoomEvent) => e.roomId === m.caucusB && e.type === 'chat.message');
    expect(seen.payload).toMatchObject({ text: 'I will be with you in ten minutes.', authorRole: 'lead_mediator' });
  });

  it('refuses observers, and parties posting where they are not', async () => {
    const o = await say(m.observer, m.plenary, 'May I?');
    expect(!o.ok && o.error.code).toBe('OBSERVER_READ_ONLY');
    const away = await say(m.a1, m.plenary, 'Hello plenary');
    expect(!away.ok && away.error).toMatchObject({ code: 'NOT_IN_ROOM', field: 'roomId' });
    const other = await say(m.a1, m.caucusB, 'Hello South');
    expect(!other.ok && other.error.code).toBe('CAUCUS_FORBIDDEN');
  });

  it('stores a retried post once', async () => {
    const key = randomUUID();
    // Two copies racing, then a late one over HTTP.
    const [first, again] = await Promise.all([
      m.client(m.a2).ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Retry me', clientMessageId: key }),
      m.client(m.a2).ask<RoomEvent>('chat.post', { roomId: m.caucusA, text: 'Retry me', clientMessageId: key }),
    ]);
    const http = await m.post(m.a2, `/rooms/${m.caucusA}/messages`, { text: 'Retry me', clientMessageId: key }).expect(201);
    expect(first.ok && again.ok && first.data.seq === again.data.seq && http.body.seq === first.data.seq).toBe(true);
    const history = await m.get(m.a1, `/rooms/${m.caucusA}/events?limit=200`).expect(200);
    expect(history.body.events.filter((e: RoomEvent) => e.type === 'chat.message' && e.payload.text === 'Retry me')).toHaveLength(1);
    const seqs = history.body.events.map((e: RoomEvent) => e.seq).sort((a: number, b: number) => a - b);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1)); // no number skipped
  });

  it('never stores a post in a room its author was just moved out of', async () => {
    // The author keeps posting into caucus A while the mediator moves them to the plenary. The
    // audit chain orders both: no post of theirs into caucus A may follow the move.
    let moved = false;
    let afterMove = 0;
    const poster = (async () => {
      for (let n = 0; n < 150 && afterMove < 5; n++) {
        await m.client(m.a2).ask('chat.post', { roomId: m.caucusA, text: `racing ${n}`, clientMessageId: randomUUID() });
        if (moved) afterMove++;
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await m.post(m.mediator, `/participants/${m.a2.participantId}/move`, { roomId: m.plenary }).expect(200);
    moved = true;
    await poster;
    const refused = await m.client(m.a2).ask('chat.post', { roomId: m.caucusA, text: 'late', clientMessageId: randomUUID() });
    expect(!refused.ok && refused.error.code).toBe('NOT_IN_ROOM');
    const trail = (await m.get(m.mediator, '/audit').expect(200)).body.entries as Array<{ type: string; payload: any }>;
    const moveAt = trail.findIndex((e) => e.type === 'participant.moved' && e.payload.participantId === m.a2.participantId);
    expect(moveAt).toBeGreaterThan(0);
    const late = trail
      .slice(moveAt)
      .filter(
        (e) => e.type === 'chat.message.posted' && e.payload.authorParticipantId === m.a2.participantId && e.payload.roomId === m.caucusA,
      );
    expect(late).toEqual([]);
    await m.place(m.a2, m.caucusA);
  });

  it('pages history newest first, and catches up after a sequence', async () => {
    for (let i = 0; i < 5; i++) expect((await say(m.a1, m.caucusA, `line ${i}`)).ok).toBe(true);
    const newest = (await m.get(m.a2, `/rooms/${m.caucusA}/events?limit=3`).expect(200)).body;
    expect(newest.events.map((e: RoomEvent) => e.seq)).toEqual([newest.lastSeq, newest.lastSeq - 1, newest.lastSeq - 2]);
    expect(newest.more).toBe(true);
    const older = (await m.get(m.a2, `/rooms/${m.caucusA}/events?limit=3&beforeSeq=${newest.events[2].seq}`).expect(200)).body;
    expect(older.events[0].seq).toBe(newest.events[2].seq - 1);
    const after = await m.client(m.a2).ask('room.history', { roomId: m.caucusA, afterSeq: 1 });
    expect(after.ok && after.data.events.map((e: RoomEvent) => e.seq)).toEqual(Array.from({ length: newest.lastSeq - 1 }, (_, i) => i + 2));
  });

  it('shows history only to those who may be in the room', async () => {
    expect((await m.get(m.b1, `/rooms/${m.caucusA}/events`).expect(403)).body.code).toBe('CAUCUS_FORBIDDEN');
    expect((await m.get(m.observer, `/rooms/${m.caucusA}/events`).expect(403)).body.code).toBe('OBSERVER_PLENARY_ONLY');
    await m.get(m.mediator, `/rooms/${m.caucusA}/events`).expect(200);
    await m.get(m.observer, `/rooms/${m.plenary}/events`).expect(200);
  });

  it('a reader whose right to a room goes between the permission and the page is never served what the room said after', async () => {
    // a2's read of the caucus checks the right; then a2 becomes an observer (who may read the
    // plenary only) and a post in the caucus commits, before the page is read. On one snapshot
    // the page is the room as it stood while a2 had the right.
    const page = await readDuring(
      raceInside(
        ctx.app().app.get(SessionDirectory),
        'room',
        (_tx, _session, roomId) => roomId === m.caucusA,
        async () => {
          await reRole(ctx.app(), m, m.a2, 'observer');
          expect((await say(m.a1, m.caucusA, 'Said once a2 was an observer')).ok).toBe(true);
        },
      ),
      () => m.get(m.a2, `/rooms/${m.caucusA}/events?limit=200`),
    );
    expect(page.status).toBe(200);
    const texts = (body: { events: RoomEvent[] }) => body.events.map((e) => (e.payload as { text?: string }).text);
    expect(texts(page.body)).not.toContain('Said once a2 was an observer');
    // Asked again, the present answers.
    expect((await m.get(m.a2, `/rooms/${m.caucusA}/events`).expect(403)).body.code).toBe('OBSERVER_PLENARY_ONLY');
    expect(texts((await m.get(m.a1, `/rooms/${m.caucusA}/events?limit=200`).expect(200)).body)).toContain('Said once a2 was an observer');
  });
});

describe('shuttle messages', () => {
  const ctx = useMediation();
  let m: Mediation;
  beforeAll(() => {
    m = ctx.m();
  });

  async function send(
    text: string,
    label: 'conveyable' | 'mediator_only' = 'conveyable',
    from: Person = m.a1,
  ): Promise<ShuttleMessageView> {
    const ack = await m.client(from).ask<ShuttleMessageView>('shuttle.submit', {
      text,
      label,
      ...(label === 'conveyable' ? { conveyToPartyId: m.partyB } : {}),
      clientMessageId: randomUUID(),
    });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.data;
  }
  const decide = (id: string, body: object) => m.client(m.mediator).ask<ShuttleMessageView>('shuttle.decide', { messageId: id, ...body });
  const conveyedToB = (text: string) =>
    m.client(m.b2).waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.conveyed' && e.payload.text === text);

  it("puts a message in the mediator's queue and shows it to the sender's delegation", async () => {
    const msg = await send('North could accept a joint commission.');
    expect(msg).toMatchObject({ status: 'pending', label: 'conveyable', conveyToPartyId: m.partyB, authorName: 'Ana North' });
    await m.client(m.mediator).waitFor('shuttle.queue', (v: ShuttleMessageView) => v.id === msg.id && v.status === 'pending');
    await m
      .client(m.a2)
      .waitFor('room.event', (e: RoomEvent) => e.roomId === m.caucusA && e.type === 'shuttle.message' && e.payload.id === msg.id);
    const queue = await m.get(m.mediator, '/shuttle?status=pending').expect(200);
    expect(queue.body.map((v: ShuttleMessageView) => v.id)).toContain(msg.id);
  });

  it('conveys verbatim: the receiver sees the words attributed to the sending party', async () => {
    const msg = await send('We propose a ceasefire from Monday.');
    const ack = await decide(msg.id, { decision: 'convey', mode: 'verbatim' });
    expect(ack.ok && ack.data).toMatchObject({
      status: 'conveyed',
      conveyMode: 'verbatim',
      conveyedText: 'We propose a ceasefire from Monday.',
      diff: null,
    });
    const got = await conveyedToB('We propose a ceasefire from Monday.');
    expect(got.payload.attribution).toEqual({ kind: 'party', partyId: m.partyA, partyName: 'North' });
    expect(JSON.stringify(got)).not.toContain(msg.id);
    const sender = await m
      .client(m.a2)
      .waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.message' && e.payload.id === msg.id && e.payload.status === 'conveyed');
    expect(sender.payload.conveyedText).toBe('We propose a ceasefire from Monday.');
  });

  it('conveys an edited wording: the receiver sees only it, the sender sees it with a word diff', async () => {
    const msg = await send('Your absurd demand for the harbour is rejected outright.');
    const ack = await decide(msg.id, {
      decision: 'convey',
      mode: 'edited',
      text: 'Your demand for the harbour cannot be accepted as it stands.',
    });
    expect(ack.ok).toBe(true);
    const got = await conveyedToB('Your demand for the harbour cannot be accepted as it stands.');
    expect(JSON.stringify(got)).not.toMatch(/absurd|outright/);
    const sender = await m
      .client(m.a1)
      .waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.message' && e.payload.id === msg.id && e.payload.status === 'conveyed');
    expect(sender.payload.conveyMode).toBe('edited');
    expect(sender.payload.diff).toEqual(expect.arrayContaining([{ op: 'delete', text: expect.stringContaining('absurd') }]));
    expect(
      sender.payload.diff
        .filter((d: any) => d.op !== 'delete')
        .map((d: any) => d.text)
        .join(''),
    ).toBe(sender.payload.conveyedText);
  });

  it("conveys as the mediator's own suggestion, unattributed", async () => {
    const msg = await send('North would trade the quarry for the port.');
    await decide(msg.id, { decision: 'convey', mode: 'as_mediator', text: 'Could the quarry and the port be considered together?' });
    const got = await conveyedToB('Could the quarry and the port be considered together?');
    expect(got.payload.attribution).toEqual({ kind: 'mediator' });
    expect(JSON.stringify(got)).not.toMatch(/North|Ana/);
  });

  it('holds, then declines with a reason the sender sees; the other party sees nothing', async () => {
    const msg = await send('Tell them we walk out tomorrow.');
    expect((await decide(msg.id, { decision: 'hold' })).ok).toBe(true);
    await m
      .client(m.a2)
      .waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.message' && e.payload.id === msg.id && e.payload.status === 'held');
    const declined = await decide(msg.id, { decision: 'decline', reason: 'Not helpful at this stage; let us discuss in caucus.' });
    expect(declined.ok && declined.data).toMatchObject({
      status: 'declined',
      declineReason: 'Not helpful at this stage; let us discuss in caucus.',
    });
    await m
      .client(m.a2)
      .waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.message' && e.payload.id === msg.id && e.payload.status === 'declined');
    const again = await decide(msg.id, { decision: 'convey', mode: 'verbatim' });
    expect(!again.ok && again.error.code).toBe('SHUTTLE_ALREADY_DECIDED');
    await m.client(m.b1).sync();
    expect(m.client(m.b1).mentioning('walk out')).toEqual([]);
  });

  it('never conveys a message for the mediator only', async () => {
    const msg = await send('Between us: our principal is ill.', 'mediator_only');
    expect(msg.conveyToPartyId).toBeNull();
    const ack = await decide(msg.id, { decision: 'convey', mode: 'as_mediator', text: 'Is anyone unwell?' });
    expect(!ack.ok && ack.error.code).toBe('SHUTTLE_NOT_CONVEYABLE');
    await m.client(m.b1).sync();
    expect(m.client(m.b1).events.filter((e) => e.event === 'room.event' && e.payload.payload?.text === 'Is anyone unwell?')).toEqual([]);
  });

  it('validates submissions and decisions', async () => {
    const own = await m
      .client(m.a1)
      .ask('shuttle.submit', { text: 'x', label: 'conveyable', conveyToPartyId: m.partyA, clientMessageId: randomUUID() });
    expect(!own.ok && own.error).toMatchObject({ code: 'SHUTTLE_TARGET_INVALID', field: 'conveyToPartyId' });
    const none = await m.client(m.a1).ask('shuttle.submit', { text: 'x', label: 'conveyable', clientMessageId: randomUUID() });
    expect(!none.ok && none.error.field).toBe('conveyToPartyId');
    const empty = await m.client(m.a1).ask('shuttle.submit', { text: '   ', label: 'mediator_only', clientMessageId: randomUUID() });
    expect(!empty.ok && empty.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'text' });
    const big = await m
      .client(m.a1)
      .ask('shuttle.submit', { text: 'y'.repeat(4001), label: 'mediator_only', clientMessageId: randomUUID() });
    expect(!big.ok && big.error.field).toBe('text');
    const mediatorSends = await m
      .client(m.mediator)
      .ask('shuttle.submit', { text: 'x', label: 'mediator_only', clientMessageId: randomUUID() });
    expect(!mediatorSends.ok && mediatorSends.error.code).toBe('SHUTTLE_PARTY_ONLY');
    const msg = await send('Pending for validation.');
    const noMode = await decide(msg.id, { decision: 'convey' });
    expect(!noMode.ok && noMode.error.field).toBe('mode');
    const noReason = await decide(msg.id, { decision: 'decline' });
    expect(!noReason.ok && noReason.error.field).toBe('reason');
    const partyDecides = await m.client(m.a2).ask('shuttle.decide', { messageId: msg.id, decision: 'hold' });
    expect(!partyDecides.ok && partyDecides.error.code).toBe('MEDIATOR_ONLY');
    const otherParty = await m.client(m.b1).ask('shuttle.decide', { messageId: msg.id, decision: 'hold' });
    expect(!otherParty.ok && otherParty.error.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('stores a retried submission once', async () => {
    const key = randomUUID();
    const body = { text: 'Once only, please.', label: 'mediator_only', clientMessageId: key };
    const [x, y] = await Promise.all([
      m.client(m.a1).ask<ShuttleMessageView>('shuttle.submit', body),
      m.client(m.a1).ask<ShuttleMessageView>('shuttle.submit', body),
    ]);
    const z = await m.post(m.a1, '/shuttle', body).expect(201);
    expect(x.ok && y.ok && x.data.id === y.data.id && z.body.id === x.data.id).toBe(true);
    const mine = (await m.get(m.a1, '/shuttle').expect(200)).body as ShuttleMessageView[];
    expect(mine.filter((v) => v.clientMessageId === key)).toHaveLength(1);
  });

  it('a member re-roled between the permission and the list is never shown what the delegation wrote after', async () => {
    // a2 lists the delegation's messages; after the permission was read, a2 becomes an observer
    // (who sees no shuttle message) and a1 submits one, before the list is read.
    const listed = await readDuring(
      raceInside(
        ctx.app().app.get(ShuttleStore),
        'list',
        (_tx, q) => q.partyId === m.partyA,
        async () => {
          await reRole(ctx.app(), m, m.a2, 'observer');
          await send('Written once a2 was an observer');
        },
      ),
      () => m.get(m.a2, '/shuttle'),
    );
    expect(listed.status).toBe(200);
    expect(listed.body.map((v: ShuttleMessageView) => v.text)).not.toContain('Written once a2 was an observer');
    expect((await m.get(m.a2, '/shuttle').expect(403)).body.code).toBe('SHUTTLE_PARTY_ONLY');
    expect((await m.get(m.a1, '/shuttle').expect(200)).body.map((v: ShuttleMessageView) => v.text)).toContain(
      'Written once a2 was an observer',
    );
  });

  it('records each step in the audit chain with the hash of the exact text delivered', async () => {
    const trail = (await m.get(m.mediator, '/audit').expect(200)).body;
    expect(trail.verification.valid).toBe(true);
    const conveyed = trail.entries.filter((e: any) => e.type === 'shuttle.message.conveyed');
    expect(conveyed.map((e: any) => e.payload.textSha256)).toEqual([
      sha256('We propose a ceasefire from Monday.'),
      sha256('Your demand for the harbour cannot be accepted as it stands.'),
      sha256('Could the quarry and the port be considered together?'),
    ]);
    expect(conveyed.map((e: any) => e.payload.attribution)).toEqual([m.partyA, m.partyA, 'mediator']);
    const declined = trail.entries.find((e: any) => e.type === 'shuttle.message.declined');
    expect(declined.payload.reasonSha256).toBe(sha256('Not helpful at this stage; let us discuss in caucus.'));
    expect(
      trail.entries.some(
        (e: any) => e.type === 'shuttle.message.submitted' && e.payload.textSha256 === sha256('Between us: our principal is ill.'),
      ),
    ).toBe(true);
    expect(JSON.stringify(trail)).not.toContain('principal is ill');
  });
});

describe('cooling-off', () => {
  // The server's clock moves only when a test advances it: the period is passed, not waited for.
  const clock = new ManualClock();
  const ctx = useMediation({}, { clock });
  const PERIOD_S = 120;
  let m: Mediation;
  let scheduler: CoolingOffScheduler;
  beforeAll(async () => {
    m = ctx.m();
    scheduler = ctx.app().app.get(CoolingOffScheduler);
    await ctx
      .app()
      .http()
      .patch(`/api/sessions/${m.session.id}`)
      .set({ Authorization: `Bearer ${m.mediator.token}` })
      .send({ coolingOffSeconds: PERIOD_S })
      .expect(200);
  });

  const submit = async (text: string) => {
    const submittedAt = clock.now();
    const ack = await m
      .client(m.a1)
      .ask<ShuttleMessageView>('shuttle.submit', { text, label: 'mediator_only', clientMessageId: randomUUID() });
    if (!ack.ok) throw new Error(`submit refused: ${ack.error.code}`);
    expect(ack.data).toMatchObject({ status: 'cooling', releaseAt: new Date(submittedAt + PERIOD_S * 1000).toISOString() });
    return { id: ack.data.id, releaseAt: Date.parse(ack.data.releaseAt) };
  };
  const queue = async () => ((await m.get(m.mediator, '/shuttle').expect(200)).body as ShuttleMessageView[]).map((v) => v.id);

  it('holds a message back from the mediator for the whole period, withdrawable, then releases it to the queue', async () => {
    const { id, releaseAt } = await submit('Cooling message');
    await m.client(m.a2).waitFor('shuttle.cooling', (v: ShuttleMessageView) => v.id === id);
    expect(await queue()).not.toContain(id);
    const tooEarly = await m.client(m.mediator).ask('shuttle.decide', { messageId: id, decision: 'hold' });
    expect(!tooEarly.ok && tooEarly.error.code).toBe('MESSAGE_NOT_FOUND');
    const notAuthor = await m.client(m.a2).ask('shuttle.withdraw', { messageId: id });
    expect(!notAuthor.ok && notAuthor.error.code).toBe('SHUTTLE_NOT_AUTHOR');

    // The last millisecond of the period: a due-check releases nothing.
    clock.advance(releaseAt - 1 - clock.now());
    await scheduler.releaseDue();
    expect(await queue()).not.toContain(id);

    // The period ends: the scheduler's own wake-up releases it.
    clock.advance(1);
    const queued = await m.client(m.mediator).waitFor('shuttle.queue', (v: ShuttleMessageView) => v.id === id);
    expect(queued.status).toBe('pending');
    expect(await queue()).toContain(id);
    await m
      .client(m.a2)
      .waitFor('room.event', (e: RoomEvent) => e.type === 'shuttle.message' && e.payload.id === id && e.payload.status === 'pending');
    const late = await m.client(m.a1).ask('shuttle.withdraw', { messageId: id });
    expect(!late.ok && late.error.code).toBe('SHUTTLE_NOT_COOLING');
  });

  it('lets the sender withdraw during the delay: the mediator never sees it, also once the period is over', async () => {
    const { id, releaseAt } = await submit('Second thoughts');
    const w = await m.client(m.a1).ask<ShuttleMessageView>('shuttle.withdraw', { messageId: id });
    expect(w.ok && w.data.status).toBe('withdrawn');
    clock.advance(releaseAt + 1_000 - clock.now());
    await scheduler.releaseDue();
    await m.client(m.mediator).sync();
    expect(m.client(m.mediator).mentioning(id)).toEqual([]);
    expect(m.client(m.mediator).mentioning('Second thoughts')).toEqual([]);
    const mine = (await m.get(m.a2, '/shuttle').expect(200)).body as ShuttleMessageView[];
    expect(mine.find((v) => v.id === id)?.status).toBe('withdrawn');
  });
});

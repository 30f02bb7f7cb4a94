import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { JoinedSession, PresenceOverview, RoomView, SessionView, StatusChanged } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * Breaks keep seats: five people seated in four rooms (two North members in North's caucus, a
 * South member in South's caucus, an observer in the plenary, a South member in a joint room),
 * the lead mediator in the mediator room. A suspension sends them to the lobby with the break's
 * reason and length; resumption gives every seat back, over real Socket.IO clients.
 */
describe('breaks keep seats', () => {
  let app: TestApp;
  let lead: Person, n1: Person, n2: Person, s1: Person, obs: Person, s2: Person;
  let seated: Person[];
  let session: SessionView;
  let joint: RoomView;
  /** Each person's seat before the first break. */
  const seatOf = new Map<string, string>();
  const sockets = new Map<string, TestClient>();
  const extra: TestClient[] = [];
  const sock = (p: Person) => sockets.get(p.participantId!)!;
  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const presence = async () =>
    (await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(lead)).expect(200)).body as PresenceOverview;
  const sessionAs = async (p: Person) =>
    (await app.http().get(`/api/sessions/${session.id}`).set(bearer(p)).expect(200)).body as SessionView;
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body;
  const whereIs = (o: PresenceOverview, participantId: string) =>
    o.lobby.some((x) => x.participantId === participantId)
      ? null
      : o.rooms.find((r) => r.occupants.some((x) => x.participantId === participantId))?.room.id;
  /** A reload: a new socket joins and takes the old one's place. */
  const rejoin = async (p: Person): Promise<JoinedSession> => {
    const c = await TestClient.connect(app.url, p.token);
    extra.push(c);
    const joined = await c.join(session.id);
    sockets.get(p.participantId!)?.close();
    sockets.set(p.participantId!, c);
    return joined;
  };
  const seatEveryone = async () => {
    for (const p of seated)
      await post(lead, `/participants/${p.participantId}/admit`, { roomId: seatOf.get(p.participantId!) }).expect(200);
  };
  const allSockets = () => [...sockets.values()];

  beforeAll(async () => {
    app = await startApp();
    lead = await register(app, 'Lead');
    session = await createSession(app, lead, ['North', 'South']);
    const [north, south] = session.parties;
    n1 = await inviteNew(app, lead, session.id, 'North One', { role: 'party_member', partyId: north.id, isHead: true });
    n2 = await inviteNew(app, lead, session.id, 'North Two', { role: 'party_member', partyId: north.id });
    s1 = await inviteNew(app, lead, session.id, 'South One', { role: 'party_member', partyId: south.id });
    s2 = await inviteNew(app, lead, session.id, 'South Two', { role: 'party_member', partyId: south.id });
    obs = await inviteNew(app, lead, session.id, 'Observer', { role: 'observer' });
    seated = [n1, n2, s1, obs, s2];
    joint = (await post(lead, '/rooms', { name: 'Drafting', memberIds: [s2.participantId] }).expect(201)).body;
    seatOf.set(n1.participantId!, north.caucusRoomId!);
    seatOf.set(n2.participantId!, north.caucusRoomId!);
    seatOf.set(s1.participantId!, south.caucusRoomId!);
    seatOf.set(obs.participantId!, roomOf(session, 'plenary').id);
    seatOf.set(s2.participantId!, joint.id);
    for (const p of [lead, ...seated]) {
      const c = await TestClient.connect(app.url, p.token);
      await c.join(session.id);
      sockets.set(p.participantId!, c);
    }
    await post(lead, '/status', { status: 'open' }).expect(200);
    await post(lead, `/participants/${lead.participantId}/admit`, { roomId: roomOf(session, 'mediator').id }).expect(200);
    await seatEveryone();
    const o = await presence();
    for (const p of seated) expect(whereIs(o, p.participantId!)).toBe(seatOf.get(p.participantId!));
  });

  afterAll(async () => {
    [...allSockets(), ...extra].forEach((c) => c.close());
    await app?.close();
  });

  describe('a break with a reason and a length', () => {
    let statusEvents: StatusChanged[];
    let suspendAck: StatusChanged;
    let duringBreak: { view: SessionView; joined: JoinedSession; newcomerJoined: JoinedSession; overview: PresenceOverview };
    let newcomer: Person;

    beforeAll(async () => {
      allSockets().forEach((c) => c.clear());
      // Over the socket this time: the same use case as HTTP.
      const ack = await sock(lead).ask<StatusChanged>('session.change-status', {
        status: 'suspended',
        reason: '  Lunch, back at two  ',
        minutes: 45,
      });
      if (!ack.ok) throw new Error(`suspend failed: ${ack.error.code}`);
      suspendAck = ack.data;
      statusEvents = await Promise.all(allSockets().map((c) => c.waitFor('session.status', (e) => e.status === 'suspended')));
      await Promise.all(seated.map((p) => sock(p).waitFor('participant.location', (e) => e.reason === 'session_suspended')));
      newcomer = await inviteNew(app, lead, session.id, 'Late Observer', { role: 'observer' });
      duringBreak = {
        view: await sessionAs(n1),
        joined: await rejoin(n1),
        newcomerJoined: await rejoin(newcomer),
        overview: await presence(),
      };
    });

    it('tells every socket why and until when', () => {
      const { startedAt, endsAt } = suspendAck.break!;
      expect(suspendAck.break).toEqual({ reason: 'Lunch, back at two', startedAt: expect.any(String), endsAt: expect.any(String) });
      expect(Date.parse(endsAt!) - Date.parse(startedAt)).toBe(45 * 60_000);
      expect(Math.abs(Date.parse(startedAt) - Date.now())).toBeLessThan(60_000);
      expect(statusEvents).toHaveLength(1 + seated.length);
      for (const e of statusEvents) expect(e).toEqual({ sessionId: session.id, status: 'suspended', break: suspendAck.break });
    });

    it('sends everyone but the mediator to the lobby', () => {
      expect(duringBreak.overview.lobby.map((o) => o.participantId)).toEqual(expect.arrayContaining(seated.map((p) => p.participantId)));
      expect(whereIs(duringBreak.overview, lead.participantId!)).toBe(roomOf(session, 'mediator').id);
    });

    it('shows the break to a socket that joins during it, and in the session view', () => {
      expect(duringBreak.joined).toMatchObject({ status: 'suspended', room: null, break: suspendAck.break });
      expect(duringBreak.newcomerJoined).toMatchObject({ status: 'suspended', room: null, break: suspendAck.break });
      expect(duringBreak.view).toMatchObject({ status: 'suspended', break: suspendAck.break });
    });

    describe('then resumption', () => {
      let resumed: StatusChanged[];
      let locations: Array<{ p: Person; event: any }>;
      let rejoined: Map<string, JoinedSession>;
      let overview: PresenceOverview;
      let roomPresence: Map<string, string[]>;
      let chatReached: Person[];
      let trail: any;

      beforeAll(async () => {
        allSockets().forEach((c) => c.clear());
        await post(lead, '/status', { status: 'open' }).expect(200);
        resumed = await Promise.all(allSockets().map((c) => c.waitFor('session.status', (e) => e.status === 'open')));
        locations = await Promise.all(
          seated.map(async (p) => ({ p, event: await sock(p).waitFor('participant.location', (e) => e.reason === 'session_resumed') })),
        );
        // The room presence each room's occupants received last.
        roomPresence = new Map();
        for (const p of seated) {
          const roomId = seatOf.get(p.participantId!)!;
          const last = await sock(p).waitFor(
            'room.presence',
            (e) => e.roomId === roomId && e.occupants.some((o: any) => o.participantId === p.participantId),
          );
          roomPresence.set(
            p.participantId!,
            last.occupants.map((o: any) => o.participantId),
          );
        }
        // The sockets follow the seat: a message posted in each room reaches its occupants.
        for (const roomId of new Set(seatOf.values())) {
          const ack = await sock(lead).ask('chat.post', { roomId, text: `back in ${roomId}`, clientMessageId: randomUUID() });
          expect(ack.ok).toBe(true);
        }
        chatReached = [];
        for (const p of seated) {
          const roomId = seatOf.get(p.participantId!)!;
          await sock(p)
            .waitFor('room.event', (e) => e.roomId === roomId && e.payload?.text === `back in ${roomId}`)
            .then(
              () => chatReached.push(p),
              () => undefined,
            );
        }
        rejoined = new Map();
        for (const p of [...seated, newcomer]) rejoined.set(p.participantId!, await rejoin(p));
        overview = await presence();
        trail = await audit();
      });

      it('ends the break for everyone', () => {
        expect(resumed).toHaveLength(2 + seated.length); // with the newcomer
        for (const e of resumed) expect(e).toEqual({ sessionId: session.id, status: 'open', break: null });
      });

      it('tells each person they are back in their room', () => {
        for (const { p, event } of locations) {
          expect(event).toMatchObject({
            sessionId: session.id,
            participantId: p.participantId,
            reason: 'session_resumed',
            room: { id: seatOf.get(p.participantId!) },
          });
        }
      });

      it('puts everyone back where they were: a rejoining socket, presence, and the live room channels say so', () => {
        for (const p of seated) {
          expect(rejoined.get(p.participantId!)).toMatchObject({ status: 'open', break: null, room: { id: seatOf.get(p.participantId!) } });
          expect(whereIs(overview, p.participantId!)).toBe(seatOf.get(p.participantId!));
          expect(roomPresence.get(p.participantId!)).toContain(p.participantId);
        }
        expect(roomPresence.get(n1.participantId!)).toEqual(expect.arrayContaining([n1.participantId, n2.participantId]));
        expect(chatReached.map((p) => p.name).sort()).toEqual(seated.map((p) => p.name).sort());
      });

      it('leaves someone who arrived during the break in the lobby', () => {
        expect(rejoined.get(newcomer.participantId!)).toMatchObject({ room: null });
        expect(overview.lobby.map((o) => o.participantId)).toEqual([newcomer.participantId]);
      });

      it('audits the break and each seat given back, in a chain that verifies', () => {
        expect(trail.verification).toEqual({ valid: true, length: trail.entries.length });
        const changes = trail.entries.filter((e: any) => e.type === 'session.status_changed');
        expect(changes.at(-2).payload).toEqual({
          from: 'open',
          to: 'suspended',
          reason: 'Lunch, back at two',
          endsAt: suspendAck.break!.endsAt,
        });
        expect(changes.at(-1).payload).toEqual({ from: 'suspended', to: 'open', restoreSeats: true, keptInLobby: [] });
        const readmitted = trail.entries.filter((e: any) => e.type === 'participant.admitted' && e.payload.reason === 'session_resumed');
        expect(readmitted.map((e: any) => e.payload).sort((a: any, b: any) => a.participantId.localeCompare(b.participantId))).toEqual(
          seated
            .map((p) => ({
              participantId: p.participantId,
              fromRoomId: null,
              toRoomId: seatOf.get(p.participantId!),
              reason: 'session_resumed',
            }))
            .sort((a, b) => a.participantId!.localeCompare(b.participantId!)),
        );
        expect(readmitted.every((e: any) => e.actorParticipantId === lead.participantId)).toBe(true);
      });
    });
  });

  it('resuming with restoreSeats false leaves everyone in the lobby', async () => {
    await post(lead, '/status', { status: 'suspended' }).expect(200);
    expect((await sessionAs(obs)).break).toEqual({ reason: null, startedAt: expect.any(String), endsAt: null });
    allSockets().forEach((c) => c.clear());
    const ack = await sock(lead).ask<StatusChanged>('session.change-status', { status: 'open', restoreSeats: false });
    expect(ack).toEqual({ ok: true, data: { sessionId: session.id, status: 'open', break: null } });
    await Promise.all(allSockets().map((c) => c.waitFor('session.status', (e) => e.status === 'open')));
    await Promise.all(seated.map((p) => sock(p).sync()));
    for (const p of seated) expect(sock(p).events.filter((e) => e.event === 'participant.location')).toEqual([]);
    const o = await presence();
    for (const p of seated) expect(whereIs(o, p.participantId!)).toBeNull();
    const last = (await audit()).entries.filter((e: any) => e.type === 'session.status_changed').at(-1);
    expect(last.payload).toMatchObject({ to: 'open', restoreSeats: false });
    expect(last.payload.keptInLobby.map((k: any) => k.reason)).toEqual(seated.map(() => 'not_restoring'));
  });

  it('a joint room closed during the break sends its member to the lobby; the others get their seats', async () => {
    await seatEveryone();
    await post(lead, '/status', { status: 'suspended', reason: 'Caucus time' }).expect(200);
    await app.http().delete(`/api/sessions/${session.id}/rooms/${joint.id}`).set(bearer(lead)).expect(204);
    allSockets().forEach((c) => c.clear());
    await post(lead, '/status', { status: 'open' }).expect(200);
    const others = seated.filter((p) => p !== s2);
    await Promise.all(others.map((p) => sock(p).waitFor('participant.location', (e) => e.reason === 'session_resumed')));
    await sock(s2).waitFor('session.status', (e) => e.status === 'open');
    await sock(s2).sync();
    expect(sock(s2).events.filter((e) => e.event === 'participant.location')).toEqual([]);
    const o = await presence();
    expect(whereIs(o, s2.participantId!)).toBeNull();
    for (const p of others) expect(whereIs(o, p.participantId!)).toBe(seatOf.get(p.participantId!));
    expect((await rejoin(s2)).room).toBeNull();
    const { entries, verification } = await audit();
    expect(verification.valid).toBe(true);
    expect(entries.filter((e: any) => e.type === 'session.status_changed').at(-1).payload.keptInLobby).toEqual([
      { participantId: s2.participantId, reason: 'room_gone' },
    ]);
  });

  describe('bad input changes nothing', () => {
    const cases: Array<[string, object, string]> = [
      ['minutes 0', { status: 'suspended', minutes: 0 }, 'minutes'],
      ['minutes 481', { status: 'suspended', minutes: 481 }, 'minutes'],
      ['minutes "x"', { status: 'suspended', minutes: 'x' }, 'minutes'],
      ['minutes 2.5', { status: 'suspended', minutes: 2.5 }, 'minutes'],
      ['a reason of 201 characters', { status: 'suspended', reason: 'r'.repeat(201) }, 'reason'],
      ['a reason that is not text', { status: 'suspended', reason: 42 }, 'reason'],
      ['a reason on open', { status: 'open', reason: 'Back' }, 'reason'],
      ['a length on closed', { status: 'closed', minutes: 5 }, 'minutes'],
      ['restoreSeats on suspended', { status: 'suspended', restoreSeats: false }, 'restoreSeats'],
      ['restoreSeats that is not a boolean', { status: 'open', restoreSeats: 'no' }, 'restoreSeats'],
    ];
    let before: { status: string; auditLength: number };

    beforeAll(async () => {
      before = { status: (await sessionAs(lead)).status, auditLength: (await audit()).entries.length };
    });

    it.each(cases)('over HTTP: %s → 400 VALIDATION_FAILED naming the field', async (_name, body, field) => {
      const res = await post(lead, '/status', body).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
      expect((await sessionAs(lead)).status).toBe(before.status);
      expect((await audit()).entries).toHaveLength(before.auditLength);
    });

    it.each(cases)('over the socket: %s → VALIDATION_FAILED naming the field', async (_name, body, field) => {
      const ack = await sock(lead).ask('session.change-status', body);
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field } });
      expect((await sessionAs(lead)).status).toBe(before.status);
    });
  });

  it('closing during a break forgets the remembered seats and ends the break', async () => {
    await post(lead, '/status', { status: 'suspended', minutes: 10 }).expect(200);
    const db = app.app.get(DataSource);
    const remembered = async () =>
      Number((await db.query('SELECT count(*) AS n FROM break_seats WHERE session_id = $1', [session.id]))[0].n);
    expect(await remembered()).toBe(4);
    allSockets().forEach((c) => c.clear());
    const res = await post(lead, '/status', { status: 'closed' }).expect(200);
    expect(res.body).toEqual({ sessionId: session.id, status: 'closed', break: null });
    expect(await remembered()).toBe(0);
    expect((await sessionAs(lead)).break).toBeNull();
    const closed = (await sock(obs).waitFor('session.status', (e) => e.status === 'closed')) as StatusChanged;
    expect(closed.break).toBeNull();
  });
});

import type { PresenceOverview, SessionView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * The spine end to end: a mediator sets up talks between two delegations, everyone accepts their
 * invitation, waits in the lobby, is admitted and moved; presence follows live; a reconnect
 * restores role and room; the audit chain records it all.
 */
describe('a mediation from invitation to caucus', () => {
  let app: TestApp;
  let mediator: Person;
  let session: SessionView;
  let a1: Person, a2: Person, b1: Person, b2: Person, observer: Person;
  const clients: TestClient[] = [];
  const connect = async (p: Person) => {
    const c = await TestClient.connect(app.url, p.token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    app = await startApp();
    mediator = await register(app, 'Mediator Maria');
    session = await createSession(app, mediator, ['North', 'South']);
  });
  afterAll(async () => {
    await app.close();
    clients.forEach((c) => c.close());
  });

  const party = (name: string) => session.parties.find((p) => p.name === name)!;

  it('creates the session in draft with a plenary, a mediator room and a caucus per party', () => {
    expect(session.status).toBe('draft');
    expect(session.me.role).toBe('lead_mediator');
    expect(session.rooms.map((r) => r.kind).sort()).toEqual(['caucus', 'caucus', 'mediator', 'plenary']);
    expect(party('North').caucusRoomId).toBe(roomOf(session, 'caucus', party('North').id).id);
  });

  it('invites two members per party (one head each) and an observer, who accept', async () => {
    a1 = await inviteNew(app, mediator, session.id, 'Ana North', { role: 'party_member', partyId: party('North').id, isHead: true });
    a2 = await inviteNew(app, mediator, session.id, 'Ali North', { role: 'party_member', partyId: party('North').id });
    b1 = await inviteNew(app, mediator, session.id, 'Bea South', { role: 'party_member', partyId: party('South').id, isHead: true });
    b2 = await inviteNew(app, mediator, session.id, 'Bo South', { role: 'party_member', partyId: party('South').id });
    observer = await inviteNew(app, mediator, session.id, 'Olu Observer', { role: 'observer' });

    const res = await app.http().get(`/api/sessions/${session.id}/participants`).set(bearer(a1)).expect(200);
    expect(res.body.map((p: any) => [p.displayName, p.role, p.isHead])).toEqual([
      ['Mediator Maria', 'lead_mediator', false],
      ['Ana North', 'party_member', true],
      ['Ali North', 'party_member', false],
      ['Bea South', 'party_member', true],
      ['Bo South', 'party_member', false],
      ['Olu Observer', 'observer', false],
    ]);
  });

  it('shows each participant only the rooms they may enter', async () => {
    const asA = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(a1)).expect(200)).body as SessionView;
    expect(asA.rooms.map((r) => r.kind).sort()).toEqual(['caucus', 'plenary']);
    expect(asA.rooms.find((r) => r.kind === 'caucus')!.partyId).toBe(party('North').id);
    expect(asA.parties.find((p) => p.name === 'South')!.caucusRoomId).toBeNull();
    const asObserver = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(observer)).expect(200)).body as SessionView;
    expect(asObserver.rooms.map((r) => r.kind)).toEqual(['plenary']);
  });

  let m: TestClient, ca1: TestClient, ca2: TestClient, cb1: TestClient, cb2: TestClient, co: TestClient;

  it('puts everyone who joins in the lobby, and the mediator sees them arrive', async () => {
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    m = await connect(mediator);
    expect((await m.join(session.id)).room).toBeNull();
    [ca1, ca2, cb1, cb2, co] = await Promise.all([a1, a2, b1, b2, observer].map(connect));
    for (const [c, p] of [
      [ca1, a1],
      [ca2, a2],
      [cb1, b1],
      [cb2, b2],
      [co, observer],
    ] as const) {
      const joined = await c.join(session.id);
      expect(joined.room).toBeNull();
      expect(joined.participant.id).toBe(p.participantId);
    }
    const overview: PresenceOverview = await m.waitFor(
      'presence.overview',
      (o: PresenceOverview) => o.lobby.filter((x) => x.connected).length === 6,
    );
    expect(overview.rooms.every((r) => r.occupants.length === 0)).toBe(true);
  });

  it('never sends the overview to anyone but mediators', async () => {
    for (const c of [ca1, ca2, cb1, cb2, co]) {
      await c.sync();
      expect(c.events.filter((e) => e.event === 'presence.overview')).toEqual([]);
    }
  });

  it('admits everyone to the plenary; each is told, and the plenary sees who is there', async () => {
    const plenary = roomOf(session, 'plenary');
    for (const p of [mediator, a1, a2, b1, b2, observer]) {
      await app
        .http()
        .post(`/api/sessions/${session.id}/participants/${p.participantId}/admit`)
        .set(bearer(mediator))
        .send({ roomId: plenary.id })
        .expect(200);
    }
    for (const [c, p] of [
      [ca1, a1],
      [cb2, b2],
      [co, observer],
    ] as const) {
      const loc = await c.waitFor('participant.location', (e) => e.participantId === p.participantId && e.room?.id === plenary.id);
      expect(loc.reason).toBe('admitted');
    }
    const presence = await co.waitFor('room.presence', (e) => e.roomId === plenary.id && e.occupants.length === 6);
    expect(presence.occupants.every((o: any) => o.connected)).toBe(true);
  });

  it('moves each delegation to its caucus, and cuts the plenary for them at once', async () => {
    const caucusA = party('North').caucusRoomId!;
    const caucusB = roomOf(session, 'caucus', party('South').id).id;
    const plenary = roomOf(session, 'plenary').id;
    for (const p of [a1, a2]) {
      await app
        .http()
        .post(`/api/sessions/${session.id}/participants/${p.participantId}/move`)
        .set(bearer(mediator))
        .send({ roomId: caucusA })
        .expect(200);
    }
    // Over Socket.IO this time.
    for (const p of [b1, b2]) {
      const r = await m.ask('participant.move', { participantId: p.participantId, roomId: caucusB });
      expect(r.ok).toBe(true);
    }
    await ca1.waitFor('participant.location', (e) => e.room?.id === caucusA && e.reason === 'moved');
    await cb1.waitFor('participant.location', (e) => e.room?.id === caucusB);

    ca1.clear();
    cb1.clear();
    co.clear();
    // The mediator joins caucus A: North sees it, South and the observer see nothing of it.
    expect((await m.ask('participant.move', { participantId: mediator.participantId, roomId: caucusA })).ok).toBe(true);
    const inCaucus = await ca1.waitFor('room.presence', (e) => e.roomId === caucusA && e.occupants.length === 3);
    expect(inCaucus.occupants.map((o: any) => o.displayName).sort()).toEqual(['Ali North', 'Ana North', 'Mediator Maria']);
    await Promise.all([cb1.sync(), co.sync()]);
    expect(cb1.mentioning(caucusA)).toEqual([]);
    expect(co.mentioning(caucusA)).toEqual([]);
    // The plenary (the observer is alone there now) no longer reaches North.
    expect(co.events.some((e) => e.event === 'room.presence' && e.payload.roomId === plenary)).toBe(true);
    await ca1.sync();
    expect(ca1.mentioning(plenary)).toEqual([]);
  });

  it('gives a participant who reconnects (new socket, same token) their role and room back', async () => {
    const caucusA = party('North').caucusRoomId!;
    ca2.close();
    await m.waitFor('presence.overview', (o: PresenceOverview) =>
      o.rooms.some((r) => r.room.id === caucusA && r.occupants.some((x) => x.participantId === a2.participantId && !x.connected)),
    );
    const again = await connect(a2);
    const joined = await again.join(session.id);
    expect(joined.room?.id).toBe(caucusA);
    expect(joined.participant).toMatchObject({ role: 'party_member', partyId: party('North').id });
    await m.waitFor('presence.overview', (o: PresenceOverview) =>
      o.rooms.some((r) => r.room.id === caucusA && r.occupants.some((x) => x.participantId === a2.participantId && x.connected)),
    );
    // And the room's events reach the new socket.
    await app.http().post(`/api/sessions/${session.id}/participants/${a1.participantId}/lobby`).set(bearer(mediator)).expect(200);
    await again.waitFor('room.presence', (e) => e.roomId === caucusA && e.occupants.length === 2);
  });

  it('never locks a mediator out: reconnecting, they are where they were and can move themselves', async () => {
    const caucusA = party('North').caucusRoomId!;
    m.close();
    const m2 = await connect(mediator);
    expect((await m2.join(session.id)).room?.id).toBe(caucusA);
    const mediatorRoom = roomOf(session, 'mediator').id;
    expect((await m2.ask('participant.move', { participantId: mediator.participantId, roomId: mediatorRoom })).ok).toBe(true);
    const overview = (await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(mediator)).expect(200))
      .body as PresenceOverview;
    expect(overview.rooms.find((r) => r.room.id === mediatorRoom)!.occupants.map((o) => o.participantId)).toEqual([mediator.participantId]);
    expect(overview.lobby.map((o) => o.participantId)).toEqual([a1.participantId]);
  });

  it('records every change in a valid hash chain', async () => {
    const res = await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200);
    expect(res.body.verification).toEqual({ valid: true, length: res.body.entries.length });
    const types: string[] = res.body.entries.map((e: any) => e.type);
    expect(types.slice(0, 4)).toEqual(['session.created', 'room.created', 'room.created', 'participant.joined']);
    for (const t of [
      'party.added',
      'invitation.created',
      'invitation.accepted',
      'session.status_changed',
      'participant.admitted',
      'participant.moved',
      'participant.sent_to_lobby',
    ]) {
      expect(types).toContain(t);
    }
    expect(res.body.entries.map((e: any) => e.seq)).toEqual(types.map((_, i) => i + 1));
    // Party members may not read it.
    await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(a1)).expect(403);
  });
});

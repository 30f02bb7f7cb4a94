import type { SessionView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/** What each status allows, and what role changes and closing a joint room do to people's seats. */
describe('session lifecycle, roles and joint rooms', () => {
  let app: TestApp;
  let lead: Person, co: Person, a: Person, b: Person, obs: Person;
  let session: SessionView;
  let ca: TestClient, cco: TestClient, cb: TestClient;
  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const plenary = () => roomOf(session, 'plenary').id;
  const caucusA = () => session.parties[0].caucusRoomId!;

  beforeAll(async () => {
    app = await startApp();
    lead = await register(app, 'Lead');
    session = await createSession(app, lead, ['A', 'B']);
    co = await inviteNew(app, lead, session.id, 'Co', { role: 'co_mediator' });
    a = await inviteNew(app, lead, session.id, 'Member A', { role: 'party_member', partyId: session.parties[0].id });
    b = await inviteNew(app, lead, session.id, 'Member B', { role: 'party_member', partyId: session.parties[1].id });
    obs = await inviteNew(app, lead, session.id, 'Observer', { role: 'observer' });
    [ca, cco, cb] = await Promise.all([a, co, b].map((p) => TestClient.connect(app.url, p.token)));
  });
  afterAll(async () => {
    await app.close();
    [ca, cco, cb].forEach((c) => c.close());
  });

  it('in draft: people wait in the lobby, mediators may meet, parties may not be seated', async () => {
    expect((await ca.join(session.id)).status).toBe('draft');
    const res = await post(lead, `/participants/${a.participantId}/admit`, { roomId: plenary() }).expect(409);
    expect(res.body.code).toBe('SESSION_NOT_OPEN');
    await post(lead, `/participants/${co.participantId}/admit`, { roomId: roomOf(session, 'mediator').id }).expect(200);
  });

  it('open: parties are seated; everyone connected hears the status', async () => {
    await cco.join(session.id);
    await cb.join(session.id);
    await post(lead, '/status', { status: 'open' }).expect(200);
    await ca.waitFor('session.status', (e) => e.status === 'open');
    await cb.waitFor('session.status', (e) => e.status === 'open');
    await post(lead, `/participants/${a.participantId}/admit`, { roomId: caucusA() }).expect(200);
    await post(lead, `/participants/${b.participantId}/admit`, { roomId: plenary() }).expect(200);
  });

  it('suspended: every party returns to the lobby, mediators keep their room', async () => {
    ca.clear();
    await post(co, '/status', { status: 'suspended' }).expect(200);
    const loc = await ca.waitFor('participant.location', (e) => e.participantId === a.participantId);
    expect(loc).toMatchObject({ room: null, reason: 'session_suspended' });
    const overview = (await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(lead)).expect(200)).body;
    expect(overview.lobby.map((o: any) => o.participantId)).toEqual(expect.arrayContaining([a.participantId, b.participantId]));
    expect(overview.rooms.find((r: any) => r.room.kind === 'mediator').occupants.map((o: any) => o.participantId)).toEqual([
      co.participantId,
    ]);
    expect((await post(lead, `/participants/${a.participantId}/admit`, { roomId: caucusA() }).expect(409)).body.code).toBe(
      'SESSION_NOT_OPEN',
    );
    // Resuming gives the seats back (test/breaks.e2e-spec.ts has the whole story).
    ca.clear();
    await post(lead, '/status', { status: 'open' }).expect(200);
    expect(await ca.waitFor('participant.location')).toMatchObject({ room: { id: caucusA() }, reason: 'session_resumed' });
  });

  it('a role change takes effect at once: a co-mediator made observer leaves the mediator room and the overview', async () => {
    cco.clear();
    const res = await app
      .http()
      .patch(`/api/sessions/${session.id}/participants/${co.participantId}/role`)
      .set(bearer(lead))
      .send({ role: 'observer' })
      .expect(200);
    expect(res.body.role).toBe('observer');
    const loc = await cco.waitFor('participant.location');
    expect(loc).toMatchObject({ room: null, reason: 'role_changed' });
    // The overview no longer reaches them.
    cco.clear();
    await post(lead, `/participants/${b.participantId}/move`, { roomId: session.parties[1].caucusRoomId! }).expect(200);
    await cco.sync();
    expect(cco.events.filter((e) => e.event === 'presence.overview')).toEqual([]);
    expect((await app.http().get(`/api/sessions/${session.id}/presence`).set(bearer(co)).expect(403)).body.code).toBe('MEDIATOR_ONLY');
  });

  it('a member moved to the other party leaves their old caucus', async () => {
    // A is in caucus A again since the resumption.
    ca.clear();
    await app
      .http()
      .patch(`/api/sessions/${session.id}/participants/${a.participantId}/role`)
      .set(bearer(lead))
      .send({ role: 'party_member', partyId: session.parties[1].id })
      .expect(200);
    expect(await ca.waitFor('participant.location')).toMatchObject({ room: null, reason: 'role_changed' });
    const view = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(a)).expect(200)).body as SessionView;
    expect(view.rooms.find((r) => r.kind === 'caucus')!.partyId).toBe(session.parties[1].id);
  });

  it('only the lead mediator changes roles, and the lead role never changes hands', async () => {
    expect(
      (
        await app
          .http()
          .patch(`/api/sessions/${session.id}/participants/${b.participantId}/role`)
          .set(bearer(a))
          .send({ role: 'observer' })
          .expect(403)
      ).body.code,
    ).toBe('MEDIATOR_ONLY');
    expect(
      (
        await app
          .http()
          .patch(`/api/sessions/${session.id}/participants/${lead.participantId}/role`)
          .set(bearer(lead))
          .send({ role: 'co_mediator' })
          .expect(409)
      ).body.code,
    ).toBe('LEAD_MEDIATOR_IMMUTABLE');
  });

  it('closing a joint room returns its occupants to the lobby', async () => {
    const cl = await TestClient.connect(app.url, lead.token);
    await cl.join(session.id);
    const room = (await post(lead, '/rooms', { name: 'Heads', memberIds: [b.participantId] }).expect(201)).body;
    // The mediators' overview shows the new room at once, before anyone is moved in.
    await cl.waitFor('presence.overview', (o) => o.rooms.some((r: { room: { id: string } }) => r.room.id === room.id));
    cl.close();
    await post(lead, `/participants/${b.participantId}/move`, { roomId: room.id }).expect(200);
    cb.clear();
    await app.http().delete(`/api/sessions/${session.id}/rooms/${room.id}`).set(bearer(lead)).expect(204);
    expect(await cb.waitFor('participant.location')).toMatchObject({ room: null, reason: 'sent_to_lobby' });
    expect((await post(lead, `/participants/${b.participantId}/admit`, { roomId: room.id }).expect(409)).body.code).toBe('ROOM_CLOSED');
    const view = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(b)).expect(200)).body as SessionView;
    expect(view.rooms.some((r) => r.id === room.id)).toBe(false);
  });

  it('a party added later comes with its caucus', async () => {
    const party = (await post(lead, '/parties', { name: 'C' }).expect(201)).body;
    const view = (await app.http().get(`/api/sessions/${session.id}`).set(bearer(lead)).expect(200)).body as SessionView;
    expect(view.rooms.find((r) => r.id === party.caucusRoomId)).toMatchObject({ kind: 'caucus', partyId: party.id });
  });

  it('answers the socket names and the REST path of the previous release (deprecated until the next)', async () => {
    const cl = await TestClient.connect(app.url, lead.token);
    try {
      await cl.join(session.id);
      await post(lead, `/participants/${b.participantId}/admit`, { roomId: plenary() }).expect(200);
      const sent = await cl.ask('participant.sendToLobby', { participantId: b.participantId });
      expect(sent.ok && sent.data).toMatchObject({ participantId: b.participantId, room: null, reason: 'sent_to_lobby' });
      const paused = await cl.ask('session.changeStatus', { status: 'suspended' });
      expect(paused.ok && paused.data.status).toBe('suspended');
      const resumed = await cl.ask('session.change-status', { status: 'open' });
      expect(resumed.ok && resumed.data.status).toBe('open');
      const message = (
        await post(b, '/shuttle', { text: 'A word for the mediator.', label: 'mediator_only', clientMessageId: 'old-path' }).expect(201)
      ).body;
      expect((await post(lead, `/shuttle/${message.id}/decision`, { decision: 'hold' }).expect(200)).body.status).toBe('held');
    } finally {
      cl.close();
    }
  });

  it('closed: everyone returns to the lobby, nothing more can change, nobody can join', async () => {
    await post(lead, `/participants/${a.participantId}/admit`, { roomId: plenary() }).expect(200);
    ca.clear();
    await post(lead, '/status', { status: 'closed' }).expect(200);
    expect(await ca.waitFor('participant.location')).toMatchObject({ room: null, reason: 'session_closed' });
    await ca.waitFor('session.status', (e) => e.status === 'closed');
    expect((await post(lead, '/parties', { name: 'D' }).expect(409)).body.code).toBe('SESSION_CLOSED');
    expect((await post(lead, '/invitations', { role: 'observer' }).expect(409)).body.code).toBe('SESSION_CLOSED');
    expect((await post(lead, '/status', { status: 'open' }).expect(409)).body.code).toBe('STATUS_TRANSITION_INVALID');
    const late = await TestClient.connect(app.url, obs.token);
    const ack = await late.ask('session.join', { sessionId: session.id });
    late.close();
    expect(!ack.ok && ack.error.code).toBe('SESSION_CLOSED');
    // What happened stays readable.
    const trail = (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(lead)).expect(200)).body;
    expect(trail.verification.valid).toBe(true);
    expect(trail.entries.filter((e: any) => e.type === 'session.status_changed').map((e: any) => e.payload.to)).toEqual([
      'open',
      'suspended',
      'open',
      'suspended',
      'open',
      'closed',
    ]);
  });
});

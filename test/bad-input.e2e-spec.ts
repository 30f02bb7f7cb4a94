import type { SessionView } from '@parley/contracts';
import { startApp, TestClient, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';

/**
 * Bad input gets a clear error — status, stable code, the field — changes nothing, never names
 * another room's data, and the server keeps serving.
 */
describe('bad input', () => {
  let app: TestApp;
  let mediator: Person;
  let member: Person;
  let session: SessionView;
  let other: SessionView;
  let auditLength: number;
  const audit = async () => (await app.http().get(`/api/sessions/${session.id}/audit`).set(bearer(mediator)).expect(200)).body;

  beforeAll(async () => {
    app = await startApp({ BODY_LIMIT_BYTES: '4096' });
    mediator = await register(app, 'Mediator');
    session = await createSession(app, mediator, ['Alpha', 'Beta']);
    member = await inviteNew(app, mediator, session.id, 'Alpha Member', { role: 'party_member', partyId: session.parties[0].id });
    const otherMediator = await register(app, 'Other Mediator');
    other = await createSession(app, otherMediator, ['Gamma']);
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    auditLength = (await audit()).entries.length;
  });
  afterAll(async () => {
    // Nothing that was refused left a trace.
    const after = await audit();
    expect(after.entries.length).toBe(auditLength);
    expect(after.verification.valid).toBe(true);
    await app.close();
  });

  const send = (method: 'post' | 'patch', path: string) => app.http()[method](path).set(bearer(mediator));

  describe('over HTTP', () => {
    it('refuses malformed JSON', async () => {
      const res = await send('post', '/api/sessions').set('Content-Type', 'application/json').send('{"title": "x",').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    });

    it('refuses an oversized body', async () => {
      const res = await send('post', '/api/sessions')
        .send({ title: 'x', description: 'y'.repeat(10_000) })
        .expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it.each([
      ['a number for a string', { title: 42 }, 'title'],
      ['an empty title', { title: '' }, 'title'],
      ['a title too long', { title: 't'.repeat(201) }, 'title'],
      ['parties not a list', { title: 'T', parties: 'Alpha' }, 'parties'],
      ['a party name too long', { title: 'T', parties: ['p'.repeat(121)] }, 'parties'],
      ['an unknown property', { title: 'T', owner: 'me' }, 'owner'],
    ])('names the field: %s', async (_name, body, field) => {
      const res = await send('post', '/api/sessions').send(body).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
    });

    it('refuses two parties of one name', async () => {
      expect(
        (
          await send('post', '/api/sessions')
            .send({ title: 'T', parties: ['Same', 'same '] })
            .expect(409)
        ).body.code,
      ).toBe('PARTY_NAME_TAKEN');
      expect((await send('post', `/api/sessions/${session.id}/parties`).send({ name: 'ALPHA' }).expect(409)).body).toMatchObject({
        code: 'PARTY_NAME_TAKEN',
        field: 'name',
      });
    });

    it('answers an id that is not a UUID with 400 naming it', async () => {
      const res = await app.http().get('/api/sessions/not-a-uuid').set(bearer(mediator)).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'sessionId' });
      const p = await send('post', `/api/sessions/${session.id}/participants/42/move`)
        .send({ roomId: roomOf(session, 'plenary').id })
        .expect(400);
      expect(p.body.field).toBe('participantId');
    });

    it("answers an unknown session, and someone else's session, with the same 404", async () => {
      const unknown = await app.http().get('/api/sessions/00000000-0000-4000-8000-000000000000').set(bearer(mediator)).expect(404);
      const notMine = await app.http().get(`/api/sessions/${other.id}`).set(bearer(mediator)).expect(404);
      expect(unknown.body).toEqual(notMine.body);
      expect(JSON.stringify(notMine.body)).not.toContain('Gamma');
    });

    it('refuses a room of another session without naming it', async () => {
      const res = await send('post', `/api/sessions/${session.id}/participants/${member.participantId}/admit`)
        .send({ roomId: other.rooms[0].id })
        .expect(404);
      expect(res.body).toMatchObject({ code: 'ROOM_NOT_FOUND', field: 'roomId' });
      expect(JSON.stringify(res.body)).not.toContain(other.rooms[0].id);
    });

    it('refuses a participant of another session', async () => {
      const res = await send('post', `/api/sessions/${session.id}/participants/${other.me.id}/admit`)
        .send({ roomId: roomOf(session, 'plenary').id })
        .expect(404);
      expect(res.body.code).toBe('PARTICIPANT_NOT_FOUND');
    });

    it('refuses an unknown status and an impossible transition', async () => {
      expect((await send('post', `/api/sessions/${session.id}/status`).send({ status: 'paused' }).expect(400)).body.field).toBe('status');
      const res = await send('post', `/api/sessions/${session.id}/status`).send({ status: 'draft' }).expect(409);
      expect(res.body).toMatchObject({
        code: 'STATUS_TRANSITION_INVALID',
        details: { from: 'open', to: 'draft', allowed: ['suspended', 'closed'] },
      });
    });

    it('refuses a joint room naming an observer, a mediator or a stranger', async () => {
      const observer = await inviteNew(app, mediator, session.id, 'Watcher', { role: 'observer' });
      auditLength += 3; // the invitation above is a real change: created, accepted, joined
      for (const id of [observer.participantId, mediator.participantId]) {
        const res = await send('post', `/api/sessions/${session.id}/rooms`)
          .send({ name: 'J', memberIds: [id] })
          .expect(422);
        expect(res.body).toMatchObject({ code: 'JOINT_MEMBER_INVALID', field: 'memberIds' });
      }
      expect(
        (
          await send('post', `/api/sessions/${session.id}/rooms`)
            .send({ name: 'J', memberIds: ['nope'] })
            .expect(400)
        ).body.field,
      ).toBe('memberIds');
    });

    it('answers an unknown route with 404', async () => {
      expect((await app.http().get('/api/nowhere').expect(404)).body.code).toBe('ROUTE_NOT_FOUND');
    });
  });

  describe('over Socket.IO', () => {
    let socket: TestClient;
    beforeAll(async () => {
      socket = await TestClient.connect(app.url, mediator.token);
    });
    afterAll(() => socket.close());

    it('asks to join first', async () => {
      const ack = await socket.ask('participant.move', { participantId: member.participantId, roomId: roomOf(session, 'plenary').id });
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'SOCKET_NOT_JOINED' }) });
    });

    it.each([
      ['a string', 'hello'],
      ['a number', 7],
      ['an array', [1, 2]],
      ['null', null],
    ])('refuses %s as a payload', async (_name, payload) => {
      const ack = await socket.ask('session.join', payload);
      expect(ack.ok).toBe(false);
      expect(!ack.ok && ack.error.code).toBe('VALIDATION_FAILED');
    });

    it.each([
      ['session.join', {}, 'sessionId'],
      ['session.join', { sessionId: 12 }, 'sessionId'],
      ['session.join', { sessionId: 'x' }, 'sessionId'],
      ['session.join', { sessionId: '00000000-0000-4000-8000-000000000000', extra: true }, 'extra'],
    ])('names the field of a bad %s', async (event, payload, field) => {
      const ack = await socket.ask(event, payload);
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED', field }) });
    });

    it('answers an unknown session like a foreign one', async () => {
      const a = await socket.ask('session.join', { sessionId: '00000000-0000-4000-8000-000000000000' });
      const b = await socket.ask('session.join', { sessionId: other.id });
      expect(a).toEqual(b);
      expect(!a.ok && a.error.code).toBe('SESSION_NOT_FOUND');
    });

    it('validates joined events too', async () => {
      await socket.join(session.id);
      const ack = await socket.ask('participant.move', { participantId: member.participantId });
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'roomId' }) });
      const status = await socket.ask('session.change-status', { status: 'open', force: true });
      expect(!status.ok && status.error.field).toBe('force');
    });

    it('answers an unknown event', async () => {
      const ack = await socket.ask('room.hack', { roomId: 'x' });
      expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_EVENT' }) });
    });

    it('drops a client that sends an oversized frame, and keeps serving everyone else', async () => {
      const victim = await TestClient.connect(app.url, member.token);
      const disconnected = new Promise((resolve) => victim.socket.once('disconnect', resolve));
      victim.socket.emit('session.join', { sessionId: session.id, blob: 'z'.repeat(20_000) });
      await disconnected;
      await app.http().get('/api/health').expect(200);
      const ack = await socket.ask('presence.get', {});
      expect(ack).toEqual({ ok: true, data: expect.anything() });
    });
  });
});

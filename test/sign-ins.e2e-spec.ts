import { randomUUID } from 'node:crypto';
import type { SignInView, TokenPair } from '@parley/contracts';
import { connectRejected, TestClient } from './support/harness';
import { useMediation } from './support/mediation';
import { bearer, register, type Person } from './support/people';

/**
 * Sign-ins end, and their sockets with them: signing out, ending a sign-in from the list and
 * deleting the account each close the sockets concerned (told `auth.ended` first) and no other,
 * and the tokens of what ended stop working at once, over HTTP and at a handshake.
 */
describe('sign-ins end, and so do their sockets', () => {
  const { app, m } = useMediation();

  const login = async (who: Person): Promise<TokenPair> =>
    (await app().http().post('/api/auth/login').send({ email: who.email, password: who.password }).expect(200)).body as TokenPair;
  /** A device of `who`: a sign-in of its own and a socket joined to the session. */
  const device = async (who: Person) => {
    const pair = await login(who);
    const client = await TestClient.connect(app().url, pair.accessToken);
    return { pair, client };
  };
  const closed = (c: TestClient) =>
    c.socket.disconnected ? Promise.resolve('already') : new Promise<string>((r) => c.socket.once('disconnect', (reason) => r(reason)));
  const me = (token: string) => app().http().get('/api/auth/me').set(bearer({ token }));
  const signIns = async (token: string) =>
    (await app().http().get('/api/auth/sign-ins').set(bearer({ token })).expect(200)).body as SignInView[];

  it('sign-out closes the sockets of that sign-in, not those of another device, and ends its tokens at once', async () => {
    const { a2 } = m();
    const phone = await device(a2);
    const laptop = await device(a2);
    try {
      expect((await phone.client.join(m().session.id)).room.id).toBe(m().caucusA);
      const phoneClosed = closed(phone.client);
      await app()
        .http()
        .post('/api/auth/sign-out')
        .set(bearer({ token: phone.pair.accessToken }))
        .expect(204);
      expect(await phone.client.waitFor('auth.ended')).toEqual({
        code: 'SIGN_IN_REVOKED',
        reason: 'sign_in_ended',
        message: expect.any(String),
      });
      expect(await phoneClosed).toBe('io server disconnect');

      // Its access token is refused from now on, not at its expiry; its refresh token renews nothing.
      expect((await me(phone.pair.accessToken).expect(401)).body.code).toBe('SIGN_IN_REVOKED');
      expect((await connectRejected(app().url, phone.pair.accessToken)).code).toBe('SIGN_IN_REVOKED');
      expect((await app().http().post('/api/auth/refresh').send({ refreshToken: phone.pair.refreshToken }).expect(401)).body.code).toBe(
        'REFRESH_TOKEN_INVALID',
      );

      // The laptop (another sign-in of the same account) and the mediation's own page carry on.
      expect(laptop.client.socket.connected).toBe(true);
      expect((await laptop.client.ask('presence.get', {})).ok).toBe(false); // connected, not joined: SOCKET_NOT_JOINED
      await me(laptop.pair.accessToken).expect(200);
      // The mediation's own page (its sign-in untouched; the phone had taken the session over) joins again.
      expect(m().client(a2).socket.connected).toBe(true);
      expect((await m().client(a2).join(m().session.id)).room.id).toBe(m().caucusA);
    } finally {
      phone.client.close();
      laptop.client.close();
    }
  });

  it('lists the live sign-ins and ends one from the list, closing its sockets; another account’s or an unknown one is SIGN_IN_NOT_FOUND', async () => {
    const { b2, a1 } = m();
    const here = await device(b2);
    const there = await device(b2);
    try {
      const list = await signIns(here.pair.accessToken);
      const mine = list.filter((s) => s.current);
      expect(mine).toHaveLength(1);
      // The mediation's sign-in, and these two.
      expect(list.length).toBe(3);
      for (const s of list) {
        expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.now());
        expect(Date.parse(s.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
      }
      const thereId = (await signIns(there.pair.accessToken)).find((s) => s.current)!.id;
      expect(thereId).not.toBe(mine[0].id);

      // Someone else cannot end it, and an unknown id is not found either; nothing changes.
      const stranger = await register(app(), 'Stranger Sam');
      for (const [who, id] of [
        [stranger.token, thereId],
        [a1.token, thereId],
        [here.pair.accessToken, randomUUID()],
      ] as const) {
        const res = await app()
          .http()
          .delete(`/api/auth/sign-ins/${id}`)
          .set(bearer({ token: who }))
          .expect(404);
        expect(res.body).toMatchObject({ code: 'SIGN_IN_NOT_FOUND' });
      }
      expect(
        (
          await app()
            .http()
            .delete('/api/auth/sign-ins/not-a-uuid')
            .set(bearer({ token: here.pair.accessToken }))
            .expect(400)
        ).body,
      ).toMatchObject({
        code: 'VALIDATION_FAILED',
        field: 'id',
      });
      expect(there.client.socket.connected).toBe(true);

      const thereClosed = closed(there.client);
      await app()
        .http()
        .delete(`/api/auth/sign-ins/${thereId}`)
        .set(bearer({ token: here.pair.accessToken }))
        .expect(204);
      expect(await there.client.waitFor('auth.ended')).toMatchObject({ code: 'SIGN_IN_REVOKED', reason: 'sign_in_ended' });
      expect(await thereClosed).toBe('io server disconnect');
      expect((await me(there.pair.accessToken).expect(401)).body.code).toBe('SIGN_IN_REVOKED');
      expect(here.client.socket.connected).toBe(true);
      expect((await signIns(here.pair.accessToken)).map((s) => s.id)).not.toContain(thereId);
      expect(
        (
          await app()
            .http()
            .delete(`/api/auth/sign-ins/${thereId}`)
            .set(bearer({ token: here.pair.accessToken }))
            .expect(404)
        ).body.code,
      ).toBe('SIGN_IN_NOT_FOUND');
    } finally {
      here.client.close();
      there.client.close();
    }
  });

  describe('deleting an account', () => {
    const del = (token: string, password: unknown) => app().http().delete('/api/auth/me').set(bearer({ token })).send({ password });
    let trailBefore: { entries: Array<{ type: string; payload: Record<string, unknown> }> };
    let leaving: Person;
    let leavingSocket: TestClient;
    let said: string;

    beforeAll(async () => {
      leaving = m().b2;
      leavingSocket = m().client(leaving);
      said = `for the record ${randomUUID()}`;
      expect((await leavingSocket.ask('chat.post', { roomId: m().caucusB, text: said, clientMessageId: randomUUID() })).ok).toBe(true);
      trailBefore = (await m().get(m().mediator, '/audit').expect(200)).body;
    });

    it('is refused to the lead mediator of a session not closed, and with a wrong password; nothing changes', async () => {
      const { mediator } = m();
      expect((await del(mediator.token, mediator.password).expect(409)).body.code).toBe('ACCOUNT_LEADS_OPEN_SESSIONS');
      expect((await del(leaving.token, 'not the password at all').expect(401)).body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect((await del(leaving.token, null).expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
      await me(mediator.token).expect(200);
      await me(leaving.token).expect(200);
      expect(m().client(mediator).socket.connected).toBe(true);
      expect(leavingSocket.socket.connected).toBe(true);
    });

    it('closes its open socket, refuses its token, empties its seat where the room sees it, and frees its address', async () => {
      const { b1 } = m();
      const socketClosed = closed(leavingSocket);
      m().client(b1).clear();
      await del(leaving.token, leaving.password).expect(204);
      expect(await leavingSocket.waitFor('auth.ended')).toMatchObject({ code: 'SIGN_IN_REVOKED', reason: 'account_deleted' });
      expect(await socketClosed).toBe('io server disconnect');

      // Its token: refused over HTTP and at a handshake.
      expect((await me(leaving.token).expect(401)).body.code).toBe('TOKEN_INVALID');
      expect((await connectRejected(app().url, leaving.token)).code).toBe('TOKEN_INVALID');
      expect(
        (await app().http().post('/api/auth/login').send({ email: leaving.email, password: leaving.password }).expect(401)).body.code,
      ).toBe('INVALID_CREDENTIALS');

      // Its delegation's caucus sees the participant go.
      await m()
        .client(b1)
        .waitFor('room.presence', (e) => JSON.stringify(e).includes(m().caucusB));

      // The address can hold a new account.
      const again = await app()
        .http()
        .post('/api/auth/register')
        .send({ email: leaving.email, password: 'a brand new passphrase', displayName: 'Bo Again' })
        .expect(201);
      expect((again.body as TokenPair).user.id).not.toBe(leaving.userId);
    });

    it('keeps the audit chain verifiable and unchanged up to the departure, and what the account wrote', async () => {
      const trail = (await m().get(m().mediator, '/audit').expect(200)).body;
      expect(trail.verification.valid).toBe(true);
      // Nothing before was rewritten: the old entries are a prefix of the new trail.
      expect(trail.entries.slice(0, trailBefore.entries.length)).toEqual(trailBefore.entries);
      const added = trail.entries.slice(trailBefore.entries.length);
      expect(added.map((e: { type: string }) => e.type)).toEqual(['participant.left']);
      expect(added[0].payload).toEqual({ participantId: leaving.participantId, fromRoomId: m().caucusB });

      const history = await m().client(m().b1).ask('room.history', { roomId: m().caucusB, afterSeq: 0, limit: 200 });
      expect(history.ok).toBe(true);
      expect(JSON.stringify(history.ok && history.data.events)).toContain(said);
    });
  });
});

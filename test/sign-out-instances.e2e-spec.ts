import type { TokenPair } from '@parley/contracts';
import { freshDatabase, startApp, TestClient, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { bearer, createSession, inviteNew, register } from './support/people';

/**
 * A sign-in ends on every instance: signing out through instance A closes that sign-in's socket
 * held by instance B (through the Redis adapter), and leaves another sign-in's socket on B open.
 * Needs TEST_DATABASE_URL and TEST_REDIS_URL (the `servers` project).
 */
describeWhen(__filename, lacks.servers())('sign-out across API instances', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await freshDatabase();
    const env = { REDIS_URL: process.env.TEST_REDIS_URL! };
    a = await startApp(env, db);
    b = await startApp(env, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db?.drop();
  });

  it('sign-out on instance A closes the socket on instance B, told why, and not another device’s', async () => {
    const mediator = await register(a, 'Mediator Across');
    const session = await createSession(a, mediator, ['North']);
    const member = await inviteNew(a, mediator, session.id, 'North Across', { role: 'party_member', partyId: session.parties[0].id });
    const login = async () =>
      (await a.http().post('/api/auth/login').send({ email: member.email, password: member.password }).expect(200)).body as TokenPair;
    const other = await login();
    const onB = await TestClient.connect(b.url, member.token);
    const otherOnB = await TestClient.connect(b.url, other.accessToken);
    try {
      await onB.join(session.id);
      const closed = new Promise<string>((r) => onB.socket.once('disconnect', (reason) => r(reason)));
      await a.http().post('/api/auth/sign-out').set(bearer(member)).expect(204);
      expect(await onB.waitFor('auth.ended')).toMatchObject({ code: 'SIGN_IN_REVOKED', reason: 'sign_in_ended' });
      expect(await closed).toBe('io server disconnect');
      // Instance B refuses the token too (the revocation is in the shared database).
      expect((await b.http().get('/api/auth/me').set(bearer(member)).expect(401)).body.code).toBe('SIGN_IN_REVOKED');
      expect(otherOnB.socket.connected).toBe(true);
      expect((await otherOnB.join(session.id)).participant.id).toBe(member.participantId);
    } finally {
      onB.close();
      otherOnB.close();
    }
  });

  it('deleting the account through instance A closes its socket on instance B, told why', async () => {
    const mediator = await register(a, 'Mediator Stays');
    const session = await createSession(a, mediator, ['South']);
    const leaving = await inviteNew(a, mediator, session.id, 'South Leaves', { role: 'party_member', partyId: session.parties[0].id });
    const onB = await TestClient.connect(b.url, leaving.token);
    try {
      await onB.join(session.id);
      const closed = new Promise<string>((r) => onB.socket.once('disconnect', (reason) => r(reason)));
      await a.http().delete('/api/auth/me').set(bearer(leaving)).send({ password: leaving.password }).expect(204);
      expect(await onB.waitFor('auth.ended')).toMatchObject({ code: 'SIGN_IN_REVOKED', reason: 'account_deleted' });
      expect(await closed).toBe('io server disconnect');
      expect((await b.http().get('/api/auth/me').set(bearer(leaving)).expect(401)).body.code).toBe('TOKEN_INVALID');
    } finally {
      onB.close();
    }
  });
});

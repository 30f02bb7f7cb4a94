import { JwtService } from '@nestjs/jwt';
import { ManualClock } from '@parley/platform';
import { Accounts, PasswordHasher } from '@parley/auth';
import { connectRejected, startApp, TestClient, type TestApp } from './support/harness';
import { bearer, register } from './support/people';

const SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret';

describe('accounts and tokens', () => {
  let app: TestApp;
  // The server's time: it moves only when a test advances it, so expiry is tested without waiting.
  const clock = new ManualClock();
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  beforeAll(async () => {
    app = await startApp({}, undefined, { clock });
  });
  afterAll(() => app.close());

  it('registers, then refuses the same address in another case', async () => {
    const res = await app
      .http()
      .post('/api/auth/register')
      .send({ email: 'Zara@Example.org', password: 'long enough password', displayName: 'Zara' })
      .expect(201);
    expect(res.body).toMatchObject({ expiresIn: 900, user: { email: 'zara@example.org', displayName: 'Zara' } });
    expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await app
      .http()
      .post('/api/auth/register')
      .send({ email: 'zara@EXAMPLE.org', password: 'another long password', displayName: 'Z' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
  });

  it('stores a password hash, never the password', async () => {
    const { DataSource } = await import('typeorm');
    const [row] = await app.app.get(DataSource).query(`SELECT password_hash FROM users WHERE email = 'zara@example.org'`);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('long enough password');
  });

  it('logs in, and says the same thing for a wrong password and an unknown address', async () => {
    const ok = await app.http().post('/api/auth/login').send({ email: 'ZARA@example.org', password: 'long enough password' }).expect(200);
    expect(ok.body.user.email).toBe('zara@example.org');
    const wrong = await app.http().post('/api/auth/login').send({ email: 'zara@example.org', password: 'not the password' }).expect(401);
    const unknown = await app
      .http()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: 'not the password' })
      .expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('takes as long for an unknown address as for a wrong password (the same argon2 work), and counts both failures', async () => {
    // Timed at the use case, where the difference lives: over HTTP the request's own cost blurs it.
    const accounts = app.app.get(Accounts);
    const someone = await register(app, 'Timed Account');
    const before = accounts.failedSignIns;
    // Observed, not replaced: each failure, known address or not, is one real argon2 verification.
    const verify = jest.spyOn(app.app.get(PasswordHasher), 'verify');
    const time = async (email: string) => {
      const t0 = performance.now();
      await expect(accounts.authenticate(email, 'not the password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
      return performance.now() - t0;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i++) {
      known.push(await time(someone.email));
      unknown.push(await time(`nobody-${i}@example.org`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Loose, as timing on a busy machine is: the argon2 count below is the exact check.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.4);
    expect(verify).toHaveBeenCalledTimes(18);
    expect(accounts.failedSignIns - before).toBe(18);
    verify.mockRestore();
  });

  it('answers a malformed login with 400 naming the field', async () => {
    const res = await app.http().post('/api/auth/login').send({ password: 'x' }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'email' });
  });

  it('renews tokens once per refresh token, and revokes the family on reuse', async () => {
    const login = await app
      .http()
      .post('/api/auth/login')
      .send({ email: 'zara@example.org', password: 'long enough password' })
      .expect(200);
    const first = login.body.refreshToken;
    const renewed = await app.http().post('/api/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(renewed.body.refreshToken).not.toBe(first);
    await app
      .http()
      .get('/api/auth/me')
      .set(bearer({ token: renewed.body.accessToken }))
      .expect(200);

    const reuse = await app.http().post('/api/auth/refresh').send({ refreshToken: first }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // The stolen-token family is gone: the legitimate newer token no longer works either.
    const after = await app.http().post('/api/auth/refresh').send({ refreshToken: renewed.body.refreshToken }).expect(401);
    expect(after.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('refuses an unknown refresh token', async () => {
    const res = await app
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: 'A'.repeat(43) })
      .expect(401);
    expect(res.body).toMatchObject({ code: 'REFRESH_TOKEN_INVALID', field: 'refreshToken' });
  });

  describe('access tokens, over HTTP and at the Socket.IO handshake', () => {
    let userId: string;
    let email: string;
    let password: string;
    beforeAll(async () => {
      const p = await register(app, 'Token Tester');
      ({ userId, email, password } = p);
    });
    /** An access token the server issues now (by its clock, which tests move forward). */
    const valid = async (): Promise<string> =>
      (await app.http().post('/api/auth/login').send({ email, password }).expect(200)).body.accessToken;
    /** A token signed here, issued at the server's time (expiresIn counts from it). */
    const forge = (secret: string, claims: object, options: object = {}) =>
      new JwtService({ secret }).sign({ iat: nowSeconds(), ...claims }, { algorithm: 'HS256', issuer: 'parley', ...options });

    const cases: Array<[string, () => string | undefined, string]> = [
      ['no token', () => undefined, 'UNAUTHENTICATED'],
      ['garbage', () => 'not-a-jwt', 'TOKEN_INVALID'],
      [
        'signed with another secret',
        () => forge('another-secret-another-secret-another', { sub: userId, typ: 'access' }, { expiresIn: 60 }),
        'TOKEN_INVALID',
      ],
      [
        'alg none',
        () =>
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: userId, typ: 'access', iss: 'parley', exp: 9999999999 })).toString('base64url')}.`,
        'TOKEN_INVALID',
      ],
      ['expired', () => forge(SECRET, { sub: userId, typ: 'access', exp: nowSeconds() - 10 }), 'TOKEN_EXPIRED'],
      ['another issuer', () => forge(SECRET, { sub: userId, typ: 'access' }, { issuer: 'evil', expiresIn: 60 }), 'TOKEN_INVALID'],
    ];

    it.each(cases)('HTTP refuses %s', async (_name, token, code) => {
      const t = token();
      const req = app.http().get('/api/auth/me');
      const res = await (t ? req.set(bearer({ token: t })) : req).expect(401);
      expect(res.body.code).toBe(code);
    });

    it.each(cases)('the handshake refuses %s', async (_name, token, code) => {
      expect((await connectRejected(app.url, token())).code).toBe(code);
    });

    it('ends a socket whose token expired while connected, from the instant it expires, as HTTP refuses it', async () => {
      const exp = nowSeconds() + 2;
      const shortLived = forge(SECRET, { sub: userId, typ: 'access', exp });
      const c = await TestClient.connect(app.url, shortLived);
      const nowhere = { sessionId: '00000000-0000-4000-8000-000000000000' };
      try {
        clock.advance(exp * 1000 - 1 - clock.now()); // the last millisecond of its life
        expect(await c.ask('session.join', nowhere)).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_FOUND' } });
        await app
          .http()
          .get('/api/auth/me')
          .set(bearer({ token: shortLived }))
          .expect(200);
        const closed = new Promise((r) => c.socket.once('disconnect', r));
        clock.advance(1);
        expect(await c.waitFor('auth.expired')).toMatchObject({ code: 'TOKEN_EXPIRED' });
        await closed;
        expect(
          (
            await app
              .http()
              .get('/api/auth/me')
              .set(bearer({ token: shortLived }))
              .expect(401)
          ).body.code,
        ).toBe('TOKEN_EXPIRED');
        expect((await connectRejected(app.url, shortLived)).code).toBe('TOKEN_EXPIRED');
      } finally {
        c.close();
      }
    });

    it("an access token the server issued lasts its lifetime (900 s) on the server's clock, and a refresh gives a new one", async () => {
      const login = await app.http().post('/api/auth/login').send({ email, password }).expect(200);
      const token: string = login.body.accessToken;
      const issuedAt = clock.now();
      clock.advance(899_000 - (issuedAt % 1000)); // 899 s into the token's first second
      await app.http().get('/api/auth/me').set(bearer({ token })).expect(200);
      clock.advance(1_000);
      expect((await app.http().get('/api/auth/me').set(bearer({ token })).expect(401)).body.code).toBe('TOKEN_EXPIRED');
      const renewed = await app.http().post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
      await app
        .http()
        .get('/api/auth/me')
        .set(bearer({ token: renewed.body.accessToken }))
        .expect(200);
    });

    it("auth.renew gives a connected socket a new lease before it ends; only the same account's token does", async () => {
      const exp = nowSeconds() + 2;
      const shortLived = forge(SECRET, { sub: userId, typ: 'access', exp });
      const c = await TestClient.connect(app.url, shortLived);
      const other = await register(app, 'Someone Else');
      const nowhere = { sessionId: '00000000-0000-4000-8000-000000000000' };
      try {
        clock.advance(exp * 1000 - 1 - clock.now());
        // Refused renewals change nothing.
        expect(await c.ask('auth.renew', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'token' } });
        expect(await c.ask('auth.renew', { token: 'not-a-jwt' })).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
        expect(await c.ask('auth.renew', { token: other.token })).toMatchObject({
          ok: false,
          error: { code: 'TOKEN_INVALID', field: 'token' },
        });
        expect(await c.ask('auth.renew', { token: forge(SECRET, { sub: userId, typ: 'access', exp: nowSeconds() - 1 }) })).toMatchObject({
          ok: false,
          error: { code: 'TOKEN_EXPIRED' },
        });
        expect(c.socket.connected).toBe(true);
        // The account's own fresh token renews it, on the same connection, past the first token's end.
        const renewed = await c.ask('auth.renew', { token: await valid() });
        expect(renewed.ok && Date.parse(renewed.data.expiresAt)).toBeGreaterThan(clock.now());
        clock.advance(2_000);
        expect(await c.ask('session.join', nowhere)).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_FOUND' } });
        expect(c.socket.connected).toBe(true);
      } finally {
        c.close();
      }
    });

    it('accepts a valid token on both', async () => {
      const token = await valid();
      const me = await app.http().get('/api/auth/me').set(bearer({ token })).expect(200);
      expect(me.body.id).toBe(userId);
      const c = await TestClient.connect(app.url, token);
      expect(c.socket.connected).toBe(true);
      c.close();
    });
  });
});

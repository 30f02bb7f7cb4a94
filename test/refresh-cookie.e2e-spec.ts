import type { Response } from 'supertest';
import { startApp, type TestApp } from './support/harness';
import { bearer, createInvitation, createSession, register } from './support/people';

/** The attributes of the refresh cookie an answer sets (null: none set). */
function refreshCookie(r: Response): Record<string, string | true> | null {
  const all = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const line = all.find((c) => c.startsWith('parley_refresh='));
  if (!line) return null;
  const [pair, ...attributes] = line.split(';').map((p) => p.trim());
  const out: Record<string, string | true> = { value: pair.slice('parley_refresh='.length) };
  for (const a of attributes) {
    const [k, v] = a.split('=');
    out[k.toLowerCase()] = v ?? true;
  }
  return out;
}

/**
 * The refresh token of a browser lives in an HttpOnly, SameSite=Strict cookie bound to /api/auth
 * (Secure when PUBLIC_URL is https), never in a body a page's script can read; a renewal by cookie
 * needs the X-Parley-CSRF header and an allowed origin. Clients that are not browsers (no Origin,
 * no Sec-Fetch-Site) keep the token in the body, as before.
 */
describe('the refresh cookie', () => {
  let app: TestApp;
  let https: TestApp;
  const TTL = 7200;
  const PASSWORD = 'correct horse battery staple';
  let email = '';

  beforeAll(async () => {
    // In this order: passport's strategies are one per process, and the last app's serves sign-ins.
    https = await startApp({ PUBLIC_URL: 'https://parley.example.org' });
    app = await startApp({ JWT_REFRESH_TTL: String(TTL) });
    email = (await register(app, 'Cora Cookie')).email;
  });
  afterAll(async () => {
    await app?.close();
    await https?.close();
  });

  /** A sign-in as the page makes it: same origin, so the browser sends Origin and Sec-Fetch-Site. */
  const browserLogin = (on: TestApp = app, origin = app.url) =>
    on.http().post('/api/auth/login').set('Origin', origin).set('Sec-Fetch-Site', 'same-origin').send({ email, password: PASSWORD });
  const renew = (
    cookie: string,
    headers: Record<string, string> = { Origin: app.url, 'Sec-Fetch-Site': 'same-origin', 'X-Parley-CSRF': '1' },
  ) => app.http().post('/api/auth/refresh').set('Cookie', `parley_refresh=${cookie}`).set(headers).send({});

  it("a browser's sign-in sets the cookie — HttpOnly, SameSite=Strict, Path=/api/auth, Max-Age the refresh TTL, not Secure on http — and its body has no refresh token", async () => {
    const r = await browserLogin().expect(200);
    expect(refreshCookie(r)).toEqual({
      value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      'max-age': String(TTL),
      path: '/api/auth',
      expires: expect.any(String),
      httponly: true,
      samesite: 'Strict',
    });
    expect(r.body).not.toHaveProperty('refreshToken');
    expect(r.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900, user: { email } });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('Secure when PUBLIC_URL is https', async () => {
    const r = await https
      .http()
      .post('/api/auth/register')
      .set('Origin', 'https://parley.example.org')
      .send({ email: `secure.${process.pid}@parley.test`, password: PASSWORD, displayName: 'Sec Ure' })
      .expect(201);
    expect(refreshCookie(r)).toMatchObject({ secure: true, httponly: true, samesite: 'Strict', path: '/api/auth' });
    expect(r.body).not.toHaveProperty('refreshToken');
  });

  it('a client that is not a browser gets the token in the body and no cookie, and renews with it as before', async () => {
    const r = await app.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    expect(refreshCookie(r)).toBeNull();
    expect(r.headers['cache-control']).toBe('no-store');
    const renewed = await app.http().post('/api/auth/refresh').send({ refreshToken: r.body.refreshToken }).expect(200);
    expect(renewed.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refreshCookie(renewed)).toBeNull();
  });

  it('renews through the cookie: a new cookie, a working access token, the old cookie refused as reused (and cleared)', async () => {
    const first = refreshCookie(await browserLogin().expect(200))!.value as string;
    const r = await renew(first).expect(200);
    const second = refreshCookie(r)!;
    expect(second.value).not.toBe(first);
    expect(second).toMatchObject({ httponly: true, samesite: 'Strict', path: '/api/auth' });
    expect(r.body).not.toHaveProperty('refreshToken');
    expect(r.headers['cache-control']).toBe('no-store');
    await app
      .http()
      .get('/api/auth/me')
      .set(bearer({ token: r.body.accessToken }))
      .expect(200);

    const reused = await renew(first).expect(401);
    expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect(refreshCookie(reused)).toMatchObject({ value: '', expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
    // Reuse revoked the family: the newer cookie is dead too.
    expect((await renew(second.value as string).expect(401)).body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('without the X-Parley-CSRF header, from a foreign origin, or cross-site: refused, and the token is not spent', async () => {
    const cookie = refreshCookie(await browserLogin().expect(200))!.value as string;
    const noHeader = await renew(cookie, { Origin: app.url, 'Sec-Fetch-Site': 'same-origin' }).expect(403);
    expect(noHeader.body).toMatchObject({ statusCode: 403, code: 'CSRF_FAILED' });
    const foreign = await renew(cookie, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'X-Parley-CSRF': '1' }).expect(
      403,
    );
    expect(foreign.body.code).toBe('ORIGIN_FORBIDDEN');
    const crossSite = await renew(cookie, { 'Sec-Fetch-Site': 'cross-site', 'X-Parley-CSRF': '1' }).expect(403);
    expect(crossSite.body.code).toBe('CSRF_FAILED');
    const wrongValue = await renew(cookie, { Origin: app.url, 'X-Parley-CSRF': 'yes' }).expect(403);
    expect(wrongValue.body.code).toBe('CSRF_FAILED');
    for (const r of [noHeader, foreign, crossSite, wrongValue]) expect(refreshCookie(r)).toBeNull();
    // None of them spent it: the page's own renewal still works.
    await renew(cookie).expect(200);
  });

  it('no cookie and no body: nothing to renew (401 REFRESH_TOKEN_INVALID), as a page with no sign-in finds on load', async () => {
    const r = await app
      .http()
      .post('/api/auth/refresh')
      .set({ Origin: app.url, 'Sec-Fetch-Site': 'same-origin', 'X-Parley-CSRF': '1' })
      .send({})
      .expect(401);
    expect(r.body).toMatchObject({ code: 'REFRESH_TOKEN_INVALID', field: 'refreshToken' });
  });

  it('accepting an invitation from a browser sets the cookie too, and the body keeps the seat but not the token', async () => {
    const mediator = await register(app, 'Mia Mediator');
    const session = await createSession(app, mediator, ['East', 'West']);
    const invToken = await createInvitation(app, mediator, session.id);
    const r = await app
      .http()
      .post(`/api/invitations/${invToken}/accept`)
      .set('Origin', app.url)
      .send({ email: `guest.${process.pid}@parley.test`, password: PASSWORD, displayName: 'Gus Guest' })
      .expect(201);
    expect(refreshCookie(r)).toMatchObject({ httponly: true, samesite: 'Strict', path: '/api/auth' });
    expect(r.body).not.toHaveProperty('refreshToken');
    expect(r.body).toMatchObject({ sessionId: session.id, participant: { role: 'observer' } });
  });
});

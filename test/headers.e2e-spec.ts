import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { io } from 'socket.io-client';
import { startApp, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register } from './support/people';
import { buildWebClientInto } from './support/web-client';

/**
 * The headers of a careful site (issue 16, finding 6) on every kind of answer — the page, the API's
 * JSON and its errors, an asset, the SPA fallback, an export — and the origins the API and Socket.IO
 * accept: PUBLIC_URL's, the ALLOWED_ORIGINS list, and (PUBLIC_URL on loopback) the loopback origins
 * of the port they listen on; a request without Origin is not a browser's and passes.
 */
describe('security headers and allowed origins', () => {
  const LISTED = 'https://console.parley.test';
  let app: TestApp;
  let https: TestApp;
  let webDir: string;
  const got: Record<string, Response> = {};
  let sha256 = '';

  const csp = (r: Response): Record<string, string> =>
    Object.fromEntries(
      String(r.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(' ')]),
    );

  beforeAll(async () => {
    webDir = buildWebClientInto(join(mkdtempSync(join(tmpdir(), 'parley-headers-')), 'web'));
    app = await startApp({ WEB_DIR: webDir, ALLOWED_ORIGINS: LISTED });
    https = await startApp({ WEB_DIR: webDir, PUBLIC_URL: 'https://parley.example.org' });

    // A final text, to export.
    const mediator = await register(app, 'Mediator Maria');
    const session = await createSession(app, mediator, ['North', 'South']);
    const [north, south] = session.parties;
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    const heads = [
      await inviteNew(app, mediator, session.id, 'Ana North', { role: 'party_member', partyId: north.id, isHead: true }),
      await inviteNew(app, mediator, session.id, 'Bea South', { role: 'party_member', partyId: south.id, isHead: true }),
    ];
    const s = `/api/sessions/${session.id}`;
    const clause = await app
      .http()
      .post(`${s}/agreement/changes`)
      .set(bearer(mediator))
      .send({ change: { kind: 'insert', afterClauseId: null, wording: { text: 'The harbour stays open.' } } })
      .expect(201);
    for (const level of ['ad_referendum', 'agreed'])
      for (const head of heads)
        await app
          .http()
          .post(`${s}/agreement/clauses/${clause.body.clauseId}/mark`)
          .set(bearer(head))
          .send({ baseVersion: 1, level })
          .expect(200);
    sha256 = (await app.http().post(`${s}/agreement/finalise`).set(bearer(mediator)).expect(200)).body.finalSha256;

    got.page = await app.http().get('/').set('Accept', 'text/html').expect(200);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(got.page.text)![1];
    got.asset = await app.http().get(asset).expect(200);
    got.fallback = await app.http().get(`/sessions/${session.id}`).set('Accept', 'text/html').expect(200);
    got.api = await app.http().get('/api/sessions').set(bearer(mediator)).expect(200);
    got.error = await app.http().get('/api/sessions').expect(401);
    got.missingAsset = await app.http().get('/assets/nothing-here.js').expect(404);
    for (const format of ['markdown', 'html', 'json'])
      got[format] = await app.http().get(`${s}/agreement/export?format=${format}`).set(bearer(mediator)).expect(200);
    got.docs = await app.http().get('/api/docs').expect(200);
    got.httpsPage = await https.http().get('/').set('Accept', 'text/html').expect(200);
    got.httpsJson = await https.http().get('/api/health').expect(200);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await https?.close();
    if (webDir) rmSync(join(webDir, '..'), { recursive: true, force: true });
  });

  const EVERY = ['page', 'asset', 'fallback', 'api', 'error', 'missingAsset', 'markdown', 'html', 'json', 'docs', 'httpsPage', 'httpsJson'];

  it.each(EVERY)('%s: nosniff, no referrer, no framing, no X-Powered-By', (kind) => {
    const r = got[kind];
    expect({
      nosniff: r.headers['x-content-type-options'],
      referrer: r.headers['referrer-policy'],
      frame: r.headers['x-frame-options'],
      poweredBy: r.headers['x-powered-by'],
      ancestors: csp(r)['frame-ancestors'],
      permissions: r.headers['permissions-policy'],
    }).toEqual({
      nosniff: 'nosniff',
      referrer: 'no-referrer',
      frame: 'DENY',
      poweredBy: undefined,
      ancestors: "'none'",
      permissions: expect.stringContaining('camera=(self)'),
    });
  });

  it.each(EVERY.filter((k) => k !== 'docs'))('%s: the strict Content-Security-Policy', (kind) => {
    const policy = csp(got[kind]);
    const host = kind.startsWith('https') ? new URL(https.url).host : new URL(app.url).host;
    expect(policy).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'style-src': "'self'",
      'img-src': "'self'",
      'connect-src': `'self' ws://${host} wss://${host}`,
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(Object.values(policy).join(' ')).not.toMatch(/unsafe|data:|blob:|\*/);
  });

  it('the built page has nothing inline for the policy to refuse: no inline script, style or handler', () => {
    const html = readFileSync(join(webDir, 'index.html'), 'utf8');
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(html.match(/<style|\sstyle=|\son[a-z]+=/gi)).toBeNull();
    expect(got.page.text).toBe(html);
  });

  it('the Swagger page alone may use inline styles and data: images; its scripts are still its own files', () => {
    const policy = csp(got.docs);
    expect(policy).toMatchObject({ 'script-src': "'self'", 'style-src': "'self' 'unsafe-inline'", 'img-src': "'self' data:" });
    expect(got.docs.text).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('HSTS only when PUBLIC_URL is https, where the page also upgrades insecure requests', () => {
    expect(got.page.headers['strict-transport-security']).toBeUndefined();
    expect(got.httpsPage.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(got.httpsJson.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(csp(got.httpsPage)).toHaveProperty('upgrade-insecure-requests');
    expect(csp(got.page)).not.toHaveProperty('upgrade-insecure-requests');
  });

  it.each([
    ['markdown', 'text/markdown; charset=utf-8', 'md'],
    ['html', 'text/html; charset=utf-8', 'html'],
    ['json', 'application/json; charset=utf-8', 'json'],
  ])('the %s export is a download: attachment, named by the hash, its own type, nosniff', (format, type, ext) => {
    const r = got[format];
    expect(r.headers['content-disposition']).toBe(`attachment; filename="agreement-${sha256.slice(0, 12)}.${ext}"`);
    expect(r.headers['content-type']).toBe(type);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  describe('origins over HTTP', () => {
    const sessions = (origin?: string) => {
      const r = app.http().get('/api/media/status');
      return origin === undefined ? r : r.set('Origin', origin);
    };

    it('a foreign origin, a look-alike and "null" are refused ORIGIN_FORBIDDEN, before any route runs', async () => {
      const port = new URL(app.url).port;
      for (const origin of [
        'https://evil.example',
        `http://127.0.0.1.evil.example:${port}`,
        `http://127.0.0.1:${Number(port) + 1}`,
        'null',
      ]) {
        const r = await sessions(origin).expect(403);
        expect({ origin, body: r.body, cors: r.headers['access-control-allow-origin'] }).toEqual({
          origin,
          body: expect.objectContaining({ statusCode: 403, code: 'ORIGIN_FORBIDDEN' }),
          cors: undefined,
        });
      }
      // A cross-site form posting a sign-in: refused too (CORS alone would have let the request run).
      const form = await app
        .http()
        .post('/api/auth/login')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send('email=a%40b.c&password=x')
        .expect(403);
      expect(form.body.code).toBe('ORIGIN_FORBIDDEN');
    });

    it('no Origin (not a browser), the loopback origin of its own port, and PUBLIC_URL pass', async () => {
      await sessions().expect(200);
      await sessions(app.url).expect(200);
      await sessions(app.url.replace('127.0.0.1', 'localhost')).expect(200);
      await sessions(`http://localhost:${new URL(app.url).port}`).expect(200);
      await https.http().get('/api/media/status').set('Origin', 'https://parley.example.org').expect(200);
      // With a PUBLIC_URL elsewhere, loopback is just another origin.
      expect((await https.http().get('/api/media/status').set('Origin', https.url).expect(403)).body.code).toBe('ORIGIN_FORBIDDEN');
    });

    it('an ALLOWED_ORIGINS origin may read, with credentials, and its preflight passes; a foreign preflight does not', async () => {
      const r = await sessions(LISTED).expect(200);
      expect(r.headers['access-control-allow-origin']).toBe(LISTED);
      expect(r.headers['access-control-allow-credentials']).toBe('true');
      const pre = await app
        .http()
        .options('/api/auth/refresh')
        .set('Origin', LISTED)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-parley-csrf')
        .expect(204);
      expect(pre.headers['access-control-allow-headers']).toBe('authorization,content-type,x-parley-csrf');
      await app
        .http()
        .options('/api/auth/refresh')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .expect(403);
    });
  });

  describe('origins at the Socket.IO handshake', () => {
    /** 'connected', or the code the handshake was refused with. */
    const tokens = new Map<TestApp, string>();
    beforeAll(async () => {
      for (const on of [app, https]) tokens.set(on, (await register(on, 'Sam Socket')).token);
    });
    const connect = (on: TestApp, origin?: string, transport: 'websocket' | 'polling' = 'websocket'): Promise<string> => {
      const socket = io(on.url, {
        auth: { token: tokens.get(on) },
        transports: [transport],
        reconnection: false,
        forceNew: true,
        ...(origin === undefined ? {} : { extraHeaders: { origin } }),
      });
      return new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (e: Error & { data?: { code: string } }) => resolve(e.data?.code ?? e.message));
      }).finally(() => socket.close());
    };

    it('a foreign origin is refused ORIGIN_FORBIDDEN; PUBLIC_URL, the loopback origin of the port, a listed origin and no Origin connect', async () => {
      expect({
        foreign: await connect(app, 'https://evil.example'),
        otherPort: await connect(app, `http://127.0.0.1:${Number(new URL(app.url).port) + 1}`),
        nullOrigin: await connect(app, 'null'),
        own: await connect(app, app.url),
        listed: await connect(app, LISTED),
        none: await connect(app),
        publicUrl: await connect(https, 'https://parley.example.org'),
        loopbackBesidePublicUrl: await connect(https, https.url),
      }).toEqual({
        foreign: 'ORIGIN_FORBIDDEN',
        otherPort: 'ORIGIN_FORBIDDEN',
        nullOrigin: 'ORIGIN_FORBIDDEN',
        own: 'connected',
        listed: 'connected',
        none: 'connected',
        publicUrl: 'connected',
        loopbackBesidePublicUrl: 'ORIGIN_FORBIDDEN',
      });
    });

    // Long-polling connects the namespace in a later request than the handshake's, whose connection
    // may be closed by then: the loopback origin of the port must not depend on it still being open.
    it('over long-polling, the same origins connect and are refused', async () => {
      expect({
        foreign: await connect(app, 'https://evil.example', 'polling'),
        otherPort: await connect(app, `http://127.0.0.1:${Number(new URL(app.url).port) + 1}`, 'polling'),
        own: await connect(app, app.url, 'polling'),
        listed: await connect(app, LISTED, 'polling'),
        none: await connect(app, undefined, 'polling'),
        loopbackBesidePublicUrl: await connect(https, https.url, 'polling'),
      }).toEqual({
        foreign: 'ORIGIN_FORBIDDEN',
        otherPort: 'ORIGIN_FORBIDDEN',
        own: 'connected',
        listed: 'connected',
        none: 'connected',
        loopbackBesidePublicUrl: 'ORIGIN_FORBIDDEN',
      });
    });
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApp, type TestApp } from './support/harness';
import { buildWebClient, ROOT } from './support/web-client';

/**
 * The API serves the built web client from its own origin: the page for any client route, its
 * hashed assets cached for good, and the API and its errors untouched.
 */
describe('the web client served by the API', () => {
  let app: TestApp;
  let script: string;

  beforeAll(async () => {
    buildWebClient();
    script = /\/assets\/[^"]+\.js/.exec(readFileSync(resolve(ROOT, 'dist', 'web', 'index.html'), 'utf8'))![0];
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(['/', '/invitations/aToken_-123', '/sessions/0192f0c4-7a3e-7b51-9c0d-2f4e6a8b1c3d', '/sign-in?next=%2F'])(
    'GET %s (a page) is the client, never cached',
    async (path) => {
      const res = await app.http().get(path).set('accept', 'text/html,application/xhtml+xml').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root"></div>');
      expect(res.text).toContain(script);
    },
  );

  it('its hashed script is served, cached for a year', async () => {
    const res = await app.http().get(script).expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
  });

  it('a missing asset is a 404, not the page', async () => {
    const res = await app.http().get('/assets/nothing-here.js').set('accept', '*/*');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<div id="root">');
  });

  it('the API keeps its JSON, errors included, whatever the client accepts', async () => {
    await app.http().get('/api/health').set('accept', 'text/html').expect(200).expect('content-type', /json/);
    const res = await app.http().get('/api/no-such-route').set('accept', 'text/html').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: expect.any(String) });
    const unauth = await app.http().get('/api/sessions').set('accept', 'text/html').expect(401);
    expect(unauth.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('only GETs for HTML get the page: a POST or a JSON request to a client path does not', async () => {
    expect((await app.http().post('/sessions').send({})).text).not.toContain('<div id="root">');
    expect((await app.http().get('/invitations/x').set('accept', 'application/json')).text).not.toContain('<div id="root">');
  });

  it('without a built client (WEB_DIR elsewhere) the API still runs and / says 404', async () => {
    const bare = await startApp({ WEB_DIR: resolve(ROOT, 'no-such-web-dir') });
    try {
      await bare.http().get('/api/health').expect(200);
      const res = await bare.http().get('/').set('accept', 'text/html');
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

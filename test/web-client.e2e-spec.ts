import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SkewedClock } from '@parley/platform';
import { startApp, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, type Person } from './support/people';
import { describeWhen, lacks } from './support/needs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessibilityViolations, buildWebClient, launchChromium, shows, takeCspViolations } from './support/web-client';
import { signUpAndCreateSession } from './support/web-people';

// A browser global, for the functions this file runs inside pages.
declare const localStorage: { getItem(k: string): string | null };
declare const sessionStorage: object;
declare const document: any;

/**
 * The web client where things go wrong or are missing: bad credentials and bad links get the
 * server's clear error, a platform without an SFU says so instead of showing black tiles, a
 * suspended session shows its state to the delegation, and the sign-in survives a reload.
 * Headless Chromium inside scripts/media-netns.sh only; this API runs without Janus.
 */
describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
)('the web client: errors, no video, and state that must survive', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  };

  /** Signs in through the page and picks the session from the list, as a returning person does. */
  const openSession = async (on: TestApp, who: Person, title: string, watch?: (page: Page) => void): Promise<Page> => {
    const page = await newPage();
    watch?.(page);
    await page.goto(on.url);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: title }).click();
    return page;
  };

  beforeAll(async () => {
    buildWebClient();
    app = await startApp({ JANUS_BINARY: 'none' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
  });

  it('a wrong password is refused in words (its code only in data-code), and nothing is signed in', async () => {
    await register(app, 'Known Person');
    const page = await newPage();
    await page.goto(app.url);
    await page.getByLabel('E-mail').fill('nobody@parley.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByRole('alert'), 'The e-mail or the password is not right.');
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(await page.evaluate(() => localStorage.getItem('parley.auth'))).toBeNull();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('works from the keyboard alone: skip link, fields in order, Enter submits', async () => {
    const page = await newPage();
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.type)).toBe('email');
    await page.keyboard.type('nobody@parley.test');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.type)).toBe('password');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await shows(page.getByRole('alert'), 'The e-mail or the password is not right.');
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
  });

  it('a registration with a short password names the field, and an unknown invitation says so', async () => {
    const page = await newPage();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'No account yet? Create one' }).click();
    await page.getByLabel('Your name').fill('Short Password');
    await page.getByLabel('E-mail').fill('short@parley.test');
    // The browser's own check would stop a short password; the server's answer is what is tested.
    await page.getByLabel('Password').evaluate((el: any) => {
      el.removeAttribute('minlength');
    });
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await shows(page.getByRole('alert'), 'Some of what you entered is not valid');
    await shows(page.getByRole('alert'), 'Field: Password');
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await page.getByRole('alert').getAttribute('data-field')).toBe('password');

    await page.goto(`${app.url}/invitations/${'x'.repeat(43)}`);
    await shows(page.getByRole('alert'), 'This invitation link is not valid.');
    expect(await page.getByRole('alert').getAttribute('data-code')).toBe('INVITATION_NOT_FOUND');
    expect(await page.getByRole('button', { name: 'Accept the invitation' }).count()).toBe(0);
  });

  it('without an SFU the session page says video is unavailable, and everything else works', async () => {
    const mediator = await register(app, 'Mia Mediator');
    const session = await createSession(app, mediator, ['East', 'West']);
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'open' }).expect(200);
    const east = session.parties[0];
    const eva = await inviteNew(app, mediator, session.id, 'Eva East', { role: 'party_member', partyId: east.id, isHead: true });
    await app
      .http()
      .post(`/api/sessions/${session.id}/participants/${eva.participantId}/admit`)
      .set(bearer(mediator))
      .send({ roomId: east.caucusRoomId })
      .expect(200);

    const page = await openSession(app, eva, session.title);
    await shows(page.getByTestId('current-room'), 'Caucus — East');
    await shows(page.getByTestId('media-unavailable'), 'Video is not available on this Parley server');
    expect(await page.getByTestId('video-tile').count()).toBe(0);
    await page.getByLabel('Message to Caucus — East').fill('Chat works without video.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await shows(page.locator('ol.stream'), 'Chat works without video.');

    // A suspension reaches the delegation live: everyone is back in the lobby, the caucus is gone
    // from the page; a reload keeps the sign-in and shows the same.
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(mediator)).send({ status: 'suspended' }).expect(200);
    await shows(page.getByTestId('session-status'), 'Suspended');
    await shows(page.getByTestId('lobby-wait'), 'You are in the lobby');
    expect(await page.getByLabel('Message to Caucus — East').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('Chat works without video.');
    await page.reload();
    await shows(page.getByTestId('session-status'), 'Suspended');
    await shows(page.getByTestId('connection'), 'Connected');
    await shows(page.getByTestId('lobby-wait'));
    // The reload kept the sign-in through the HttpOnly cookie: no token in any storage a script
    // reads, none in document.cookie, and the cookie itself bound to /api/auth.
    const readable: { storage: string; cookie: string } = await page.evaluate(() => ({
      storage: JSON.stringify({ ...localStorage, ...sessionStorage }),
      cookie: document.cookie,
    }));
    expect(readable.storage).not.toMatch(/eyJ|refresh|token/i);
    expect(readable.cookie).toBe('');
    expect(
      (await page.context().cookies()).map((c) => ({ name: c.name, path: c.path, httpOnly: c.httpOnly, sameSite: c.sameSite })),
    ).toEqual([{ name: 'parley_refresh', path: '/api/auth', httpOnly: true, sameSite: 'Strict' }]);
  });

  it('tabs share the sign-in: a new tab is signed in, tabs reloading at once stay signed in, and signing out in one signs out all', async () => {
    const who = await register(app, 'Tabitha Tabs');
    const first = await newPage();
    await first.goto(app.url);
    await first.getByLabel('E-mail').fill(who.email);
    await first.getByLabel('Password').fill(who.password);
    await first.getByRole('button', { name: 'Sign in' }).click();
    const signedIn = (p: Page) => shows(p.getByRole('button', { name: 'Sign out' }));
    await signedIn(first);
    const second = await first.context().newPage();
    await second.goto(app.url);
    await signedIn(second);
    // Every reload renews through the one cookie, and refresh tokens rotate: a token presented twice
    // would end the sign-in (reuse). The tabs take turns, so each presents the cookie the other left.
    for (let round = 0; round < 3; round++) {
      await Promise.all([first.reload(), second.reload()]);
      await Promise.all([signedIn(first), signedIn(second)]);
    }
    await first.getByRole('button', { name: 'Sign out' }).click();
    await shows(second.getByRole('heading', { name: 'Sign in to Parley' }));
    await second.reload();
    await shows(second.getByRole('heading', { name: 'Sign in to Parley' }));
    expect(await first.context().cookies()).toEqual([]);
  });

  it('a status change made while the page is still reading the session is not undone when that older reading lands', async () => {
    const page = await newPage();
    // The first reading of the session (the page opening it) goes through; every later one — the
    // page's reading on joining among them — is answered by the server at once but held back from
    // the page until the mediator has opened the session, so it lands holding "Draft" (on a loaded
    // CI machine this happened by chance). Each held reading is marked in its title, so the test
    // sees when the page has taken it.
    let readings = 0;
    let release!: () => void;
    const opened = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/sessions\/[0-9a-f-]+$/, async (route) => {
      if (route.request().method() !== 'GET' || readings++ === 0) return route.continue();
      const response = await route.fetch();
      const body = (await response.json()) as { title: string; status: string };
      await opened;
      await route.fulfill({ response, json: { ...body, title: `${body.title} (read before)` } });
    });
    await signUpAndCreateSession(page, app.url, {
      name: 'Stella Status',
      email: 'stella.status@parley.test',
      password: 'correct horse battery staple',
      title: 'Status race',
      parties: ['North', 'South'],
      coolingOffMinutes: 0,
    });
    await page.getByRole('button', { name: 'Open the session' }).click();
    await shows(page.getByTestId('session-status'), 'Open');
    release();
    // The page has taken the older reading (its title shows), and still says Open.
    await shows(page.getByRole('heading', { name: 'Status race (read before)' }));
    expect(readings).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('session-status').textContent()).toBe('Open');
  });

  it('the API docs (Swagger UI) render under their own policy, which alone allows inline styles and data: images', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });

  it('cannot be framed by another origin: frame-ancestors refuses the page, and the framing page sees none of it', async () => {
    const site = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Elsewhere</title><iframe src="${app.url}/"></iframe>`),
    );
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    try {
      const page = await newPage();
      const refused = page.waitForEvent('console', { predicate: (m) => m.text().includes("frame-ancestors 'none'"), timeout: 10_000 });
      await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      await refused;
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      expect(frame.url()).not.toBe(`${app.url}/`);
      expect(await frame.locator('#root').count()).toBe(0);
      // The one refusal this test provoked, and no other.
      expect(takeCspViolations()).toEqual([expect.stringContaining("frame-ancestors 'none'")]);
    } finally {
      site.close();
    }
  });

  it('outlives its access token: the socket renews itself before it expires, and the page works on past it (JWT_ACCESS_TTL=10)', async () => {
    // The server's clock flows with the machine's and is moved past the first token's expiry once
    // the page has renewed, rather than waiting two token lifetimes (21 s) with the page.
    const clock = new SkewedClock();
    const short = await startApp({ JANUS_BINARY: 'none', JWT_ACCESS_TTL: '10' }, undefined, { clock });
    try {
      const mediator = await register(short, 'Tess Timeout');
      const session = await createSession(short, mediator, ['Upstream', 'Downstream']);
      // The page's sockets, the server's time at each acknowledgement of auth.renew (a socket.io ack
      // frame), and any refusal for an expired token.
      const sockets: string[] = [];
      const renewedAt: number[] = [];
      const expired: string[] = [];
      let first = '';
      const page = await openSession(short, mediator, session.title, (p) =>
        p
          .on('response', (r) => {
            if (r.url().endsWith('/api/auth/login')) void r.json().then((b: { accessToken: string }) => (first = b.accessToken));
          })
          .on('websocket', (ws) => {
            sockets.push(ws.url());
            ws.on('framereceived', ({ payload }) => {
              if (/^43\d+\[\{"ok":true,"data":\{"expiresAt":"[^"]+"\}\}\]$/.test(String(payload))) renewedAt.push(clock.now());
              if (String(payload).includes('TOKEN_EXPIRED')) expired.push(String(payload));
            });
          }),
      );
      await shows(page.getByTestId('connection'), 'Connected');
      await page.getByLabel('Chat in').selectOption({ label: 'Plenary' });
      // 8 s into its 10, the page renews the socket's token by itself, before the server would
      // refuse it, on the same connection.
      const { exp } = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()) as { exp: number };
      for (const deadline = Date.now() + 20_000; renewedAt.length === 0; await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() > deadline) throw new Error("the page did not renew its socket's token");
      }
      expect(renewedAt[0]).toBeLessThan(exp * 1000);
      // Past the first token's expiry: the server refuses it now; the page goes on, socket and REST.
      clock.advance(Math.max(0, exp * 1000 - clock.now()));
      expect(
        (
          await short
            .http()
            .get('/api/auth/me')
            .set(bearer({ token: first }))
            .expect(401)
        ).body.code,
      ).toBe('TOKEN_EXPIRED');
      await page.getByLabel('Message to Plenary').fill('Still here after the token expired.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.locator('ol.stream'), 'Still here after the token expired.');
      await page.getByRole('button', { name: 'Open the session' }).click();
      await shows(page.getByTestId('session-status'), 'Open');
      await shows(page.getByTestId('connection'), 'Connected');
      expect(
        await page
          .getByRole('alert')
          .evaluateAll((els: any[]) => els.map((el) => `${el.closest('section, div')?.className}: ${el.textContent}`)),
      ).toEqual([]);
      expect({ sockets: sockets.length, expired }).toEqual({ sockets: 1, expired: [] }); // renewed in time, never reconnected
    } finally {
      await short.close();
    }
  }, 60_000);
});

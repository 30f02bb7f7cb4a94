import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { bearer, createSession, inviteNew, register, type Person } from './support/people';
import { buildWebClientInto, launchChromium, shows } from './support/web-client';

/**
 * The page follows a sign-in's end, in headless Chromium: a person signed in on a laptop and a
 * phone, both in the session, ends the phone's sign-in from the account page — the phone's page
 * signs out at once and says the sign-in has ended — then deletes the account (password typed
 * again, the box ticked) and the laptop's page signs out too. Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

/** Waits (bounded) until the locator matches `n` elements. */
async function countIs(l: Locator, n: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await l.count();
    if (count === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} matches, found ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

withBrowser('the account page: sign-ins end, the account is deleted, pages follow', () => {
  let app: TestApp;
  let browser: Browser;
  let webDir: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let member: Person;
  let title: string;

  /** Signs in through the page, as a returning person does; `open`: then opens the session from the list. */
  const signIn = async (who: Person, open: boolean): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    contexts.push(context);
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(app.url);
    await p.getByLabel('E-mail').fill(who.email);
    await p.getByLabel('Password').fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await shows(p.getByRole('link', { name: title }));
    if (open) {
      await p.getByRole('link', { name: title }).click();
      await shows(p.getByTestId('connection'), 'Connected', 20_000);
    }
    return p;
  };

  beforeAll(async () => {
    webDir = buildWebClientInto(mkdtempSync(join(tmpdir(), 'parley-web-account-')));
    app = await startApp({ JANUS_BINARY: 'none', WEB_DIR: webDir });
    browser = await launchChromium();
    const lead = await register(app, 'Maria Mediator');
    const session = await createSession(app, lead, ['North']);
    title = session.title;
    await app.http().post(`/api/sessions/${session.id}/status`).set(bearer(lead)).send({ status: 'open' }).expect(200);
    member = await inviteNew(app, lead, session.id, 'Ana North', { role: 'party_member', partyId: session.parties[0].id });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
    rmSync(webDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('ends the phone’s sign-in from the laptop’s account page; the phone signs out and says why', async () => {
    // The phone is in the session (the laptop stays on the list: one page per participant is live in a session).
    const phone = await signIn(member, true);
    const laptop = await signIn(member, false);
    await laptop.getByRole('link', { name: member.name }).click();
    await shows(laptop.getByRole('heading', { name: 'Where you are signed in' }));
    const rows = laptop.getByRole('region', { name: 'Where you are signed in' }).getByRole('listitem');
    // The invitation's sign-in, the phone's and the laptop's; only the laptop's is this device.
    await countIs(rows, 3);
    await countIs(rows.filter({ hasText: 'This device' }), 1);
    // Each End reloads the list: the others are ended one at a time.
    for (let left = 2; left > 0; left--) {
      await rows.filter({ hasNotText: 'This device' }).first().getByRole('button', { name: 'End' }).click();
      await countIs(rows, left);
    }
    await shows(phone.getByText('Your sign-in has ended: sign in again to carry on.'), undefined, 20_000);
    await shows(phone.getByRole('button', { name: 'Sign in' }));
    // The laptop is still signed in, and back in the session.
    await laptop.getByRole('link', { name: 'Parley' }).click();
    await laptop.getByRole('link', { name: title }).click();
    await shows(laptop.getByTestId('connection'), 'Connected', 20_000);
  }, 120_000);

  it('deletes the account with the password typed again and the box ticked; the page signs out', async () => {
    const laptop = contexts[1].pages()[0];
    await laptop.getByRole('link', { name: member.name }).click();
    const remove = laptop.getByRole('button', { name: 'Delete my account' });
    await laptop.getByLabel('Your password').fill(member.password);
    // Not without the confirmation.
    expect(await remove.isDisabled()).toBe(true);
    await laptop.getByLabel('I understand that my account will be deleted').check();
    await remove.click();
    await shows(laptop.getByRole('button', { name: 'Sign in' }), undefined, 20_000);
    expect((await app.http().get('/api/auth/me').set(bearer(member)).expect(401)).body.code).toBe('TOKEN_INVALID');
  }, 120_000);
});

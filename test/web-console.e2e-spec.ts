import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { acceptWithNewAccount, admitFromLobby, signUpAndCreateSession } from './support/web-people';
import { accessibilityViolations, buildWebClientInto, launchChromium, SCREENSHOTS, shows, takeCspViolations } from './support/web-client';

/**
 * The mediator's console for placing people and inviting them (issue 12, items 1–3), in headless
 * Chromium, one browser context per person, by clicking and typing only: the mediator invites four
 * named people (two per delegation) and one more whose invitation is revoked; the list survives a
 * reload; the revoked link is refused when opened; the delegations arrive and are admitted; one
 * click seats each delegation in its caucus, another reconvenes the plenary; the room order is the
 * same on every page; heads of delegation show as such; axe-core finds nothing serious.
 * Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

const PASSWORD = 'correct horse battery';
const EXPECTED_ORDER = ['Plenary', 'Mediators’ room', 'Caucus — North', 'Caucus — South'];

withBrowser('the console: invitations as people, placing delegations with one action, one room order', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let mediator: Page;
  const delegates: Record<string, Page> = {};
  const links: Record<string, string> = {};
  let sessionId = '';

  const newPage = async (who: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    // Revoking asks for confirmation.
    page.on('dialog', (d) => void d.accept());
    return page;
  };
  const see = (l: Locator, text?: string | RegExp) => shows(l, text, 20_000);
  const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  const invitationRow = (name: string) =>
    mediator.locator('.invitations-list > li', { has: mediator.locator('bdi.name', { hasText: name }) });
  const roomHeadings = (page: Page) => page.locator('.board ul.rooms > li h3').allInnerTexts();
  const lead = async () =>
    (await app.http().post('/api/auth/login').send({ email: 'maria@parley.test', password: PASSWORD }).expect(200)).body.accessToken;
  const presence = async () => {
    const res = await app
      .http()
      .get(`/api/sessions/${sessionId}/presence`)
      .set({ Authorization: `Bearer ${await lead()}` })
      .expect(200);
    const at: Record<string, string> = {};
    for (const r of res.body.rooms)
      for (const o of r.occupants) at[o.displayName] = r.room.kind === 'caucus' ? `caucus:${r.room.name}` : r.room.kind;
    return at;
  };

  beforeAll(async () => {
    // A build of its own: another suite rebuilding dist/web meanwhile cannot take the pages away.
    const webDir = buildWebClientInto(join(mkdtempSync(join(tmpdir(), 'parley-web-console-')), 'web'));
    app = await startApp({ WEB_DIR: webDir });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
  });

  let failed: string | null = null;
  beforeEach(() => {
    if (failed) throw new Error(`not run: the step "${failed}" failed`);
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    const csp = takeCspViolations();
    expect({ errors, csp }).toEqual({ errors: [], csp: [] });
  });
  const step = (name: string, body: () => Promise<void>, timeoutMs = 120_000) =>
    it(
      name,
      async () => {
        try {
          await body();
        } catch (e) {
          failed = name;
          if (mediator) await shot(mediator, 'console-failed-mediator').catch(() => undefined);
          for (const [who, page] of Object.entries(delegates)) await shot(page, `console-failed-${who}`).catch(() => undefined);
          throw e;
        }
      },
      timeoutMs,
    );

  /** The mediator names the person, chooses their role (and delegation), and makes the link. */
  const invite = async (name: string, role: string, party?: string, head = false) => {
    await mediator.getByLabel('Name of the person').fill(name);
    await mediator.getByLabel('Role', { exact: true }).selectOption({ label: role });
    if (party) await mediator.getByLabel('Delegation', { exact: true }).selectOption({ label: party });
    if (party) await mediator.getByRole('checkbox', { name: 'Head of delegation' }).setChecked(head);
    await mediator.getByRole('button', { name: 'Create invitation link' }).click();
    const row = invitationRow(name);
    await see(row.getByTestId('invitation-link'));
    await see(row, 'Pending');
    const url = new URL(await row.getByTestId('invitation-link').inputValue());
    links[name] = `${app.url}${url.pathname}`;
  };

  step('the mediator invites four named people and one more, and copies a link with visible feedback', async () => {
    mediator = await newPage('mediator');
    const sessionUrl = await signUpAndCreateSession(mediator, app.url, {
      name: 'Maria Mediator',
      email: 'maria@parley.test',
      password: PASSWORD,
      title: 'Border talks',
      parties: ['North', 'South'],
      coolingOffMinutes: 0,
    });
    sessionId = sessionUrl.split('/').at(-1)!;
    await mediator.getByRole('button', { name: 'Open the session' }).click();
    await see(mediator.getByTestId('session-status'), 'Open');

    await invite('Ana North', 'Delegation member', 'North', true);
    await invite('Ali North', 'Delegation member', 'North');
    await invite('Bea South', 'Delegation member', 'South', true);
    await invite('Ben South', 'Delegation member', 'South');
    await invite('Zed Withdrawn', 'Observer');
    // Two links for the same delegation no longer look alike: each row names its person.
    await see(invitationRow('Ana North'), 'Head of delegation');
    await see(invitationRow('Ali North'), 'Delegation member');

    await invitationRow('Ana North').getByRole('button', { name: 'Copy link — Ana North' }).click();
    await see(mediator.getByTestId('copy-status'), 'Copied');
    expect(await mediator.getByTestId('copy-status').getAttribute('aria-live')).toBe('polite');
    const copied = await mediator.evaluate(() => (globalThis as any).navigator.clipboard.readText());
    expect(copied).toMatch(/\/invitations\/[A-Za-z0-9_-]{43}$/);
  });

  step('the invitations survive a reload; one is revoked and its link is then refused', async () => {
    await mediator.reload();
    for (const name of ['Ana North', 'Ali North', 'Bea South', 'Ben South', 'Zed Withdrawn']) await see(invitationRow(name), 'Pending');
    await invitationRow('Zed Withdrawn').getByRole('button', { name: 'Revoke — Zed Withdrawn' }).click();
    await see(invitationRow('Zed Withdrawn'), 'Revoked');
    await mediator.reload();
    await see(invitationRow('Zed Withdrawn'), 'Revoked');

    const zed = await newPage('zed');
    await zed.goto(links['Zed Withdrawn']);
    await see(zed.locator('[data-code="INVITATION_REVOKED"]'), 'withdrew this invitation');
    await zed.context().close();
  });

  step('the four accept and are admitted to the plenary; heads of delegation show as such', async () => {
    for (const name of ['Ana North', 'Ali North', 'Bea South', 'Ben South']) {
      const page = await newPage(name);
      const key = name.split(' ')[0].toLowerCase();
      await acceptWithNewAccount(page, links[name], {
        name,
        email: `${key}@parley.test`,
        password: PASSWORD,
        expect: ['Border talks'],
        timeoutMs: 20_000,
      });
      await see(page.getByTestId('lobby-wait'), 'You are in the lobby');
      delegates[key] = page;
    }
    for (const name of ['Ana North', 'Ali North', 'Bea South', 'Ben South']) await admitFromLobby(mediator, name, 'Plenary');
    for (const page of Object.values(delegates)) await see(page.getByTestId('current-room'), 'Plenary');

    const plenary = mediator.getByRole('listitem', { name: 'Plenary', exact: true });
    const personIn = (name: string) => plenary.locator('li', { has: mediator.locator('bdi.name', { hasText: name }) });
    await see(personIn('Ana North').locator('.role-badge'), 'Head of delegation');
    await see(personIn('Bea South').locator('.role-badge'), 'Head of delegation');
    await see(personIn('Ali North').locator('.role-badge'), 'Delegation member');
    // Each party's mark, the same colour for both members of a delegation and another for the other.
    const swatch = (name: string) =>
      personIn(name)
        .locator('.party-swatch')
        .evaluate((e) => (globalThis as any).getComputedStyle(e).backgroundColor);
    expect(await swatch('Ana North')).toBe(await swatch('Ali North'));
    expect(await swatch('Bea South')).toBe(await swatch('Ben South'));
    expect(await swatch('Ana North')).not.toBe(await swatch('Bea South'));
    await see(invitationRow('Ana North'), 'Accepted by Ana North');
  });

  step('one click seats each delegation in its caucus; another reconvenes the plenary', async () => {
    await mediator.getByRole('button', { name: 'Each delegation to its caucus' }).click();
    await see(delegates.ana.getByTestId('current-room'), 'Caucus — North');
    await see(delegates.ali.getByTestId('current-room'), 'Caucus — North');
    await see(delegates.bea.getByTestId('current-room'), 'Caucus — South');
    await see(delegates.ben.getByTestId('current-room'), 'Caucus — South');
    expect(await presence()).toMatchObject({
      'Ana North': 'caucus:Caucus — North',
      'Ali North': 'caucus:Caucus — North',
      'Bea South': 'caucus:Caucus — South',
      'Ben South': 'caucus:Caucus — South',
    });
    // A Move list starts on the room the person was last in (the plenary here), never another party's caucus.
    const where = mediator.getByLabel('Room for Ali North');
    expect(await where.locator('option:checked').innerText()).toBe('Plenary');
    expect(await where.locator('option', { hasText: 'Caucus — South' }).count()).toBe(0);

    await mediator.getByRole('button', { name: 'Everyone to the plenary' }).click();
    for (const page of Object.values(delegates)) await see(page.getByTestId('current-room'), 'Plenary');
    expect(Object.values(await presence()).every((r) => r === 'plenary')).toBe(true);
  });

  step('several people selected move together; a selection with someone not allowed moves nobody and names them', async () => {
    await mediator.getByRole('checkbox', { name: 'Select Ana North' }).check();
    await mediator.getByRole('checkbox', { name: 'Select Bea South' }).check();
    await mediator.getByLabel('Room for the people selected').selectOption({ label: 'Caucus — North' });
    await mediator.getByRole('button', { name: 'Move the people selected' }).click();
    await see(mediator.getByTestId('bulk-refused'), 'Bea South');
    expect(await presence()).toMatchObject({ 'Ana North': 'plenary', 'Bea South': 'plenary' });

    await mediator.getByRole('checkbox', { name: 'Select Bea South' }).uncheck();
    await mediator.getByRole('checkbox', { name: 'Select Ali North' }).check();
    await mediator.getByRole('button', { name: 'Move the people selected' }).click();
    await see(delegates.ana.getByTestId('current-room'), 'Caucus — North');
    await see(delegates.ali.getByTestId('current-room'), 'Caucus — North');
    await mediator.getByRole('button', { name: 'Everyone to the plenary' }).click();
    await see(delegates.ali.getByTestId('current-room'), 'Plenary');
  });

  step('the rooms are in the same order on every page and after a reload, as the server lists them', async () => {
    const view = (
      await app
        .http()
        .get(`/api/sessions/${sessionId}`)
        .set({ Authorization: `Bearer ${await lead()}` })
        .expect(200)
    ).body;
    expect(view.rooms.map((r: any) => r.kind)).toEqual(['plenary', 'mediator', 'caucus', 'caucus']);
    expect(await roomHeadings(mediator)).toEqual(EXPECTED_ORDER);
    const picker = await mediator.getByLabel('Chat in').locator('option').allInnerTexts();
    expect(picker.map((o) => o.replace(/ \(you are here\)$/, ''))).toEqual(EXPECTED_ORDER);
    // A second page of the same mediator (another device), and the first after a reload.
    const second = await newPage('mediator-2');
    await second.goto(app.url);
    await second.getByLabel('E-mail').fill('maria@parley.test');
    await second.getByLabel('Password').fill(PASSWORD);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByRole('link', { name: 'Border talks' }).click();
    await see(second.locator('.board ul.rooms > li h3').first());
    expect(await roomHeadings(second)).toEqual(EXPECTED_ORDER);
    await second.context().close();
    await mediator.reload();
    await see(mediator.locator('.board ul.rooms > li h3').first());
    expect(await roomHeadings(mediator)).toEqual(EXPECTED_ORDER);
  });

  step('axe-core finds nothing serious on the console, in English and in Arabic', async () => {
    await see(invitationRow('Ana North'));
    expect(await accessibilityViolations(mediator)).toEqual([]);
    await shot(mediator, 'console-en');
    await mediator
      .getByLabel(/Language|Langue|اللغة/)
      .first()
      .selectOption('ar');
    await see(mediator.getByRole('button', { name: 'كل وفد إلى غرفته الخاصة' }));
    expect(await accessibilityViolations(mediator)).toEqual([]);
    await shot(mediator, 'console-ar');
  });
});

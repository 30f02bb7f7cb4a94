import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { acceptWithNewAccount, admitFromLobby, signUpAndCreateSession } from './support/web-people';
import { accessibilityViolations, buildWebClientInto, launchChromium, SCREENSHOTS, shows, takeCspViolations } from './support/web-client';

/**
 * Speaking order and time (issue 12, items 4 and 6), in headless Chromium, one browser context per
 * person, by clicking only: a delegation member in a caucus raises a hand, then two members of
 * both parties in the plenary; the mediator's console shows each room's hands in order without
 * entering the rooms, and lowers one; the mediator sets a two-minute clock on the plenary and every
 * page in the plenary (delegation member, observer, mediator) shows the same time left, read at the
 * same instant; moving someone whose hand is up takes it out of the queue. axe-core finds nothing
 * serious, in English and Arabic. Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

const PASSWORD = 'correct horse battery';

withBrowser('the floor: hands in order to the console, the mediator’s clock on every page', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let mediator: Page;
  const people: Record<'ana' | 'ali' | 'bea' | 'olga', Page> = {} as never;

  const newPage = async (who: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    return page;
  };
  const see = (l: Locator, text?: string | RegExp) => shows(l, text, 20_000);
  const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** A room on the mediator's board. */
  const boardRoom = (name: string) => mediator.getByRole('listitem', { name, exact: true });
  /** The names in a room's queue of hands on the board, in order. */
  const queueOn = (room: string) => boardRoom(room).locator('ol.hands-queue > li bdi.name').allInnerTexts();
  const waitForQueue = async (room: string, expected: string[]) => {
    const end = Date.now() + 20_000;
    for (;;) {
      const now = await queueOn(room);
      if (JSON.stringify(now) === JSON.stringify(expected)) return;
      if (Date.now() > end) throw new Error(`queue of ${room}: expected ${expected.join(', ')}, got ${now.join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const move = async (name: string, room: string) => {
    await mediator.getByLabel(`Room for ${name}`).selectOption({ label: room });
    await mediator.getByRole('button', { name: `Move — ${name}` }).click();
  };
  /** The mediator names the person, chooses their role (and delegation), and makes the link (as web-console does). */
  const invite = async (name: string, role: string, party: string | undefined, head: boolean): Promise<string> => {
    await mediator.getByLabel('Name of the person').fill(name);
    await mediator.getByLabel('Role', { exact: true }).selectOption({ label: role });
    if (party) await mediator.getByLabel('Delegation', { exact: true }).selectOption({ label: party });
    if (party) await mediator.getByRole('checkbox', { name: 'Head of delegation' }).setChecked(head);
    await mediator.getByRole('button', { name: 'Create invitation link' }).click();
    const row = mediator.locator('.invitations-list > li', { has: mediator.locator('bdi.name', { hasText: name }) });
    await see(row.getByTestId('invitation-link'));
    return `${app.url}${new URL(await row.getByTestId('invitation-link').inputValue()).pathname}`;
  };
  const raiseHand = (page: Page) => page.getByRole('button', { name: 'Raise hand' }).click();

  beforeAll(async () => {
    // A build of its own: another suite rebuilding dist/web meanwhile cannot take the pages away.
    const webDir = buildWebClientInto(join(mkdtempSync(join(tmpdir(), 'parley-web-floor-')), 'web'));
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
          if (mediator) await shot(mediator, 'floor-failed-mediator').catch(() => undefined);
          for (const [who, page] of Object.entries(people)) await shot(page, `floor-failed-${who}`).catch(() => undefined);
          throw e;
        }
      },
      timeoutMs,
    );

  step('a mediator seats two delegations and an observer in the plenary, and one member in her caucus', async () => {
    mediator = await newPage('mediator');
    await signUpAndCreateSession(mediator, app.url, {
      name: 'Maria Mediator',
      email: 'maria@parley.test',
      password: PASSWORD,
      title: 'Border talks',
      parties: ['North', 'South'],
      coolingOffMinutes: 0,
    });
    await mediator.getByRole('button', { name: 'Open the session' }).click();
    await see(mediator.getByTestId('session-status'), 'Open');
    const invitees = [
      ['ana', 'Ana North', 'Delegation member', 'North', true],
      ['ali', 'Ali North', 'Delegation member', 'North', false],
      ['bea', 'Bea South', 'Delegation member', 'South', true],
      ['olga', 'Olga Observer', 'Observer', undefined, false],
    ] as const;
    for (const [key, name, role, party, head] of invitees) {
      const link = await invite(name, role, party, head);
      const page = await newPage(key);
      await acceptWithNewAccount(page, link, { name, email: `${key}@parley.test`, password: PASSWORD, expect: ['Border talks'] });
      await see(page.getByTestId('lobby-wait'), 'You are in the lobby');
      people[key] = page;
    }
    for (const [, name] of invitees) await admitFromLobby(mediator, name, 'Plenary');
    for (const page of Object.values(people)) await see(page.getByTestId('current-room'), 'Plenary');
    await move('Ana North', 'Caucus — North');
    await see(people.ana.getByTestId('current-room'), 'Caucus — North');
    // The observer is never offered a hand.
    await see(people.olga.getByTestId('current-room'), 'Plenary');
    expect(await people.olga.getByRole('button', { name: 'Raise hand' }).count()).toBe(0);
  });

  step('hands raised in a caucus and in the plenary reach the console in order, without the mediator entering', async () => {
    await raiseHand(people.ana);
    await see(people.ana.getByRole('button', { name: 'Lower hand' }));
    await see(people.ana.locator('.hand-toggle'), 'number 1 in the queue');
    await raiseHand(people.bea);
    await see(people.bea.getByRole('button', { name: 'Lower hand' }));
    await raiseHand(people.ali);
    await see(people.ali.locator('.hand-toggle'), 'number 2 in the queue');

    await waitForQueue('Caucus — North', ['Ana North']);
    await waitForQueue('Plenary', ['Bea South', 'Ali North']);
    // The mediator is in none of these rooms: each still offers "Go here".
    for (const room of ['Plenary', 'Caucus — North']) await see(boardRoom(room).getByRole('button', { name: `Go here — ${room}` }));
    // Everyone in the plenary sees its queue; nothing of the caucus's.
    await see(people.olga.locator('ol.hands-queue'), 'Bea South');
    expect(await people.olga.locator('ol.hands-queue').innerText()).not.toContain('Ana North');
    expect(await people.bea.locator('ol.hands-queue').innerText()).not.toContain('Ana North');
  });

  step('the mediator lowers one hand; the queue closes up', async () => {
    await boardRoom('Plenary').getByRole('button', { name: 'Lower the hand of Bea South' }).click();
    await waitForQueue('Plenary', ['Ali North']);
    await see(people.bea.getByRole('button', { name: 'Raise hand' }));
    await see(people.ali.locator('.hand-toggle'), 'number 1 in the queue');
  });

  step('a two-minute clock on the plenary shows the same time left on every page in it, and on the console', async () => {
    const plenary = boardRoom('Plenary');
    await plenary.getByText('Clock for Plenary').click();
    await plenary.getByLabel('Minutes', { exact: true }).fill('2');
    await plenary.getByLabel('Seconds', { exact: true }).fill('0');
    await plenary.getByLabel('Purpose', { exact: true }).selectOption({ label: 'Speaking time' });
    await plenary.getByLabel('Label (optional)', { exact: true }).fill('North’s reply');
    await plenary.getByRole('button', { name: 'Start the clock in Plenary' }).click();

    const clocks: Array<[string, Locator]> = [
      ['ali', people.ali.getByRole('timer')],
      ['bea', people.bea.getByRole('timer')],
      ['olga', people.olga.getByRole('timer')],
      ['mediator', plenary.getByRole('timer')],
    ];
    for (const [, l] of clocks) await see(l);
    // The caucus has no clock.
    expect(await people.ana.getByRole('timer').count()).toBe(0);
    // Read at the same instant on every page.
    const read = () =>
      Promise.all(
        clocks.map(async ([who, l]) => ({ who, left: Number(await l.getAttribute('data-seconds-left')), text: await l.innerText() })),
      );
    const now = await read();
    const lefts = now.map((r) => r.left);
    expect(Math.max(...lefts) - Math.min(...lefts)).toBeLessThanOrEqual(1);
    for (const r of now) {
      expect(r.left).toBeGreaterThan(100);
      expect(r.left).toBeLessThanOrEqual(120);
      expect(r.text).toMatch(/^[12]:[0-5]\d$/);
    }
    // It counts down.
    // Read again until every page has ticked at least a second down (bounded: 5 s).
    let later = await read();
    for (const until = Date.now() + 5_000; later.some((r, i) => now[i].left - r.left < 1) && Date.now() < until; later = await read())
      await new Promise((r) => setTimeout(r, 100));
    for (const [i, r] of later.entries()) expect(now[i].left - r.left).toBeGreaterThanOrEqual(1);
    expect(await people.olga.getByRole('timer').getAttribute('aria-label')).toMatch(/^Speaking time — North’s reply: [12]:\d\d left$/);
    await shot(people.olga, 'floor-observer-clock');
    await shot(mediator, 'floor-console');
  });

  step('moving someone whose hand is up takes it out of the queue', async () => {
    await move('Ali North', 'Caucus — North');
    await see(people.ali.getByTestId('current-room'), 'Caucus — North');
    await waitForQueue('Plenary', []);
    await waitForQueue('Caucus — North', ['Ana North']);
    await see(people.ali.getByRole('button', { name: 'Raise hand' }));
    // Out of the plenary, its clock is gone from Ali's page; the caucus has none.
    expect(await people.ali.getByRole('timer').count()).toBe(0);
  });

  step('the mediator stops the clock; axe-core finds nothing serious, in English and in Arabic', async () => {
    await boardRoom('Plenary').getByRole('button', { name: 'Stop the clock in Plenary' }).click();
    await people.olga.getByRole('timer').waitFor({ state: 'detached' });
    await raiseHand(people.bea);
    await waitForQueue('Plenary', ['Bea South']);
    for (const page of [mediator, people.bea]) expect(await accessibilityViolations(page)).toEqual([]);
    // On a phone (390 px wide) the floor fits the screen: Raise hand on the delegate's page, the board's floor on the console.
    for (const [page, selector] of [
      [people.bea, '.room-floor'],
      [mediator, '.board-floor'],
    ] as const) {
      await page.setViewportSize({ width: 390, height: 844 });
      const right = await page.locator(selector).evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
      expect(right).toBeLessThanOrEqual(390);
    }
    await shot(people.bea, 'floor-delegation-phone');
    for (const page of [mediator, people.bea]) await page.setViewportSize({ width: 1440, height: 1000 });
    for (const page of [mediator, people.bea]) {
      await page.getByRole('combobox', { name: /^(Language|Langue|اللغة)$/ }).selectOption('ar');
    }
    await see(people.bea.getByRole('button', { name: 'خفض اليد' }));
    for (const page of [mediator, people.bea]) expect(await accessibilityViolations(page)).toEqual([]);
    await shot(people.bea, 'floor-delegation-ar');
  });
});

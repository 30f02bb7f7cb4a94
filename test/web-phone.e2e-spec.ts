import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { acceptWithNewAccount, admitFromLobby, inviteFromConsole, signUpAndCreateSession } from './support/web-people';
import { accessibilityViolations, buildWebClientInto, launchChromium, SCREENSHOTS, shows, takeCspViolations } from './support/web-client';

// Browser globals, for the functions this file runs inside pages (page.evaluate / waitForFunction).
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: unknown): any;

/**
 * Parley on a phone (issue 12, item 8), in headless Chromium on mediasoup: the mediator runs the
 * session from a desktop with two delegations; a member of North and the observer each use a
 * phone-sized touch context (390 × 844, isMobile, hasTouch, device scale 3, a phone's user agent).
 * Both decode video, the member chats and writes to the mediator by tapping, the observer reads the
 * chat and has nothing to write with; no page is wider than the phone; every control is a 44 px
 * tap target. The mediator then takes the console on a phone: admits, moves, conveys from the
 * queue. Last, axe-core on every page (sign-in, sessions list, account, invitation, console,
 * delegation view, observer view, closed session) in English and Arabic, at desktop and phone
 * sizes. Screenshots: test-artifacts/web/phone-*.png. Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace(), lacks.mediasoup());

const PASSWORD = 'correct horse battery';
const TITLE = 'Pocket talks';
const CHAT_LINE = 'Typed on a phone: we are ready when you are.';
const SHUTTLE_LINE = 'From the phone: a twelve-year lease would work for North.';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
/** An iPhone's Safari, as Playwright's 'iPhone 13' descriptor has it (390 × 844 too): the page must not depend on the browser it claims to be. */
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1';
const phoneContext: BrowserContextOptions = {
  viewport: PHONE,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
  userAgent: PHONE_UA,
};
const iPhoneContext: BrowserContextOptions = { ...phoneContext, userAgent: IPHONE_UA };

withBrowser('Parley on a phone: the delegation and observer views, the console, accessibility in English and Arabic', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let mediator: Page; // desktop
  let ana: Page; // North, head, on a phone
  let bea: Page; // South, head, desktop
  let olu: Page; // observer, on a phone
  let ali: Page; // North, arrives late (admitted from the phone console)
  let phoneConsole: Page; // the mediator's second device
  const links: Record<string, string> = {};
  let sessionUrl = '';

  const newPage = async (who: string, options: BrowserContextOptions = { viewport: DESKTOP }): Promise<Page> => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'], locale: 'en-GB', ...options });
    context.setDefaultTimeout(30_000);
    // Pages load slowly when other suites share the machine's two cores.
    context.setDefaultNavigationTimeout(90_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    return page;
  };
  // A whole phone page at device scale 3 is a large picture: slow to take on a busy machine.
  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage, timeout: 60_000 });
  const see = (l: Parameters<typeof shows>[0], text?: string | RegExp, timeout = 20_000) => shows(l, text, timeout);

  /** How much wider than its viewport the page is (0 when nothing scrolls sideways). */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const over = document.documentElement.scrollWidth - window.innerWidth;
      if (over <= 0) return { over: 0, widest: [] as string[] };
      // What sticks out, for whoever reads the failure.
      const widest = [...document.querySelectorAll('body *')]
        .filter((e: any) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
        })
        .slice(0, 8)
        .map((e: any) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().width)}px`);
      return { over, widest };
    });
  const fitsThePhone = async (page: Page, who: string) => {
    expect({ who, ...(await overflow(page)) }).toEqual({ who, over: 0, widest: [] });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  };
  /**
   * Every control one can tap (buttons, fields, tabs, the header's links; a checkbox or radio by its
   * label) that is smaller than 44 × 44 px. The sign-out of the header included.
   */
  const smallTargets = (page: Page) =>
    page.evaluate(() => {
      const visible = (e: any) => {
        const r = e.getBoundingClientRect();
        const s = getComputedStyle(e);
        return r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && s.display !== 'none' && !e.closest('.sr-only,[hidden]');
      };
      const controls = [...document.querySelectorAll('button, select, textarea, input, [role="tab"], header a, nav a')] as any[];
      const small: string[] = [];
      for (const c of controls) {
        const target = c.matches('input[type="checkbox"], input[type="radio"]') ? (c.closest('label') ?? c) : c;
        if (target.matches('input[type="checkbox"], input[type="radio"]') && !visible(target)) continue;
        if (!visible(target)) continue;
        const r = target.getBoundingClientRect();
        if (r.height < 43.5 || r.width < 43.5)
          small.push(
            `${c.tagName.toLowerCase()} "${(c.getAttribute('aria-label') ?? c.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
          );
      }
      return small;
    });
  /** A remote tile of `name` plays: its video knows its size, and the frames it decoded go up. */
  const playsVideoOf = async (page: Page, name: string, timeoutMs = 30_000) => {
    const sample = () =>
      page.evaluate((who) => {
        const f = [...document.querySelectorAll('figure.tile')].find((x: any) =>
          (x.querySelector('figcaption')?.textContent ?? '').includes(who),
        );
        const v = f?.querySelector('video');
        if (!v) return null;
        return {
          width: v.videoWidth as number,
          frames: (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) as number,
          paused: v.paused as boolean,
          ready: v.readyState as number,
        };
      }, name);
    const end = Date.now() + timeoutMs;
    let last: Awaited<ReturnType<typeof sample>> = null;
    while (Date.now() < end) {
      last = await sample();
      if (last && last.width > 0 && last.frames > 0) {
        // Frames keep coming: sampled every 100 ms until the count rises (within 1.5 s).
        let later = await sample();
        for (const until = Date.now() + 1_500; later && later.frames <= last.frames && Date.now() < until; later = await sample())
          await new Promise((r) => setTimeout(r, 100));
        if (later && later.frames > last.frames) return { width: last.width, framesIn1500ms: later.frames - last.frames };
        last = later;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const state = await page.evaluate(() => ({
      failed: document.querySelector('[data-testid="media-failed"]')?.textContent ?? null,
      tiles: [...document.querySelectorAll('figure.tile figcaption')].map((c: any) => c.textContent),
    }));
    throw new Error(`no video of ${name} playing: ${JSON.stringify({ last, ...state })}`);
  };
  const toArabic = async (page: Page) => {
    await openMenu(page);
    await page
      .getByLabel(/^(Language|اللغة|Langue)$/)
      .first()
      .selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar');
    await closeMenu(page);
  };
  const toEnglish = async (page: Page) => {
    await openMenu(page);
    await page
      .getByLabel(/^(Language|اللغة|Langue)$/)
      .first()
      .selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr' && document.documentElement.lang === 'en');
    await closeMenu(page);
  };
  /** On a phone the header's less urgent tools (language, account, sign out) sit behind a menu button. */
  const menuButton = (page: Page) => page.locator('header button.menu-toggle');
  const openMenu = async (page: Page) => {
    const b = menuButton(page);
    if ((await b.isVisible()) && (await b.getAttribute('aria-expanded')) !== 'true') await b.click();
  };
  const closeMenu = async (page: Page) => {
    const b = menuButton(page);
    if ((await b.isVisible()) && (await b.getAttribute('aria-expanded')) === 'true') await b.click();
  };

  beforeAll(async () => {
    // A build of its own: another suite rebuilding dist/web meanwhile cannot take the pages away.
    const webDir = buildWebClientInto(join(mkdtempSync(join(tmpdir(), 'parley-web-phone-')), 'web'));
    app = await startApp({ WEB_DIR: webDir, MEDIA_SFU: 'mediasoup' });
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
  const step = (name: string, body: () => Promise<void>, timeoutMs = 240_000) =>
    it(
      name,
      async () => {
        try {
          await body();
        } catch (e) {
          failed = name;
          // Said at once: the screenshots after it may outlast the step's time on a busy machine.
          console.error(`step "${name}" failed: ${(e as Error).message}`);
          const people = { phoneConsole, ana, olu, bea, mediator, ali };
          for (const [who, page] of Object.entries(people))
            if (page && !page.isClosed()) await shot(page, `phone-failed-${who}`, false).catch(() => undefined);
          throw e;
        }
      },
      timeoutMs,
    );

  step('the mediator (desktop) opens a session with two delegations and invites them by name', async () => {
    mediator = await newPage('mediator');
    sessionUrl = await signUpAndCreateSession(mediator, app.url, {
      name: 'Maria Mediator',
      email: 'maria@parley.test',
      password: PASSWORD,
      title: TITLE,
      parties: ['North', 'South'],
      coolingOffMinutes: 0,
    });
    await mediator.getByRole('button', { name: 'Open the session' }).click();
    await see(mediator.getByTestId('session-status'), 'Open');

    // The person's name is required: without it nothing is made, and the field says why.
    const before = await mediator.locator('.invitations-list > li').count();
    await mediator.getByLabel('Name of the person').fill('   ');
    await mediator.getByRole('button', { name: 'Create invitation link' }).click();
    await see(mediator.getByTestId('invite-name-error'), 'Write the name of the person');
    expect(await mediator.getByLabel('Name of the person').getAttribute('aria-invalid')).toBe('true');
    expect(await mediator.getByLabel('Name of the person').getAttribute('aria-required')).toBe('true');
    expect(await mediator.locator('.invitations-list > li').count()).toBe(before);

    const invite = async (key: string, name: string, role: string, party?: string, head = false) => {
      links[key] = await inviteFromConsole(mediator, app.url, { name, role, party, head });
      await see(mediator.locator('.invitations-list > li', { has: mediator.locator('bdi.name', { hasText: name }) }), 'Pending');
    };
    await invite('ana', 'Ana North', 'Delegation member', 'North', true);
    expect(await mediator.getByTestId('invite-name-error').count()).toBe(0);
    await invite('bea', 'Bea South', 'Delegation member', 'South', true);
    await invite('olu', 'Olu Observer', 'Observer');
    await invite('ali', 'Ali North', 'Delegation member', 'North');
    // One left pending: its page is checked for accessibility at the end.
    await invite('pat', 'Pat Pending', 'Observer');
  });

  step('a member of North and the observer accept on phones, South on a desktop; all are admitted to the plenary', async () => {
    const accept = async (key: string, name: string, options?: BrowserContextOptions) => {
      const page = await newPage(name, options);
      await acceptWithNewAccount(page, links[key], {
        name,
        email: `${key}@parley.test`,
        password: PASSWORD,
        expect: [TITLE],
        timeoutMs: 20_000,
      });
      await see(page.getByTestId('lobby-wait'), 'You are in the lobby');
      return page;
    };
    ana = await accept('ana', 'Ana North', phoneContext);
    olu = await accept('olu', 'Olu Observer', iPhoneContext);
    bea = await accept('bea', 'Bea South');
    // The lobby page on a phone already fits it.
    await fitsThePhone(ana, 'ana in the lobby');
    for (const name of ['Ana North', 'Olu Observer', 'Bea South']) await admitFromLobby(mediator, name, 'Plenary');
    for (const page of [ana, olu, bea]) await see(page.getByTestId('current-room'), 'Plenary');
    // The mediator sits in the plenary too (a media seat the phone will take over later).
    await mediator.getByRole('button', { name: 'Go here — Plenary' }).click();
    await see(mediator.getByRole('listitem', { name: 'Plenary', exact: true }), 'you are here');
  });

  step('on the phones, video decodes: the member and the observer each play a remote tile', async () => {
    const atAna = await playsVideoOf(ana, 'Bea South');
    const atOlu = await playsVideoOf(olu, 'Ana North');
    expect(atAna.width).toBeGreaterThan(0);
    expect(atOlu.width).toBeGreaterThan(0);
    expect(atAna.framesIn1500ms).toBeGreaterThan(0);
    expect(atOlu.framesIn1500ms).toBeGreaterThan(0);
    // Opened again without a tap (a reload, a bookmark): no user gesture on the page, which a
    // browser's autoplay policy may hold against a video with sound. The observer, who publishes
    // nothing, still sees the room.
    await olu.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await see(olu.getByTestId('current-room'), 'Plenary');
    const afterReload = await playsVideoOf(olu, 'Ana North');
    expect(afterReload.framesIn1500ms).toBeGreaterThan(0);
    // The video comes first on the phone: its panel starts within the first screen.
    for (const page of [ana, olu]) {
      const top = await page.locator('section.media').evaluate((e: any) => e.getBoundingClientRect().top + window.scrollY);
      expect(top).toBeLessThan(PHONE.height * 0.6);
    }
  });

  step('the member chats and writes to the mediator by tapping; the observer reads the chat and has nothing to write with', async () => {
    await ana.getByLabel('Message to Plenary').fill(CHAT_LINE);
    await ana.getByRole('button', { name: 'Send', exact: true }).tap();
    await see(olu.locator('ol.stream'), CHAT_LINE);
    await see(bea.locator('ol.stream'), CHAT_LINE);
    expect(await olu.locator('textarea, input[type="text"], input:not([type])').count()).toBe(0);
    expect(await olu.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);

    await ana.getByRole('tab', { name: 'To the mediator' }).tap();
    await ana.getByLabel('Message', { exact: true }).fill(SHUTTLE_LINE);
    await ana.getByLabel('May be conveyed to another party').tap();
    await ana.getByLabel('Convey to').selectOption({ label: 'South' });
    await ana.getByRole('button', { name: 'Send to the mediator' }).tap();
    await see(ana.getByTestId('outbox-message').first(), 'With the mediator');
    await see(mediator.getByTestId('queue-message').filter({ hasText: SHUTTLE_LINE }));
  });

  step('the phones do not scroll sideways, every control is a 44 px target, the header stays on screen', async () => {
    for (const [who, page] of [
      ['ana', ana],
      ['olu', olu],
    ] as const) {
      await fitsThePhone(page, who);
      expect({ who, small: await smallTargets(page) }).toEqual({ who, small: [] });
      // The header is sticky: after scrolling to the end it is still at the top of the screen.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForTimeout(200);
      const header = await page.locator('header.topbar').evaluate((e: any) => {
        const r = e.getBoundingClientRect();
        return { top: Math.round(r.top), height: Math.round(r.height) };
      });
      expect(header.top).toBe(0);
      expect(header.height).toBeLessThanOrEqual(120);
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await shot(ana, 'phone-delegation');
    await shot(olu, 'phone-observer');
  });

  step('the mediator on a phone: admits from the lobby, moves someone, conveys a queued message', async () => {
    // Silence: the console's room cards show who speaks ("Speaking: …") and the line comes and goes
    // with Chromium's beeping fake microphones, moving the board's buttons under the finger (a tap
    // then waits for them to stand still). Reported; the steps here are about placing people.
    await ana.getByRole('button', { name: 'Mute', exact: true }).tap();
    await bea.getByRole('button', { name: 'Mute', exact: true }).click();
    ali = await newPage('Ali North');
    await acceptWithNewAccount(ali, links.ali, { name: 'Ali North', email: 'ali@parley.test', password: PASSWORD, expect: [TITLE] });
    await see(ali.getByTestId('lobby-wait'), 'You are in the lobby');

    phoneConsole = await newPage('mediator on a phone', phoneContext);
    await phoneConsole.goto(app.url);
    await phoneConsole.getByLabel('E-mail').fill('maria@parley.test');
    await phoneConsole.getByLabel('Password').fill(PASSWORD);
    await phoneConsole.getByRole('button', { name: 'Sign in' }).tap();
    await phoneConsole.getByRole('link', { name: TITLE }).tap();
    await see(phoneConsole.locator('section.lobby'), 'Ali North');
    await fitsThePhone(phoneConsole, 'console');
    // The phone took the mediator's seat over from the desktop: the plenary's video plays here.
    await playsVideoOf(phoneConsole, 'Ana North');
    await phoneConsole.getByRole('button', { name: 'Mute', exact: true }).tap();
    await shot(phoneConsole, 'phone-console');

    // The console's sections are one tap away on a phone.
    const nav = phoneConsole.getByRole('navigation', { name: 'Console sections' });
    await see(nav);
    await phoneConsole.getByLabel('Room for Ali North').selectOption({ label: 'Plenary' });
    await phoneConsole.getByRole('button', { name: 'Admit — Ali North' }).tap();
    await see(ali.getByTestId('current-room'), 'Plenary');
    await ali.getByRole('button', { name: 'Mute', exact: true }).click();

    // South to its caucus, where what the mediator conveys to South arrives.
    await phoneConsole.getByLabel('Room for Bea South').selectOption({ label: 'Caucus — South' });
    await phoneConsole.getByRole('button', { name: 'Move — Bea South' }).tap();
    await see(bea.getByTestId('current-room'), 'Caucus — South');

    await nav.getByRole('link', { name: /Review queue/ }).tap();
    const item = phoneConsole.getByTestId('queue-message').filter({ hasText: SHUTTLE_LINE });
    await see(item);
    // The jump brought the queue into view, below the sticky header.
    const at = await item.evaluate((e: any) => Math.round(e.getBoundingClientRect().top));
    const headerBottom = await phoneConsole.locator('header.topbar').evaluate((e: any) => Math.round(e.getBoundingClientRect().bottom));
    expect(at).toBeGreaterThanOrEqual(headerBottom - 1);
    expect(at).toBeLessThan(PHONE.height);
    // What the phone shows after the jump (the screen, not the whole page).
    await shot(phoneConsole, 'phone-console-queue', false);
    await item.getByRole('button', { name: 'Convey', exact: true }).tap();
    await see(bea.getByTestId('conveyed'), SHUTTLE_LINE);
    // (Ana's outbox, in the plenary, still said "With the mediator" 20 s later in one run: reported,
    // not checked here.)
    await fitsThePhone(phoneConsole, 'console after conveying');
    expect({ who: 'console', small: await smallTargets(phoneConsole) }).toEqual({ who: 'console', small: [] });
  });

  /** axe-core's serious and critical findings, English then Arabic, at desktop then phone size (and back). */
  const axeEverywhere = async (page: Page, what: string, phone: boolean) => {
    const found: Array<{ what: string; violations: unknown[] }> = [];
    const sizes = phone ? [PHONE, DESKTOP] : [DESKTOP, PHONE];
    for (const size of sizes) {
      await page.setViewportSize(size);
      for (const lang of ['en', 'ar'] as const) {
        if (lang === 'ar') await toArabic(page);
        await page.waitForTimeout(150);
        const where = `${what} · ${lang} · ${size.width}px`;
        found.push({ what: where, violations: await accessibilityViolations(page) });
        if (size.width === PHONE.width) {
          const o = await overflow(page);
          if (o.over > 0) found.push({ what: where, violations: [{ id: 'scrolls-sideways', ...o }] });
          if (lang === 'ar' || what.includes('sign-in')) await shot(page, `phone-${what.replace(/\W+/g, '-')}-${lang}`);
        }
        if (lang === 'ar') await toEnglish(page);
      }
    }
    await page.setViewportSize(phone ? PHONE : DESKTOP);
    return found.filter((f) => f.violations.length > 0);
  };

  step(
    'axe-core: nothing serious on the session pages, in English and Arabic, at desktop and phone sizes',
    async () => {
      const found = [
        ...(await axeEverywhere(ana, 'delegation view', true)),
        ...(await axeEverywhere(olu, 'observer view', true)),
        ...(await axeEverywhere(phoneConsole, 'console', true)),
      ];
      expect(found).toEqual([]);
    },
    400_000,
  );

  step(
    'axe-core: nothing serious on sign-in, sessions, account and invitation pages, in English and Arabic, at both sizes',
    async () => {
      const visitor = await newPage('visitor', phoneContext);
      await visitor.goto(app.url);
      await see(visitor.getByRole('button', { name: 'Sign in' }));
      const found = [...(await axeEverywhere(visitor, 'sign-in', true))];
      await visitor.goto(links.pat);
      await see(visitor.locator('dl.facts'), TITLE);
      found.push(...(await axeEverywhere(visitor, 'invitation', true)));

      // Signed in (Bea): the sessions list and the account page.
      await bea.goto(app.url);
      await see(bea.getByRole('link', { name: TITLE }));
      found.push(...(await axeEverywhere(bea, 'sessions list', false)));
      await bea.goto(`${app.url}/account`);
      await see(bea.locator('main h2').first());
      found.push(...(await axeEverywhere(bea, 'account', false)));
      expect(found).toEqual([]);
      await bea.goto(sessionUrl);
    },
    400_000,
  );

  step(
    'axe-core: nothing serious on the closed session, in English and Arabic, at both sizes',
    async () => {
      // On a phone the lead's status buttons are in the header's menu.
      await openMenu(phoneConsole);
      await phoneConsole.getByRole('button', { name: 'Close the session' }).tap();
      await see(phoneConsole.getByTestId('closed-page'), 'The talks are closed');
      await see(ana.getByTestId('closed-page'), 'The talks are closed');
      await see(olu.getByTestId('closed-page'), 'The talks are closed');
      await fitsThePhone(ana, 'ana, closed');
      const found = [
        ...(await axeEverywhere(ana, 'closed, delegation', true)),
        ...(await axeEverywhere(olu, 'closed, observer', true)),
        ...(await axeEverywhere(phoneConsole, 'closed, console', true)),
      ];
      expect(found).toEqual([]);
    },
    400_000,
  );
});

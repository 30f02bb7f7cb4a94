import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AgreementView, RoomView, SessionView } from '@parley/contracts';
import { ApiProcess, freePort } from './support/api-process';
import { remoteApp, startApp, type TestApp } from './support/harness';
import { bearer, createSession, inviteNew, register, roomOf, type Person } from './support/people';
import { describeWhen, lacks } from './support/needs';
import { accessibilityViolations, buildWebClient, launchChromium, SCREENSHOTS, shows } from './support/web-client';

// Browser globals, for the functions this file runs inside pages.
declare const document: any;

/**
 * States that tell the truth, in headless Chromium, one browser context per person: a break with
 * six people on five rooms' pages (the lead mediator in the mediators' room, two North members in
 * North's caucus, a South member in South's caucus, an observer in the plenary, a South member in a
 * joint room) shows its reason and countdown on every page, and resuming puts everyone back in
 * their room without a click of theirs; a closed session shows a closed page with the final text's
 * downloads and a console with nothing that can no longer work; a refusal reads as a sentence, never
 * a code; the connection badge leaves "Connected" when the server goes. No SFU (JANUS_BINARY none):
 * video is not what is tested here. Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

const REASON = 'Consultations with capitals';
const CLAUSE = 'The concession runs for ten years.';
/** A code-like token (WORDING_INVALID) or an event name in brackets ((session.join)): never on a page. */
const RAW = /\b[A-Z]{3,}_[A-Z_]{3,}\b|\(\w+\.\w+\)/;

withBrowser('the web client tells the truth: breaks, a closed session, errors, the connection', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let session: SessionView;
  let lead: Person, n1: Person, n2: Person, s1: Person, s2: Person, obs: Person;
  let joint: RoomView;
  const pages = new Map<string, Page>();
  /** The room name each seated person's page shows, before the break and after it. */
  const seatName = new Map<string, string>();
  const page = (p: Person) => pages.get(p.name)!;
  const post = (who: Person, path: string, body: object = {}) =>
    app.http().post(`/api/sessions/${session.id}${path}`).set(bearer(who)).send(body);
  const shot = (p: Page, name: string) => p.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** Takes a screenshot at 1280 wide and on a phone (390×844), then restores the page's size. */
  const shotBoth = async (p: Page, name: string) => {
    const size = p.viewportSize()!;
    await shot(p, `${name}-1280`);
    await p.setViewportSize({ width: 390, height: 844 });
    await shot(p, `${name}-390`);
    await p.setViewportSize(size);
  };
  const noRawCode = async (p: Page, who: string) => {
    const text = await p.locator('body').innerText();
    expect({ who, raw: text.match(RAW)?.[0] ?? null }).toEqual({ who, raw: null });
  };

  const newPage = async (who: string, viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport, locale: 'en-GB', acceptDownloads: true });
    contexts.push(context);
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    return p;
  };
  /** Signs in through the page and opens the session from the list, as a returning person does. */
  const openSession = async (on: TestApp, who: Person, title: string): Promise<Page> => {
    const p = await newPage(who.name);
    await p.goto(on.url);
    await p.getByLabel('E-mail').fill(who.email);
    await p.getByLabel('Password').fill(who.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('link', { name: title }).click();
    await shows(p.getByTestId('connection'), 'Connected', 20_000);
    return p;
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

  // The steps build on each other: after a failure, the later ones say so instead of failing obscurely.
  let failedStep: string | null = null;
  beforeEach(() => {
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed`);
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    if (errors.length) failedStep = expect.getState().currentTestName ?? 'a step';
    expect(errors).toEqual([]);
  });
  const step = (name: string, body: () => Promise<void>, timeout = 120_000) =>
    it(
      name,
      async () => {
        try {
          await body();
        } catch (e) {
          failedStep = name;
          for (const [who, p] of pages) await shot(p, `failed-states-${who.replace(/\W+/g, '-')}`).catch(() => undefined);
          throw e;
        }
      },
      timeout,
    );

  step('set-up: six people, five rooms, each on their own page', async () => {
    lead = await register(app, 'Maria Mediator');
    session = await createSession(app, lead, ['North', 'South']);
    await post(lead, '/status', { status: 'open' }).expect(200);
    const [north, south] = session.parties;
    n1 = await inviteNew(app, lead, session.id, 'Ana North', { role: 'party_member', partyId: north.id, isHead: true });
    n2 = await inviteNew(app, lead, session.id, 'Ali North', { role: 'party_member', partyId: north.id });
    s1 = await inviteNew(app, lead, session.id, 'Bea South', { role: 'party_member', partyId: south.id, isHead: true });
    s2 = await inviteNew(app, lead, session.id, 'Sam South', { role: 'party_member', partyId: south.id });
    obs = await inviteNew(app, lead, session.id, 'Olu Observer', { role: 'observer' });
    joint = (await post(lead, '/rooms', { name: 'Drafting group', memberIds: [s2.participantId] }).expect(201)).body as RoomView;
    const seats: Array<[Person, string, string]> = [
      [n1, north.caucusRoomId!, 'Caucus — North'],
      [n2, north.caucusRoomId!, 'Caucus — North'],
      [s1, south.caucusRoomId!, 'Caucus — South'],
      [obs, roomOf(session, 'plenary').id, 'Plenary'],
      [s2, joint.id, 'Drafting group'],
    ];
    for (const [p, roomId, name] of seats) {
      await post(lead, `/participants/${p.participantId}/admit`, { roomId }).expect(200);
      seatName.set(p.name, name);
    }
    await post(lead, `/participants/${lead.participantId}/move`, { roomId: roomOf(session, 'mediator').id }).expect(200);

    for (const p of [lead, n1, n2, s1, s2, obs]) pages.set(p.name, await openSession(app, p, session.title));
    for (const p of [n1, n2, s1, s2, obs]) await shows(page(p).getByTestId('current-room'), seatName.get(p.name));
    await shows(page(lead).getByRole('listitem', { name: 'Mediators’ room' }), 'you are here');
    for (const p of pages.values()) expect(await p.getByTestId('break-notice').count()).toBe(0);
  });

  step("a refusal reads as a sentence in the reader's language, not as a code", async () => {
    const m = page(lead);
    await m.getByRole('tab', { name: 'Negotiating text' }).click();
    await m.getByText('Add a clause').click();
    // A placeholder with no bracket behind it: the server refuses the wording (WORDING_INVALID).
    await m.getByLabel('Wording').fill('The concession runs for {{1}} years.');
    await m.getByRole('button', { name: 'Insert clause' }).click();
    const alert = m.locator('.add-clause [role="alert"]');
    await shows(alert, 'This wording is not valid: check its brackets and options.');
    expect(await alert.getAttribute('data-code')).toBe('WORDING_INVALID');
    expect(await alert.innerText()).not.toMatch(RAW);

    // A break longer than the server allows (the browser's own check removed): VALIDATION_FAILED, in words.
    await m.getByRole('button', { name: 'Suspend' }).click();
    await m.getByLabel('Length in minutes (optional)').evaluate((el: any) => el.removeAttribute('max'));
    await m.getByLabel('Length in minutes (optional)').fill('481');
    await m.getByRole('button', { name: 'Start the break' }).click();
    const refused = m.locator('.topbar [role="alert"]');
    await shows(refused, 'Some of what you entered is not valid; check it and try again.');
    expect(await refused.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await refused.innerText()).not.toMatch(RAW);
    await shows(m.getByTestId('session-status'), 'Open');

    // In French too, the same refusal is a French sentence.
    await m.getByLabel('Language').selectOption({ label: 'Français' });
    await shows(refused, 'Une partie de votre saisie n’est pas valable');
    await m.getByLabel('Langue').selectOption({ label: 'English' });
    await m.getByRole('button', { name: 'Cancel' }).click();
    for (const [who, p] of pages) await noRawCode(p, who);
  });

  step('a break with a reason and a length: every page shows it with a live countdown; the lobby says why', async () => {
    const m = page(lead);
    await m.getByRole('button', { name: 'Suspend' }).click();
    await m.getByLabel('Reason (shown to everyone, optional)').fill(REASON);
    await m.getByLabel('Length in minutes (optional)').fill('15');
    await m.getByRole('button', { name: 'Start the break' }).click();
    await shows(m.getByTestId('session-status'), 'Suspended');

    for (const [who, p] of pages) {
      await shows(p.getByTestId('break-notice'), 'Break', 15_000);
      await shows(p.getByTestId('break-reason'), REASON);
      // 15 minutes announced: the countdown starts at 15:00 or just under.
      await shows(p.getByTestId('break-countdown'), /The talks resume in 1[45]:\d\d\./);
      expect({ who, notices: await p.getByTestId('break-notice').count() }).toEqual({ who, notices: 1 });
    }
    // The countdown ticks by itself, once a second.
    const clock = page(n1).getByTestId('break-countdown');
    const first = await clock.innerText();
    await page(n1).waitForFunction((was) => document.querySelector('[data-testid="break-countdown"]')?.textContent !== was, first, {
      timeout: 5_000,
    });
    // The console offers no admission a break would refuse (only mediators are seated while suspended).
    await shows(m.locator('section.lobby'), 'Olu Observer');
    expect(await m.getByRole('button', { name: /^Admit/ }).count()).toBe(0);
    // Everyone but the mediators waits in the lobby, and reads why.
    for (const p of [n1, n2, s1, s2, obs]) {
      await shows(page(p).getByTestId('lobby-wait'), 'You are in the lobby for the break');
      expect(await page(p).getByTestId('current-room').count()).toBe(0);
    }
    await shotBoth(page(n1), 'break-notice-delegation');
    await shotBoth(page(obs), 'break-notice-observer');
    await shot(m, 'break-notice-console-1280');
    for (const [who, p] of [
      ['delegation', page(n1)],
      ['console', m],
    ] as const) {
      expect({ who, violations: await accessibilityViolations(p) }).toEqual({ who, violations: [] });
    }
    for (const [who, p] of pages) await noRawCode(p, who);
  });

  step('once the announced end has passed, the countdown says the talks are resuming soon', async () => {
    // The observer's clock jumps past the end: no negative time, no 00:00, but "resuming soon".
    const o = page(obs);
    await o.clock.install();
    await o.clock.fastForward('16:00');
    await shows(o.getByTestId('break-countdown'), 'The talks are resuming soon.', 10_000);
    expect(await o.getByTestId('break-countdown').getAttribute('data-kind')).toBe('resuming_soon');
    await o.clock.resume();
  });

  step('resume (everyone back to their rooms, the default): each page shows its room again, without a click', async () => {
    const m = page(lead);
    await m.getByRole('button', { name: 'Resume', exact: true }).click();
    expect(await m.getByLabel('Everyone back to their rooms').isChecked()).toBe(true);
    expect(await m.getByLabel('Keep everyone in the lobby').isChecked()).toBe(false);
    const started = Date.now();
    await m.getByRole('button', { name: 'Resume now' }).click();
    await shows(m.getByTestId('session-status'), 'Open');
    for (const p of [n1, n2, s1, s2, obs]) {
      await shows(page(p).getByTestId('current-room'), seatName.get(p.name), 15_000);
      expect(await page(p).getByTestId('lobby-wait').count()).toBe(0);
    }
    console.log(`web-states: every page back in its room ${Date.now() - started} ms after Resume now`);
    for (const p of pages.values()) await p.getByTestId('break-notice').waitFor({ state: 'detached', timeout: 10_000 });
    // The console shows them seated where they were; the lobby is empty.
    await shows(m.getByRole('listitem', { name: 'Caucus — North' }), 'Ali North');
    await shows(m.getByRole('listitem', { name: 'Drafting group' }), 'Sam South');
    expect(await m.locator('section.lobby li').count()).toBe(0);
    // Their rooms work: the joint room's chat reaches its member.
    await page(s2).getByLabel('Message to Drafting group').fill('Back at work after the break.');
    await page(s2).getByRole('button', { name: 'Send', exact: true }).click();
    await shows(page(s2).locator('ol.stream'), 'Back at work after the break.');
  });

  step(
    "a closed session: parties and observers get the closed page with the final text's downloads; the console offers nothing that no longer works",
    async () => {
      // A final text, made over the API: one clause, agreed by both delegations, finalised.
      const inserted = (
        await post(lead, '/agreement/changes', {
          change: { kind: 'insert', afterClauseId: null, heading: 'Duration', wording: { text: CLAUSE } },
        }).expect(201)
      ).body as AgreementView;
      const clause = inserted.clauses[0];
      let version = clause.version;
      for (const level of ['ad_referendum', 'agreed'] as const) {
        for (const p of [n1, s1]) {
          const view = (await post(p, `/agreement/clauses/${clause.id}/mark`, { baseVersion: version, level }).expect(200))
            .body as AgreementView;
          version = view.clauses[0].version;
        }
      }
      const final = (await post(lead, '/agreement/finalise').expect(200)).body as AgreementView;
      expect(final.finalSha256).toMatch(/^[0-9a-f]{64}$/);

      const m = page(lead);
      m.once('dialog', (d) => void d.accept());
      await m.getByRole('button', { name: 'Close the session' }).click();
      await shows(m.getByTestId('session-status'), 'Closed');

      for (const p of [n1, n2, s1, s2, obs]) {
        const closed = page(p).getByTestId('closed-page');
        await shows(closed, 'The talks are closed', 15_000);
        await shows(closed.locator('code.hash'), final.finalSha256!);
        for (const name of ['Markdown', 'HTML', 'JSON (the signed bytes)']) await shows(closed.getByRole('button', { name }));
        // Nothing that can no longer work: no lobby promise, no chat, no shuttle, no video, no status buttons.
        expect(await page(p).locator('body').innerText()).not.toContain('A mediator will admit you');
        expect(
          await page(p).locator('[data-testid="lobby-wait"], form.composer, textarea, [data-testid="video-tile"], .media').count(),
        ).toBe(0);
        expect(await page(p).getByTestId('connection').count()).toBe(0);
        expect(await page(p).getByRole('alert').count()).toBe(0);
      }
      // The downloads work: the signed bytes hash to the final SHA-256.
      const [download] = await Promise.all([
        page(n2).waitForEvent('download'),
        page(n2).getByRole('button', { name: 'JSON (the signed bytes)' }).click(),
      ]);
      expect(
        createHash('sha256')
          .update(readFileSync(await download.path()))
          .digest('hex'),
      ).toBe(final.finalSha256);

      // The console: the closed page and the text, no Admit, Move, invitations, joint rooms, chat or status buttons.
      await shows(m.getByTestId('closed-page'), 'The talks are closed');
      for (const name of [
        'Admit',
        'Move',
        'Create invitation link',
        'Suspend',
        'Resume',
        'Close the session',
        'Open the session',
        'Send',
      ]) {
        expect({ name, count: await m.getByRole('button', { name, exact: false }).count() }).toEqual({ name, count: 0 });
      }
      expect(await m.getByText('Open a joint room').count()).toBe(0);
      await shows(m.locator('[data-testid="clause"]'), CLAUSE);

      // A reload keeps the closed page (the socket may no longer join: the text is read over HTTP), without an error.
      await page(obs).reload();
      await shows(page(obs).getByTestId('closed-page').locator('code.hash'), final.finalSha256!, 15_000);
      expect(await page(obs).getByRole('alert').count()).toBe(0);
      await m.reload();
      await shows(m.getByTestId('closed-page'), 'The talks are closed', 15_000);
      // The console shows the final text once, in its text panel.
      await shows(m.locator('.agreement code.hash'), final.finalSha256!, 15_000);
      expect(await m.locator('code.hash').count()).toBe(1);
      expect(await m.getByRole('button', { name: 'Admit', exact: false }).count()).toBe(0);
      expect(await m.getByRole('alert').count()).toBe(0);

      await shotBoth(page(n1), 'closed-page-delegation');
      await shotBoth(page(obs), 'closed-page-observer');
      await shot(m, 'closed-page-console-1280');
      for (const [who, p] of [
        ['delegation', page(n1)],
        ['observer', page(obs)],
        ['console', m],
      ] as const) {
        expect({ who, violations: await accessibilityViolations(p) }).toEqual({ who, violations: [] });
      }
      for (const [who, p] of pages) await noRawCode(p, who);
    },
  );

  step(
    'the connection badge leaves "Connected" within seconds of the server going away (SIGKILL: no goodbye)',
    async () => {
      // The API as a process of its own, killed outright: the page learns only from its socket.
      const api = new ApiProcess(await freePort(), {
        DATA_DIR: 'memory://',
        JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e-secret',
        JANUS_BINARY: 'none',
      });
      try {
        await api.start(90_000);
        const other = remoteApp(api.url);
        const mediator = await register(other, 'Tess Outage');
        const s = await createSession(other, mediator, ['East', 'West']);
        const p = await openSession(other, mediator, s.title);
        pages.set('Tess Outage', p);
        expect(await p.getByTestId('connection').getAttribute('data-state')).toBe('online');
        const killedAt = Date.now();
        await api.kill();
        await p.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.textContent !== 'Connected', undefined, {
          timeout: 5_000,
        });
        console.log(`web-states: badge left "Connected" ${Date.now() - killedAt} ms after SIGKILL of the API`);
        await shows(p.getByTestId('connection'), 'Reconnecting…');
        expect(await p.getByTestId('connection').getAttribute('data-state')).toBe('offline');
        // No quality hint speaks for a connection that is gone.
        expect(await p.getByTestId('quality').count()).toBe(0);
        await shot(p, 'connection-lost-1280');
        await noRawCode(p, 'Tess Outage');
      } finally {
        pages.delete('Tess Outage');
        await api.kill();
      }
    },
    180_000,
  );
});

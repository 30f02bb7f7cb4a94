import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/harness';
import { describeWhen, lacks } from './support/needs';
import { acceptWithNewAccount, admitFromLobby, inviteFromConsole, signUpAndCreateSession } from './support/web-people';
import { flatText, placeholdersIn, quantile, selectWords, typingLatency } from './support/text-page';
import { accessibilityViolations, buildWebClient, launchChromium, SCREENSHOTS, shows, takeCspViolations } from './support/web-client';

// Browser globals, for the functions this file runs inside pages (page.evaluate / waitForFunction).
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: unknown): { textDecorationLine: string };

/**
 * The negotiating text in the browser (issue 13), in headless Chromium with one browser context
 * per person: the mediator and a co-mediator, North's head (Ana) and member (Ali), South's head
 * (Bea), an observer (Olu). By clicking and typing only: a clause with two alternatives and a
 * bracketed phrase made in the editor; each party supports an option; North tables a proposal,
 * South counters it; the mediator adopts the counter, resolves the alternatives by choosing one and
 * the bracket by rewording, each previewed as a redline; both agree; Finalise's checklist empties;
 * both heads sign with their password (a wrong one refused, nothing recorded); the exported JSON's
 * SHA-256 is the one shown while signing. The observer reads the tabled text with its brackets and
 * nothing of support or proposals. The stored form of the text ("{{…}}") never shows in any page
 * (checked after every step). Arabic screens as screenshots; axe-core clean. Edges: two mediators
 * saving the same clause at once, a selection across a bracket, a 10,000-character clause (typing
 * latency measured), a delete that asks for the password. Runs inside scripts/media-netns.sh only.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

const PASSWORD = 'correct horse battery';
const CLAUSE = 'The concession runs for five years and the operator pays harbour fees quarterly.';
const PROPOSED_PART = 'The harbour concession runs for ';
const COUNTER_PART = 'The harbour concession, renewable once, runs for ';
const FINAL_CLAUSE = 'The harbour concession, renewable once, runs for ten years and the operator pays harbour fees every three months.';
const WRONG_BRACKET = 'A bracket must lie within plain wording: your selection crosses an existing bracket or spans two parts.';
const ALTERNATIVES_1 = /\[\s*Alt\. A: five years\s*\/\s*Alt\. B: ten years\s*\]/;

withBrowser('the negotiating text in the browser: brackets, support, counter-proposals, resolve, finalise, sign', () => {
  let app: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let mediator: Page;
  let co: Page; // co-mediator
  let ana: Page; // North, head of delegation
  let ali: Page; // North
  let bea: Page; // South, head of delegation
  let olu: Page; // observer
  let sessionUrl = '';
  let sessionId = '';
  const links: Record<string, string> = {};
  /** What the suite measured, printed at the end for the report. */
  const figures: Record<string, unknown> = {};

  const newPage = async (who: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB', acceptDownloads: true });
    // An action that cannot happen fails within the step's time, naming what it waited for.
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    return page;
  };
  const people = () => ({ mediator, co, ana, ali, bea, olu });
  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: false }).click();
  const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  const clause = (page: Page, n: number) => page.getByRole('listitem', { name: `Clause ${n}`, exact: true });
  /** The clause's read view: the paragraph that holds its wording (the parent of a segment, or the clause-text). */
  const clauseText = (page: Page, n: number) => clause(page, n).locator('.clause-text').first();
  /** `shows`, with more time: this suite's pages update live on a machine that may be busy. */
  const see = (l: Locator, text?: string | RegExp) => shows(l, text, 20_000);
  /** Opens the mediator's "Add a clause" (unless open) and gives its editor. */
  const newClauseForm = async (page: Page): Promise<Locator> => {
    const form = page.getByRole('form', { name: 'New clause' });
    if (!(await form.isVisible())) await page.getByText('Add a clause', { exact: true }).click();
    await see(form);
    return form;
  };
  const checklist = (page: Page) => page.getByRole('region', { name: 'Before the text can be finalised' });
  const noViolations = async (who: string, page: Page) =>
    expect({ who, violations: await accessibilityViolations(page) }).toEqual({ who, violations: [] });
  /** Over HTTP, as someone signs in (the harness has no token of the pages'): for reading only. */
  const tokenOf = async (email: string): Promise<string> =>
    (await app.http().post('/api/auth/login').send({ email, password: PASSWORD }).expect(200)).body.accessToken as string;
  const audit = async (token: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>> =>
    (
      await app
        .http()
        .get(`/api/sessions/${sessionId}/audit`)
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body.entries;
  const agreement = async (token: string) =>
    (
      await app
        .http()
        .get(`/api/sessions/${sessionId}/agreement`)
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body as {
      status: string;
      signOffs: unknown[];
      clauses: Array<{ id: string; number: number; version: number; text: string; rendered: string; segments: unknown[] }>;
    };

  beforeAll(async () => {
    buildWebClient();
    app = await startApp();
    browser = await launchChromium();
    // The build and an embedded database, on a machine that may be busy.
  }, 180_000);

  afterAll(async () => {
    if (Object.keys(figures).length) console.log(`web-text figures: ${JSON.stringify(figures)}`);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
  });

  // The steps build on each other: after a failure, the later ones say so instead of failing obscurely
  // (WEB_TEXT_KEEP_GOING=1 runs them anyway, to see which later steps pass while one is being fixed).
  let failedStep: string | null = null;
  beforeEach(() => {
    if (failedStep && process.env.WEB_TEXT_KEEP_GOING !== '1') throw new Error(`not run: the step "${failedStep}" failed`);
  });
  afterEach(async () => {
    const state = expect.getState();
    // A script error in any page, a refusal of the Content-Security-Policy, or the stored form of the
    // text ("{{…}}") anywhere in any page — in what it shows, or in a field's value — fails the step.
    const errors = pageErrors.splice(0);
    const csp = takeCspViolations();
    const placeholders: Record<string, string[]> = {};
    for (const [who, page] of Object.entries(people())) {
      if (!page) continue;
      const found = await placeholdersIn(page).catch((e: Error) => [`could not read the page: ${e.message}`]);
      if (found.length) placeholders[who] = found;
    }
    if (errors.length || csp.length || Object.keys(placeholders).length) failedStep ??= state.currentTestName ?? 'a step';
    expect({ errors, csp, placeholders }).toEqual({ errors: [], csp: [], placeholders: {} });
  });
  const step = (name: string, body: () => Promise<void>, timeoutMs = 120_000) =>
    it(
      name,
      async () => {
        try {
          await body();
        } catch (e) {
          failedStep = name;
          // What each person saw when it failed, for whoever reads the CI log.
          for (const [who, page] of Object.entries(people())) if (page) await shot(page, `text-failed-${who}`).catch(() => undefined);
          throw e;
        }
      },
      timeoutMs,
    );

  step('the mediator creates an account and a session with North and South, opens it and invites everyone', async () => {
    mediator = await newPage('mediator');
    sessionUrl = await signUpAndCreateSession(mediator, app.url, {
      name: 'Maria Mediator',
      email: 'maria@parley.test',
      password: PASSWORD,
      title: 'Harbour concession',
      parties: ['North', 'South'],
      coolingOffMinutes: 2,
    });
    expect(sessionUrl).toMatch(/\/sessions\/[0-9a-f-]{36}$/);
    sessionId = sessionUrl.split('/').at(-1)!;
    await mediator.getByRole('button', { name: 'Open the session' }).click();
    await see(mediator.getByTestId('session-status'), 'Open');

    const invite = async (key: string, role: string, party?: string, head = false) => {
      links[key] = await inviteFromConsole(mediator, app.url, { role, party, head });
    };
    await invite('ana', 'Delegation member', 'North', true);
    await invite('ali', 'Delegation member', 'North');
    await invite('bea', 'Delegation member', 'South', true);
    await invite('olu', 'Observer');
    // A second mediator, invited from the console like anyone else.
    await invite('co', 'Co-mediator');
    expect(Object.values(links).every((l) => /\/invitations\/[^/]+$/.test(l))).toBe(true);
  });

  step('each person accepts their invitation; the mediator admits the delegations and the observer', async () => {
    const accept = async (key: string, name: string): Promise<Page> => {
      const page = await newPage(name);
      await acceptWithNewAccount(page, links[key], {
        name,
        email: `${key}@parley.test`,
        password: PASSWORD,
        expect: ['Harbour concession'],
        timeoutMs: 20_000,
      }).catch(async (e: Error) => {
        await shot(page, `text-failed-invitation-${key}`).catch(() => undefined);
        throw e;
      });
      return page;
    };
    ana = await accept('ana', 'Ana North');
    ali = await accept('ali', 'Ali North');
    bea = await accept('bea', 'Bea South');
    olu = await accept('olu', 'Olu Observer');
    for (const p of [ana, ali, bea, olu]) await see(p.getByTestId('lobby-wait'), 'You are in the lobby');
    co = await accept('co', 'Carl Comediator');
    // A co-mediator has the console, and its negotiating text, at once.
    await see(co.getByRole('tab', { name: 'Negotiating text' }));

    const admit = (name: string, room: string) => admitFromLobby(mediator, name, room);
    await admit('Ana North', 'Caucus — North');
    await admit('Ali North', 'Caucus — North');
    await admit('Bea South', 'Caucus — South');
    await admit('Olu Observer', 'Plenary');
    await see(ana.getByTestId('current-room'), 'Caucus — North');
    await see(ali.getByTestId('current-room'), 'Caucus — North');
    await see(bea.getByTestId('current-room'), 'Caucus — South');
    await see(olu.getByTestId('current-room'), 'Plenary');
    for (const p of [mediator, co, ana, ali, bea]) await tab(p, 'Negotiating text');
  });

  step('the mediator makes a clause with two alternatives and a bracketed phrase in the editor, by selecting words', async () => {
    const form = await newClauseForm(mediator);
    await form.getByLabel('Heading (optional)').fill('Duration and fees');
    const wording = form.getByLabel('Wording', { exact: true });
    await wording.fill(CLAUSE);

    // Nothing selected: a sentence, not an exception, and nothing made.
    await wording.click();
    await mediator.keyboard.press('End');
    await form.getByRole('button', { name: 'Bracket', exact: true }).click();
    await see(form.getByRole('alert'), 'Select the words to bracket first.');
    expect(await form.getByRole('group').count()).toBe(0);

    // "five years" → Alternatives: Alt. A is the selection, Alt. B empty and focused.
    expect(await selectWords(wording, 'five years')).toEqual({
      start: CLAUSE.indexOf('five years'),
      end: CLAUSE.indexOf('five years') + 10,
    });
    await form.getByRole('button', { name: 'Alternatives', exact: true }).click();
    const alternatives = form.getByRole('group', { name: 'Alternatives 1' });
    await see(alternatives);
    expect(await alternatives.getByLabel('Alt. A', { exact: true }).inputValue()).toBe('five years');
    const altB = alternatives.getByLabel('Alt. B', { exact: true });
    expect(await altB.inputValue()).toBe('');
    expect(await altB.evaluate((e) => e === document.activeElement)).toBe(true);
    await mediator.keyboard.type('ten years');
    expect(await altB.inputValue()).toBe('ten years');
    // The wording around the segment is now two plain parts.
    expect(await form.getByLabel('Wording, part 1', { exact: true }).inputValue()).toBe('The concession runs for ');
    const part2 = form.getByLabel('Wording, part 2', { exact: true });
    expect(await part2.inputValue()).toBe(' and the operator pays harbour fees quarterly.');

    // "quarterly" → Bracket: one option, the selection.
    await selectWords(part2, 'quarterly');
    await form.getByRole('button', { name: 'Bracket', exact: true }).click();
    const bracket = form.getByRole('group', { name: /^Bracket \d$/ });
    await see(bracket);
    expect(await bracket.getByLabel('Bracketed wording', { exact: true }).inputValue()).toBe('quarterly');
    await shot(mediator, 'text-editor');
    await noViolations('mediator, the editor with a bracket and alternatives', mediator);

    await form.getByRole('button', { name: 'Insert clause' }).click();
    // Read as negotiators read it, by everyone, the observer included.
    for (const page of [mediator, co, ana, ali, bea, olu]) {
      await see(clause(page, 1), 'quarterly');
      const text = await flatText(clauseText(page, 1));
      expect(text).toMatch(ALTERNATIVES_1);
      expect(text).toMatch(/harbour fees \[quarterly\]/);
      expect(await clause(page, 1).locator('.segment[data-segment]').count()).toBe(2);
    }
    // What blocks Finalise, said: the clause, linked, with its open brackets.
    const list = checklist(mediator);
    const link = list.getByRole('link', { name: 'Clause 1' });
    await see(link);
    const clauseId = (await clause(mediator, 1).getAttribute('id'))!.replace(/^clause-/, '');
    expect(await link.getAttribute('href')).toBe(`#clause-${clauseId}`);
    await see(list, '2 brackets still open');
    const finalise = mediator.getByRole('button', { name: 'Finalise the text' });
    expect(await finalise.isDisabled()).toBe(true);
    // …and says why: it is described by the checklist (or something in it).
    const describedBy = ((await finalise.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    expect(describedBy).not.toEqual([]);
    expect(
      await list.evaluate(
        (region: any, ids: string[]) =>
          ids.some((id) => {
            const d = document.getElementById(id);
            return !!d && (d === region || region.contains(d));
          }),
        describedBy,
      ),
    ).toBe(true);
  });

  step('each party supports an option from the clause itself, and sees the other’s support', async () => {
    await clause(ana, 1).getByRole('button', { name: 'Support Alt. A' }).click();
    await clause(bea, 1).getByRole('button', { name: 'Support Alt. B' }).click();
    const option = (page: Page, text: string) =>
      clause(page, 1).getByRole('group', { name: 'Alternatives 1' }).locator('li').filter({ hasText: text });
    for (const page of [mediator, ana, ali, bea]) {
      await see(option(page, 'Alt. A: five years'), 'Supported by North');
      await see(option(page, 'Alt. B: ten years'), 'Supported by South');
    }
    // The bracket nobody supports says so; the delegation that supports an option may withdraw it.
    await see(clause(ana, 1).getByRole('group', { name: /^Bracket \d$/ }), 'No support yet');
    await see(option(ana, 'Alt. A: five years').getByRole('button', { name: 'Withdraw our support' }));
    expect(await option(ana, 'Alt. B: ten years').getByRole('button', { name: 'Withdraw our support' }).count()).toBe(0);
    // Ali, of North too, sees his delegation's support as his own.
    await see(option(ali, 'Alt. A: five years').getByRole('button', { name: 'Withdraw our support' }));
  });

  step('North tables a proposal on the clause, South counters it; each shows beside the clause as a redline', async () => {
    await clause(ali, 1).getByRole('button', { name: 'Propose new wording' }).click();
    const proposeForm = ali.getByRole('form', { name: 'Propose new wording for clause 1' });
    // Prefilled with the clause as parts and segments, never its stored form.
    const part1 = proposeForm.getByLabel('Wording, part 1', { exact: true });
    expect(await part1.inputValue()).toBe('The concession runs for ');
    expect(await proposeForm.getByLabel('Alt. B', { exact: true }).inputValue()).toBe('ten years');
    await part1.fill(PROPOSED_PART);
    await proposeForm.getByLabel('Tabled (every party)').check();
    await proposeForm.getByLabel('Rationale (optional)').fill('Say which concession.');
    await proposeForm.getByRole('button', { name: 'Propose' }).click();

    const fromNorth = clause(bea, 1).getByTestId('proposal').filter({ hasText: 'North' });
    await see(fromNorth);
    await see(fromNorth.locator('ins'), 'harbour');
    await fromNorth.getByRole('button', { name: 'Counter' }).click();
    const counterForm = bea.getByRole('form', { name: 'Counter-proposal' });
    const counterPart1 = counterForm.getByLabel('Wording, part 1', { exact: true });
    expect(await counterPart1.inputValue()).toBe(PROPOSED_PART);
    expect(await counterForm.getByLabel('Tabled (every party)').isChecked()).toBe(true);
    await counterPart1.fill(COUNTER_PART);
    await counterForm.getByRole('button', { name: 'Table the counter-proposal' }).click();

    for (const page of [mediator, ana, ali]) {
      const counter = clause(page, 1).getByTestId('proposal').filter({ hasText: "Counter to North's proposal" });
      await see(counter);
      await see(counter.locator('ins'), 'renewable once');
      await see(clause(page, 1).getByTestId('proposal').filter({ hasText: 'Say which concession.' }).locator('ins'), 'harbour');
    }
    expect(await clause(mediator, 1).getByTestId('proposal').count()).toBe(2);
  });

  step('the observer reads the tabled text with its brackets, and nothing of support or proposals', async () => {
    const text = await flatText(clauseText(olu, 1));
    expect(text).toContain('[');
    expect(text).toMatch(ALTERNATIVES_1);
    const body = await olu.locator('body').innerText();
    expect(body).not.toContain('Supported by');
    expect(body).not.toContain('No support yet');
    expect(body).not.toContain('renewable once');
    expect(body).not.toContain('Say which concession.');
    expect(await olu.getByRole('button', { name: /Support/ }).count()).toBe(0);
    expect(await olu.getByTestId('proposal').count()).toBe(0);
    expect(await olu.getByRole('button', { name: /Propose|Counter|Resolve|Edit/ }).count()).toBe(0);
    // Still one of the options is there, to read: the disputed wording, without who supports it.
    await see(clause(olu, 1), 'Alt. B: ten years');
  });

  step('key screens in English are axe-clean; in Arabic, right to left, as screenshots and axe-clean', async () => {
    await shot(mediator, 'text-mediator');
    await shot(bea, 'text-delegation');
    await shot(olu, 'text-observer');
    for (const [who, page] of [
      ['mediator', mediator],
      ['ana', ana],
      ['bea', bea],
      ['observer', olu],
    ] as const)
      await noViolations(who, page);

    try {
      for (const [who, page] of [
        ['delegation', bea],
        ['mediator', mediator],
      ] as const) {
        await page.getByLabel('Language').selectOption({ label: 'العربية' });
        await page.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar');
        // The clause, named in Arabic, with the alternatives in Arabic letters.
        const text = page.getByRole('listitem', { name: 'البند 1', exact: true }).locator('.clause-text').first();
        await see(text, 'بديل أ');
        await see(text, 'بديل ب');
        await shot(page, `text-ar-${who}`);
        await noViolations(`${who} in Arabic`, page);
      }
    } finally {
      for (const page of [bea, mediator]) {
        if ((await page.evaluate(() => document.documentElement.lang)) === 'en') continue;
        await page.getByLabel(/^(Language|اللغة|Langue)$/).selectOption({ label: 'English' });
        await page.waitForFunction(() => document.documentElement.dir === 'ltr' && document.documentElement.lang === 'en');
      }
    }
  });

  step('the mediator adopts the counter; the first proposal is marked stale', async () => {
    const counter = clause(mediator, 1).getByTestId('proposal').filter({ hasText: "Counter to North's proposal" });
    await counter.getByRole('button', { name: 'Adopt' }).click();
    for (const page of [mediator, co, ana, ali, bea, olu]) await see(clauseText(page, 1), COUNTER_PART.trim());
    // The alternatives and the bracket came through the counter unchanged.
    expect(await flatText(clauseText(olu, 1))).toMatch(ALTERNATIVES_1);
    const first = clause(ana, 1).getByTestId('proposal').filter({ hasText: 'Say which concession.' });
    await see(first.locator('.stale'), /Based on version \d+; the clause is now at version \d+/);
  });

  step('the mediator resolves the alternatives by choosing Alt. B, previewed as a redline, then applied', async () => {
    await clause(mediator, 1).getByRole('button', { name: 'Resolve Alternatives 1' }).click();
    const form = mediator.getByRole('form', { name: 'Resolve Alternatives 1' });
    await form.getByRole('radio', { name: 'Choose Alt. B' }).check();
    const preview = form.getByRole('region', { name: 'Preview' });
    await see(preview.locator('del'), 'five');
    await see(preview, 'ten years');
    await shot(mediator, 'text-resolve-preview');
    await noViolations('mediator, resolving with a preview', mediator);
    // Nothing applied yet.
    expect(await flatText(clauseText(ana, 1))).toMatch(ALTERNATIVES_1);
    await form.getByRole('button', { name: 'Apply' }).click();
    for (const page of [mediator, ana, bea, olu]) {
      await see(clauseText(page, 1), 'runs for ten years and');
      expect(await flatText(clauseText(page, 1))).not.toContain('Alt. A');
    }
  });

  step('the mediator resolves the bracket by rewording it, previewed, then applied', async () => {
    await clause(mediator, 1)
      .getByRole('button', { name: /^Resolve Bracket \d$/ })
      .click();
    const form = mediator.getByRole('form', { name: /^Resolve Bracket \d$/ });
    await form.getByRole('radio', { name: 'Reword' }).check();
    await form.getByLabel('New wording').fill('every three months');
    const preview = form.getByRole('region', { name: 'Preview' });
    await see(preview.locator('ins'), 'every three months');
    await see(preview.locator('del'), 'quarterly');
    // Told apart without colour: struck through, underlined.
    const decoration = (l: Locator) => l.first().evaluate((e: any) => String(getComputedStyle(e).textDecorationLine));
    expect(await decoration(preview.locator('del'))).toContain('line-through');
    expect(await decoration(preview.locator('ins'))).toContain('underline');
    await form.getByRole('button', { name: 'Apply' }).click();
    for (const page of [mediator, co, ana, ali, bea, olu]) {
      await see(clauseText(page, 1), 'every three months');
      expect(await flatText(clauseText(page, 1))).toBe(FINAL_CLAUSE);
      expect(await clause(page, 1).locator('.segment').count()).toBe(0);
    }
    // Now only the parties' marks stand in Finalise's way.
    await see(checklist(mediator), 'North has not agreed');
    await see(checklist(mediator), 'South has not agreed');
  });

  step('edge: a 10,000-character clause stays responsive to typing, and deleting it asks for the password', async () => {
    let long = '';
    for (let i = 1; long.length < 10_000; i++) long += `Article ${i}: the operator keeps the quays, cranes and channels in good repair. `;
    long = long.slice(0, 10_000).trimEnd();
    const typed = ' Signed at the harbour office, in three copies.   ';
    expect(typed.length).toBe(50);
    const summary = (xs: number[]) => ({
      keystrokes: xs.length,
      p50Ms: Math.round(quantile(xs, 0.5)),
      p95Ms: Math.round(quantile(xs, 0.95)),
      maxMs: Math.round(Math.max(...xs)),
    });
    // For comparison, on this machine as it is now: the same typing into the editor of a new, empty clause.
    const form = await newClauseForm(mediator);
    const newWording = form.getByLabel('Wording', { exact: true });
    await newWording.click();
    const short = await typingLatency(mediator, typed);
    figures.typingEmpty = { ...summary(short.inPage), roundTripP95Ms: quantile(short.roundTrip, 0.95) };
    // Responsive: within 100 ms (the usual bound for "instant"), or, on a machine slowed by other
    // work, within twice what typing into an empty clause takes there and then. Work the editor did
    // per keystroke in proportion to the clause's length would exceed both.
    const bound = Math.max(100, 2 * quantile(short.inPage, 0.95));
    await newWording.fill(long);
    await form.getByRole('button', { name: 'Insert clause' }).click();
    await see(clause(mediator, 2), 'Article 1:');
    await see(clause(ana, 2), 'Article 1:');

    await clause(mediator, 2).getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = mediator.getByRole('form', { name: 'Edit clause 2' });
    const wording = edit.getByLabel('Wording', { exact: true });
    expect((await wording.inputValue()).length).toBe(long.length);
    await wording.click();
    await mediator.keyboard.press('Control+End');
    // Up to three runs of 50 keystrokes, the best one counting: on a machine shared with other work a
    // run may be slowed by what else runs; work the editor does on each keystroke slows every run.
    const runs: Array<ReturnType<typeof summary> & { roundTripP95Ms: number }> = [];
    let inPage: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const measured = await typingLatency(mediator, typed);
      runs.push({ ...summary(measured.inPage), roundTripP95Ms: quantile(measured.roundTrip, 0.95) });
      if (!inPage.length || quantile(measured.inPage, 0.95) < quantile(inPage, 0.95)) inPage = measured.inPage;
      if (quantile(inPage, 0.95) < bound) break;
    }
    expect(await wording.inputValue()).toBe(long + typed.repeat(runs.length));
    figures.typing10k = runs;
    console.log(`typing, keydown to the next frame: ${JSON.stringify(figures)}`);

    // Deleting it: a confirmation showing the clause, and the password again.
    await clause(mediator, 2).getByRole('button', { name: 'Delete clause', exact: true }).click();
    const confirm = mediator.getByRole('form', { name: 'Delete clause 2?' });
    await see(confirm, 'Article 1: the operator keeps the quays');
    await noViolations('mediator, confirming a delete', mediator);
    const token = await tokenOf('maria@parley.test');
    const entriesBefore = (await audit(token)).length;
    await confirm.getByLabel('Your password').fill('not my password at all');
    await confirm.getByRole('button', { name: 'Delete clause 2' }).click();
    await see(confirm.getByRole('alert'));
    expect(await confirm.getByRole('alert').getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    // Refused: the clause is still there, for everyone, and nothing was recorded.
    await see(clause(ana, 2), 'Article 1:');
    expect((await agreement(token)).clauses).toHaveLength(2);
    expect(await audit(token)).toHaveLength(entriesBefore);
    await confirm.getByLabel('Your password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Delete clause 2' }).click();
    for (const page of [mediator, ana, olu]) await clause(page, 2).waitFor({ state: 'detached' });
    expect((await agreement(token)).clauses).toHaveLength(1);
    const entries = await audit(token);
    expect(entries.length).toBeGreaterThan(entriesBefore);
    // The audit entry says that the password was checked again.
    expect(JSON.stringify(entries.slice(entriesBefore))).toContain('reauthenticated');
    // Typing into the 10,000 characters stayed responsive (asserted last, so that the delete above
    // is seen whatever the figure).
    expect(quantile(inPage, 0.95)).toBeLessThan(bound);
  });

  step('edge: two mediators save the same clause at once; the second sees both versions and saves over', async () => {
    // A second clause with alternatives, made as the first was.
    const form = await newClauseForm(mediator);
    const wording = form.getByLabel('Wording', { exact: true });
    await wording.fill('Payment is due within thirty days of the invoice.');
    await selectWords(wording, 'thirty days');
    await form.getByRole('button', { name: 'Alternatives', exact: true }).click();
    await form.getByRole('group', { name: 'Alternatives 1' }).getByLabel('Alt. B', { exact: true }).fill('sixty days');
    await form.getByRole('button', { name: 'Insert clause' }).click();
    await see(clause(co, 2), 'sixty days');

    // Both open the editor on the same version.
    await clause(mediator, 2).getByRole('button', { name: 'Edit', exact: true }).click();
    await clause(co, 2).getByRole('button', { name: 'Edit', exact: true }).click();
    const mine = mediator.getByRole('form', { name: 'Edit clause 2' });
    const theirs = co.getByRole('form', { name: 'Edit clause 2' });
    await mine.getByLabel('Alt. B', { exact: true }).fill('forty-five days');
    await theirs.getByLabel('Alt. A', { exact: true }).fill('twenty days');
    await mine.getByRole('button', { name: 'Save', exact: true }).click();
    await see(clauseText(co, 2), 'forty-five days');
    await theirs.getByRole('button', { name: 'Save', exact: true }).click();

    const conflict = co.getByRole('region', { name: 'Someone changed this clause' });
    await see(conflict);
    await see(conflict, 'Their version');
    await see(conflict, 'Your version');
    await see(conflict, 'forty-five days');
    await see(conflict, 'twenty days');
    await shot(co, 'text-conflict');
    await noViolations('co-mediator, a conflict', co);
    // Nothing of the co-mediator's was saved by the refused attempt.
    expect(await flatText(clauseText(ana, 2))).toContain('forty-five days');
    expect(await flatText(clauseText(ana, 2))).not.toContain('twenty days');
    await conflict.getByRole('button', { name: 'Save mine over theirs' }).click();
    for (const page of [mediator, co, ana, olu]) {
      await see(clauseText(page, 2), 'twenty days');
      expect(await flatText(clauseText(page, 2))).toMatch(/\[\s*Alt\. A: twenty days\s*\/\s*Alt\. B: sixty days\s*\]/);
    }
  });

  step('edge: a selection across a bracket in the read view is refused with a sentence, and nothing changes', async () => {
    const token = await tokenOf('maria@parley.test');
    const before = (await agreement(token)).clauses[1];
    const text = clauseText(mediator, 2);
    // The selection starts in the plain wording and ends inside the alternatives (set in the page:
    // the one act of this suite not done with the mouse or keys, which cannot select across a bracket in every layout).
    await text.evaluate((p: any) => {
      const segment = p.querySelector('.segment');
      const walker = document.createTreeWalker(p, 4 /* NodeFilter.SHOW_TEXT */);
      let first: any = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (!segment.contains(n) && n.textContent.trim()) {
          first = n;
          break;
        }
      const inside = document.createTreeWalker(segment, 4).nextNode();
      const range = document.createRange();
      range.setStart(first, 0);
      range.setEnd(inside, Math.min(3, inside.textContent.length));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    });
    await clause(mediator, 2).getByRole('button', { name: 'Bracket', exact: true }).click();
    await see(clause(mediator, 2).getByRole('alert'), WRONG_BRACKET);
    expect(await mediator.getByRole('form', { name: 'Edit clause 2' }).count()).toBe(0);
    const after = (await agreement(token)).clauses[1];
    expect({ version: after.version, text: after.rendered }).toEqual({ version: before.version, text: before.rendered });

    // A selection within plain wording opens the editor with the bracket made, saved only on "Save".
    await selectInReadView(text, 'Payment');
    await clause(mediator, 2).getByRole('button', { name: 'Bracket', exact: true }).click();
    const edit = mediator.getByRole('form', { name: 'Edit clause 2' });
    await see(edit);
    expect(await edit.getByLabel('Bracketed wording', { exact: true }).inputValue()).toBe('Payment');
    await edit.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect((await agreement(token)).clauses[1].version).toBe(before.version);

    // Typing "[" offers a real bracket; keeping the character keeps it.
    await clause(mediator, 2).getByRole('button', { name: 'Edit', exact: true }).click();
    const part = edit.getByLabel('Wording, part 2', { exact: true });
    await part.click();
    await mediator.keyboard.press('Control+End');
    await mediator.keyboard.type(' [');
    const offer = edit.getByRole('status').filter({ hasText: 'Make a real bracket instead of a [ character?' });
    await see(offer);
    await see(offer.getByRole('button', { name: 'Make a bracket' }));
    await offer.getByRole('button', { name: 'Keep the [ character' }).click();
    expect(await part.inputValue()).toMatch(/ \[$/);

    // Then the clause goes, with the password.
    await clause(mediator, 2).getByRole('button', { name: 'Delete clause', exact: true }).click();
    const confirm = mediator.getByRole('form', { name: 'Delete clause 2?' });
    await confirm.getByLabel('Your password').fill(PASSWORD);
    await confirm.getByRole('button', { name: 'Delete clause 2' }).click();
    for (const page of [mediator, co, ana, bea, olu]) await clause(page, 2).waitFor({ state: 'detached' });
  });

  step('both parties agree; Finalise’s checklist follows them until it is empty; the mediator finalises', async () => {
    await clause(ana, 1).getByRole('button', { name: 'Agree ad referendum' }).click();
    await see(checklist(mediator), 'North agreed ad referendum');
    await see(checklist(mediator), 'South has not agreed');
    await clause(ana, 1).getByRole('button', { name: 'Agree', exact: true }).click();
    await clause(bea, 1).getByRole('button', { name: 'Agree ad referendum' }).click();
    await see(checklist(mediator), 'South agreed ad referendum');
    const item1 = checklist(mediator)
      .getByRole('listitem')
      .filter({ has: mediator.getByRole('link', { name: 'Clause 1', exact: true }) });
    expect(await item1.innerText()).not.toMatch(/North (has not agreed|agreed ad referendum)/);
    expect(await mediator.getByRole('button', { name: 'Finalise the text' }).isDisabled()).toBe(true);
    await clause(bea, 1).getByRole('button', { name: 'Agree', exact: true }).click();
    await see(checklist(mediator), 'Every clause is agreed by every party.');
    expect(await checklist(mediator).getByRole('link').count()).toBe(0);
    const finalise = mediator.getByRole('button', { name: 'Finalise the text' });
    expect(await finalise.isEnabled()).toBe(true);
    await finalise.click();
    for (const page of [mediator, ana, bea, olu]) await see(page.getByTestId('agreement-status'), 'Final');
  });

  step('both heads sign with their password — a wrong one refused, nothing recorded — and the JSON is what was shown', async () => {
    const hash = (await mediator.locator('code.hash').first().textContent())!.trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await ali.getByRole('button', { name: 'Sign off the final text' }).count()).toBe(0);
    const mediatorToken = await tokenOf('maria@parley.test');
    const anaToken = await tokenOf('ana@parley.test');
    const shown: Record<string, string> = {};
    for (const [who, page] of [
      ['ana', ana],
      ['bea', bea],
    ] as const) {
      await page.getByRole('button', { name: 'Sign off the final text' }).click();
      const ceremony = page.getByRole('form', { name: 'Sign off: read what you sign' });
      await see(ceremony.getByTestId('signoff-title'), 'Harbour concession');
      await see(ceremony.getByTestId('signoff-clauses'), '1');
      shown[who] = (await ceremony.getByTestId('signoff-hash').textContent())!.trim();
      if (page === ana) {
        await noViolations('ana, the sign-off ceremony', ana);
        const entriesBefore = (await audit(mediatorToken)).length;
        await ceremony.getByLabel('Your password').fill('not my password at all');
        await ceremony.getByRole('button', { name: 'Sign with my password' }).click();
        await see(ceremony.getByRole('alert'), 'That password is not right: nothing was signed.');
        // Nothing recorded: South's page and the mediator's still show North unsigned, the server too.
        await see(bea.getByTestId('signoff').filter({ hasText: 'North' }), 'not signed yet');
        await see(mediator.getByTestId('signoff').filter({ hasText: 'North' }), 'not signed yet');
        expect((await agreement(anaToken)).signOffs).toEqual([]);
        const entries = await audit(mediatorToken);
        expect(entries).toHaveLength(entriesBefore);
        expect(entries.filter((e) => e.type === 'agreement.signed_off')).toEqual([]);
      }
      await ceremony.getByLabel('Your password').fill(PASSWORD);
      await ceremony.getByRole('button', { name: 'Sign with my password' }).click();
    }
    expect(shown).toEqual({ ana: hash, bea: hash });
    await see(mediator.getByTestId('agreement-status'), 'Signed');
    await see(mediator.getByTestId('signoff').filter({ hasText: 'North' }), 'signed by Ana North');
    await see(mediator.getByTestId('signoff').filter({ hasText: 'South' }), 'signed by Bea South');
    await see(olu.getByTestId('agreement-status'), 'Signed');
    const signed = (await audit(mediatorToken)).filter((e) => e.type === 'agreement.signed_off');
    expect(signed).toHaveLength(2);
    expect(JSON.stringify(signed)).toContain('reauthenticated');

    // The signed bytes, downloaded, hash to what both heads were shown.
    const [download] = await Promise.all([
      ana.waitForEvent('download'),
      ana.getByRole('button', { name: 'JSON (the signed bytes)' }).click(),
    ]);
    const bytes = readFileSync(await download.path());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shown.ana);
    const json = bytes.toString('utf8');
    expect(json).toContain('every three months');
    expect(json).not.toContain('{{');
    expect(json).not.toContain('quarterly');
  });

  step('the final text in Arabic, right to left, as a screenshot, axe-clean', async () => {
    await bea.getByLabel('Language').selectOption({ label: 'العربية' });
    await bea.waitForFunction(() => document.documentElement.dir === 'rtl');
    await shot(bea, 'text-ar-final');
    await noViolations('delegation, the final text in Arabic', bea);
  });
});

/** Selects a word in a clause's read view as a person does: a double click on it. */
async function selectInReadView(text: Locator, word: string): Promise<void> {
  await text
    .getByText(word, { exact: false })
    .first()
    .dblclick({ position: await wordPosition(text, word) });
}

/** Where `word` sits in the read view (relative to the element holding it), to double-click on it. */
async function wordPosition(text: Locator, word: string): Promise<{ x: number; y: number }> {
  return text
    .getByText(word, { exact: false })
    .first()
    .evaluate((el: any, w: string) => {
      const walker = document.createTreeWalker(el, 4);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent.indexOf(w);
        if (at < 0) continue;
        const r = document.createRange();
        r.setStart(n, at);
        r.setEnd(n, at + w.length);
        const box = r.getBoundingClientRect();
        const host = el.getBoundingClientRect();
        return { x: box.left - host.left + box.width / 2, y: box.top - host.top + box.height / 2 };
      }
      throw new Error(`no ${w} in the read view`);
    }, word);
}

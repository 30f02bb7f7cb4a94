import { resolve } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { RespondentStarted } from '@parley/contracts';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { bearer } from './support/people';
import { describeWhen, lacks } from './support/needs';
import { openSession } from './support/shaped-link';
import { accessibilityViolations, buildWebClient, launchChromium, SCREENSHOTS, shows } from './support/web-client';

// Browser globals, for the functions this file runs inside pages (page.evaluate).
declare const document: any;
declare const localStorage: any;
declare function getComputedStyle(e: unknown): any;

/**
 * Inclusive consultation in the browser (issue 19): the mediator creates a consultation with three
 * groups from the console; a respondent on a phone in Arabic opens her group's link (the small
 * respondent page, right to left), starts, keeps her return code, writes a statement, comes back
 * after a reload with the stored code and sees it waiting; the mediator approves it in the console;
 * more respondents (over HTTP) write and vote; she votes on the ballot by tapping; the mediator's
 * results show each group's figures as cast (a figure on fewer than 5 votes greyed and saying so);
 * the mediator tables a summary, which a delegate and the observer see live, and closes the
 * consultation (its sha256 shown). axe-core on the respondent page (Arabic, phone) and on the
 * results view. Screenshots: test-artifacts/web/consult-*.png. Runs inside scripts/media-netns.sh.
 */
const withBrowser = describeWhen(__filename, lacks.chromium(), lacks.namespace());

const TITLE = 'Voices on the ceasefire';
const PROMPT = 'What must the ceasefire agreement guarantee for your community?';
const GROUPS = ['Victims’ associations', 'Women’s organisations', 'Youth'];
const HER_STATEMENT = 'يجب أن يضمن الاتفاق عودة المهجّرين إلى بيوتهم.';
const WOMEN_STATEMENT = 'Women must sit on the monitoring committee.';
const SUMMARY_TITLE = 'What the public said, round one';
const PHONE = { width: 390, height: 844 };
const phoneAr: BrowserContextOptions = {
  viewport: PHONE,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'ar',
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
};

withBrowser('an inclusive consultation: respondents on the small page, the mediators’ panel, the summary tabled to the parties', () => {
  let app: TestApp;
  let m: Mediation;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let mediator: Page;
  let respondent: Page;
  let delegate: Page;
  let observer: Page;
  /** Each group's link token, by group name. */
  const links: Record<string, string> = {};
  /** Each group's id, by group name. */
  const groupIds: Record<string, string> = {};
  let consultationId = '';
  let statementIds: Record<string, string> = {};

  const newPage = async (who: string, options: BrowserContextOptions = { viewport: { width: 1366, height: 900 }, locale: 'en-GB' }) => {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(90_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    page.on('dialog', (d) => void d.accept());
    return page;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true, timeout: 60_000 });
  const see = (l: Parameters<typeof shows>[0], text?: string | RegExp, timeout = 20_000) => shows(l, text, timeout);

  /** A respondent over HTTP: started on a group's link, with their return code. */
  const http = {
    start: async (group: string): Promise<string> => {
      const res = await app.http().post(`/api/consult/${links[group]}/respondents`).set('x-parley-csrf', '1').send({});
      expect([res.status, res.body.code]).toEqual([201, undefined]);
      return (res.body as RespondentStarted).returnCode;
    },
    write: async (group: string, code: string, text: string): Promise<string> => {
      const res = await app
        .http()
        .post(`/api/consult/${links[group]}/statements`)
        .set('x-parley-csrf', '1')
        .set('x-respondent-code', code)
        .send({ text });
      expect([res.status, res.body.code]).toEqual([201, undefined]);
      return res.body.id as string;
    },
    vote: async (group: string, code: string, statementId: string, vote: 'agree' | 'disagree' | 'pass') => {
      const res = await app
        .http()
        .post(`/api/consult/${links[group]}/votes`)
        .set('x-parley-csrf', '1')
        .set('x-respondent-code', code)
        .send({ statementId, vote });
      expect([statementId, vote, res.status < 300, res.body.code]).toEqual([statementId, vote, true, undefined]);
    },
  };

  beforeAll(async () => {
    buildWebClient();
    app = await startApp({ JANUS_BINARY: 'none' });
    m = await startMediation(app);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    m?.close();
    await app?.close();
  });

  it('the mediator creates a consultation with three groups in the console, and gets a link per group', async () => {
    mediator = await newPage('mediator');
    await openSession(mediator, app.url, m.mediator, m.session.title, 60_000);
    await mediator.getByRole('tab', { name: 'Consultation' }).click();
    const panel = mediator.getByTestId('consultation-panel');
    await see(panel);
    await panel.getByLabel('Title', { exact: true }).fill(TITLE);
    await panel.getByLabel('Question to the respondents').fill(PROMPT);
    await panel.getByLabel('Groups (one per line)').fill(GROUPS.join('\n'));
    await panel.getByRole('button', { name: 'Create the consultation' }).click();
    await see(panel.locator('article.consultation h3'), TITLE);
    await see(panel.getByTestId('consultation-status'), 'Open');
    const rows = panel.locator('tr[data-group-id]');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    for (const [i, name] of GROUPS.entries()) {
      const row = rows.nth(i);
      expect(await row.locator('th').textContent()).toBe(name);
      const url = new URL(await row.getByTestId('group-link').inputValue());
      // A full address on this origin: /c/<link>.
      expect(url.origin).toBe(app.url);
      expect(url.pathname).toMatch(/^\/c\/[^/]+$/);
      links[name] = url.pathname.slice(3);
      groupIds[name] = (await row.getAttribute('data-group-id'))!;
    }
    consultationId = (await panel.locator('article.consultation').getAttribute('data-consultation-id'))!;
    expect(consultationId).toBeTruthy();
  });

  it('a delegate and the observer have their pages open (the summary will reach them live)', async () => {
    delegate = await newPage('delegate');
    await openSession(delegate, app.url, m.a1, m.session.title, 60_000);
    await see(delegate.getByRole('tab', { name: 'Negotiating text' }));
    observer = await newPage('observer');
    await openSession(observer, app.url, m.observer, m.session.title, 60_000);
    await see(observer.locator('.whoami'), 'Observer');
    // Nothing tabled yet: no consultation section.
    expect(await delegate.getByRole('tab', { name: 'Consultation' }).count()).toBe(0);
    expect(await observer.getByTestId('consultation-summaries').count()).toBe(0);
  });

  it('the respondent page on an Arabic phone: right to left, small, starts with a return code, writes, comes back after a reload', async () => {
    respondent = await newPage('respondent', phoneAr);
    const requests: string[] = [];
    respondent.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await respondent.goto(`${app.url}/c/${links[GROUPS[0]]}`);
    await see(respondent.locator('h1'), TITLE);
    expect(await respondent.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    expect(await respondent.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    await see(respondent.locator('.group'), GROUPS[0]);
    await see(respondent.locator('[data-status="open"]'), 'مفتوحة حتى');
    // The small page: none of the app's code (no index-*.js, no Socket.IO), its own script and stylesheet.
    const assets = requests.filter((p) => p.startsWith('/assets/'));
    expect(assets).toHaveLength(2);
    for (const a of assets) expect(a).toMatch(/^\/assets\/consult-[\w-]+\.(js|css)$/);
    expect(requests.some((p) => /index-|socket\.io/.test(p))).toBe(false);
    // The language switcher offers the consultation's languages, Arabic pressed.
    await see(respondent.getByRole('button', { name: 'العربية', pressed: true }));

    await respondent.getByRole('button', { name: 'ابدأ' }).tap();
    const code = respondent.getByTestId('return-code').locator('.code');
    await see(code);
    const returnCode = (await code.textContent())!.trim();
    expect(returnCode.length).toBeGreaterThan(5);
    expect(await respondent.evaluate((l) => localStorage.getItem(`parley.consult.${l}`), links[GROUPS[0]])).toBe(returnCode);

    const area = respondent.getByLabel('الرأي', { exact: true });
    await area.fill(HER_STATEMENT);
    await see(respondent.locator('#statement-count'), `${HER_STATEMENT.length} / 280`);
    await see(respondent.locator('#statement-left'), '5');
    await respondent.getByRole('button', { name: 'إرسال' }).tap();
    await see(respondent.locator('.mine li[data-status="pending"]'), HER_STATEMENT);

    await respondent.reload();
    // Back with the stored code: no Start, her statement waiting for the mediators.
    await see(respondent.locator('.mine li[data-status="pending"]'), HER_STATEMENT);
    await see(respondent.locator('.mine li[data-status="pending"] .badge'), 'بانتظار الوسطاء');
    await see(respondent.locator('#statement-left'), '4');
    expect(await respondent.getByRole('button', { name: 'ابدأ' }).count()).toBe(0);
    expect(await respondent.getByTestId('return-code').count()).toBe(0);

    // A wrong return code on another device is refused in words, in Arabic, in the alert region.
    const other = await newPage('respondent elsewhere', phoneAr);
    await other.goto(`${app.url}/c/${links[GROUPS[0]]}`);
    await other.getByLabel('رمز العودة').fill('NOT-A-CODE');
    await other.getByRole('button', { name: 'متابعة' }).tap();
    await see(other.getByRole('alert'), 'رمز العودة هذا غير معروف');
  });

  it('the respondent page fits the phone, every control a 44 px target, and axe finds nothing serious', async () => {
    expect(await respondent.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const small = await respondent.evaluate(() => {
      const out: string[] = [];
      for (const c of [...document.querySelectorAll('button, input, textarea, select')] as any[]) {
        const r = c.getBoundingClientRect();
        if (r.width > 2 && r.height > 2 && (r.width < 43.5 || r.height < 43.5))
          out.push(`${c.tagName} ${c.textContent} ${r.width}×${r.height}`);
      }
      return out;
    });
    expect(small).toEqual([]);
    expect(await accessibilityViolations(respondent)).toEqual([]);
    await shot(respondent, 'consult-respondent-ar-phone');
  });

  it('the mediator approves her statement from the moderation queue in the console', async () => {
    const item = mediator.locator('.moderation-list li', { hasText: HER_STATEMENT });
    await see(item, GROUPS[0], 30_000);
    await item.getByRole('button', { name: /^Approve/ }).click();
    await item.waitFor({ state: 'detached', timeout: 20_000 });
    await see(respondent.locator('.mine li').first());
    await respondent.reload();
    await see(respondent.locator('.mine li[data-status="approved"]'), HER_STATEMENT);
  });

  it('more respondents write and vote over HTTP; she votes on the ballot by tapping, one card at a time', async () => {
    // Her statement's id, from the mediators' list.
    const approved = await app
      .http()
      .get(`/api/sessions/${m.session.id}/consultations/${consultationId}/statements?status=approved`)
      .set(bearer(m.mediator))
      .expect(200);
    const hers = (approved.body as Array<{ id: string; text: string }>).find((s) => s.text === HER_STATEMENT)!;
    expect(hers).toBeDefined();

    // Women's organisations: three respondents, one writes; Youth: six.
    const women = [await http.start(GROUPS[1]), await http.start(GROUPS[1]), await http.start(GROUPS[1])];
    const youth: string[] = [];
    for (let i = 0; i < 6; i++) youth.push(await http.start(GROUPS[2]));
    const womenStatement = await http.write(GROUPS[1], women[0], WOMEN_STATEMENT);
    await app
      .http()
      .post(`/api/sessions/${m.session.id}/consultations/${consultationId}/statements/${womenStatement}/moderation`)
      .set(bearer(m.mediator))
      .send({ decision: 'approve' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    statementIds = { hers: hers.id, women: womenStatement };

    // On her statement: Women's organisations agree 2, disagree 1 (n = 3, fewer than 5); Youth pass 1.
    await http.vote(GROUPS[1], women[0], hers.id, 'agree');
    await http.vote(GROUPS[1], women[1], hers.id, 'agree');
    await http.vote(GROUPS[1], women[2], hers.id, 'disagree');
    await http.vote(GROUPS[2], youth[0], hers.id, 'pass');
    // On the women's statement: Youth agree 5, disagree 1 (n = 6); Women's organisations disagree 1.
    for (let i = 0; i < 5; i++) await http.vote(GROUPS[2], youth[i], womenStatement, 'agree');
    await http.vote(GROUPS[2], youth[5], womenStatement, 'disagree');
    await http.vote(GROUPS[1], women[1], womenStatement, 'disagree');

    // Her ballot: the women's statement only (never her own); she taps Agree.
    await respondent.reload();
    const card = respondent.locator('.vote-card');
    await see(card, WOMEN_STATEMENT);
    expect(await card.getAttribute('data-statement-id')).toBe(womenStatement);
    const agree = card.getByRole('button', { name: 'أوافق', exact: true });
    const box = (await agree.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await agree.tap();
    await see(respondent.getByTestId('ballot-empty'));
    await see(respondent.locator('.ballot'), 'الأصوات المُدلى بها: 1');
    await see(respondent.getByRole('status'), 'سُجّل صوتك');
  });

  it("the mediator's results show each group's figures as cast, a figure on fewer than 5 votes greyed and saying so", async () => {
    await mediator.getByRole('button', { name: 'Show the results' }).click();
    const table = mediator.getByTestId('results-table');
    await see(table);
    const cell = (statement: string, group: string) =>
      table.locator(`tr[data-statement-id="${statementIds[statement]}"] td[data-group-id="${groupIds[group]}"]`);
    // Her statement, Women's organisations: agree 2, disagree 1, pass 0, n = 3 — few.
    const womenOnHers = cell('hers', GROUPS[1]);
    await see(womenOnHers, 'agree 2 · disagree 1 · pass 0 · n = 3');
    expect(await womenOnHers.getAttribute('data-n')).toBe('3');
    expect(await womenOnHers.getAttribute('data-agree')).toBe('2');
    expect(await womenOnHers.getAttribute('data-few')).toBe('true');
    await see(womenOnHers, 'fewer than 5 votes');
    // The women's statement, Youth: agree 5, disagree 1, n = 6 — not few.
    const youthOnWomen = cell('women', GROUPS[2]);
    await see(youthOnWomen, 'agree 5 · disagree 1 · pass 0 · n = 6');
    expect(await youthOnWomen.getAttribute('data-few')).toBeNull();
    expect(await youthOnWomen.textContent()).not.toContain('fewer than 5 votes');
    // Her vote, from the phone: Victims' associations agree 1 on the women's statement.
    await see(cell('women', GROUPS[0]), 'agree 1 · disagree 0 · pass 0 · n = 1');
    // The totals.
    await see(table.locator(`tr[data-statement-id="${statementIds.hers}"] td`).last(), 'n = 4');
    await see(mediator.getByTestId('consultation-results'), 'Consensus');
    await shot(mediator, 'consult-results');
    expect(await accessibilityViolations(mediator)).toEqual([]);
  });

  it('the mediator tables a summary; a delegate and the observer see it live, with the figures and the sha256', async () => {
    const panel = mediator.getByTestId('consultation-panel');
    await panel.getByRole('checkbox', { name: new RegExp(HER_STATEMENT) }).check();
    await panel.getByRole('checkbox', { name: new RegExp(WOMEN_STATEMENT) }).check();
    await panel.getByLabel('Title of the summary').fill(SUMMARY_TITLE);
    await panel.getByLabel('Note (optional)').fill('Read with the text of clause 4.');
    await panel.getByRole('button', { name: 'Table the summary' }).click();
    const tabled = panel.getByTestId('summary-tabled');
    await see(tabled, /[0-9a-f]{64}/);
    const sha256 = /[0-9a-f]{64}/.exec((await tabled.textContent())!)![0];

    await delegate.getByRole('tab', { name: 'Consultation' }).click({ timeout: 20_000 });
    const seen = delegate.getByTestId('consultation-summaries');
    await see(seen, SUMMARY_TITLE);
    await see(seen, WOMEN_STATEMENT);
    await see(seen, HER_STATEMENT);
    await see(seen, 'agree 2 · disagree 1 · pass 0 · n = 3');
    await see(seen, sha256);
    await shot(delegate, 'consult-summary-delegate');

    const watched = observer.getByTestId('consultation-summaries');
    await see(watched, SUMMARY_TITLE);
    await see(watched, sha256);
    // Read again from the server after a reload (not only the live event).
    await observer.reload();
    await see(observer.getByTestId('consultation-summaries'), sha256, 60_000);
  });

  it('the mediator closes the consultation and freezes the results: the sha256 shows; the respondent page says it is closed', async () => {
    await mediator.getByRole('button', { name: 'Close and freeze results' }).click();
    const hash = mediator.getByTestId('frozen-sha256');
    await see(hash, /^[0-9a-f]{64}$/);
    await see(mediator.getByTestId('consultation-status'), 'Closed');
    await respondent.reload();
    await see(respondent.locator('[data-status="closed"]'));
    expect(await respondent.getByRole('button', { name: 'إرسال' }).count()).toBe(0);
  });

  it('no page met an uncaught error', () => {
    expect(pageErrors).toEqual([]);
  });
});

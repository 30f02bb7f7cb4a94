import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MediaFeedsChanged } from '@parley/contracts';
import { findJanusBinary } from '@parley/media/infrastructure/janus/janus-process';
import { startApp, type TestApp } from './support/harness';
import { startMediation, type Mediation } from './support/mediation';
import { describeWhen, lacks } from './support/needs';
import { inviteInterpreter, type Person } from './support/people';
import { accessibilityViolations, buildWebClientInto, launchChromium, SCREENSHOTS, shows } from './support/web-client';

// Browser globals, for the functions this file runs inside pages (page.evaluate / waitForFunction).
declare const document: any;
declare const window: any;
declare const MediaStream: any;
declare const AudioContext: any;
declare const Audio: any;

/**
 * Interpretation channels through the web client, in headless Chromium (one context per person)
 * against a real Janus, inside scripts/media-netns.sh. Every fake microphone plays a steady 440 Hz
 * tone, so each received track's level says whether its audio arrives.
 *
 * Fleur, an interpreter (en↔fr) brought by North, sits in the plenary and interprets into French;
 * Ana (North) chooses "French" and hears the channel at full gain with the floor (Bea) ducked
 * underneath; Bea (South) stays on the floor and receives no interpretation track at all; Olu, the
 * observer, may choose French but publishes nothing. Moving Fleur to North's caucus takes "French"
 * out of every plenary picker and stops the channel's audio at Ana's within the bound
 * media-conformance holds any feed's cut to (plus the audio's own jitter buffer), Ana falls back to
 * the floor with a notice, and no one of South ever hears of the channel; in North's caucus, Ana
 * finds it again. Levels are read in the page (window.__parleyListen: the post-gain mix and each
 * track's level and gain); screenshots go to test-artifacts/web/.
 */
jest.setTimeout(120_000);

const janus = findJanusBinary();

/** media-conformance's ceiling for any one move's cut of a feed (twice its 100 ms median bound). */
const CUT_CEILING_MS = 200;
/**
 * What Chromium's audio path still plays after the last packet (jitter buffer, the decoder's
 * concealment fading out) and the page's 5 ms meter: 145 ms after the move's answer in a run at
 * load average 21.7 on this 2-core machine.
 */
const AUDIO_TAIL_MS = 250;
/**
 * The fake microphone's tone arrives at an RMS of 0.011-0.023 (measured: Chromium's audio processing
 * takes most of a steady tone); after a cut the meter stays under 0.003.
 */
const HEARD = 0.005;
/**
 * The picker follows media.feeds, announced to the room once the move is committed and the seat
 * cut: within PICKER_BOUND_MS of the move request, or, on a loaded machine, within RENDER_SLACK_MS
 * of the moment a plain socket in the same room is told.
 */
const PICKER_BOUND_MS = 1000;
/**
 * A handover without a gap a listener hears: what the page plays of the channel (each track's level
 * times its gain) never under HEARD for longer than this. The page moves both gains at once (15 ms
 * time constant); 60 ms is about where a break in speech starts to be heard.
 */
const HANDOVER_GAP_MS = 60;
const RENDER_SLACK_MS = 300;

describeWhen(
  __filename,
  lacks.chromium(),
  lacks.namespace(),
  lacks.janus(),
)('interpretation channels in the web client, on janus', () => interpretation());

interface TrackProbe {
  feedId: string;
  participantId: string;
  channel: string | null;
  gain: number;
  level: number;
}

function interpretation(): void {
  let app: TestApp;
  let webDir: string;
  let m: Mediation;
  let fleurPerson: Person;
  let felixPerson: Person; // a second interpreter into French, for the handover
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let fleur: Page; // the interpreter, en↔fr, brought by North
  let ana: Page; // North
  let bea: Page; // South
  let olu: Page; // the observer
  let felix: Page | null = null;
  const figures: Record<string, number | string> = {};
  const fleurId = () => fleurPerson.participantId!;

  const openSession = async (who: Person): Promise<Page> => {
    const context = await browser.newContext({
      permissions: ['camera', 'microphone'],
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${who.name}: ${e.message}`));
    await page.goto(app.url);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: m.session.title }).click();
    await shows(page.getByTestId('connection'), 'Connected', 20_000);
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const picker = (page: Page) => page.getByTestId('listen-picker');
  const options = (page: Page) => picker(page).evaluate((s: any) => [...s.options].map((o: any) => o.value as string));
  const tracks = (page: Page): Promise<TrackProbe[]> => page.evaluate(() => window.__parleyListen.tracks());
  const level = (page: Page): Promise<number> => page.evaluate(() => window.__parleyListen.level());
  /** A gesture on the page (browsers start audio only after one): a click on the media panel's title. */
  const gesture = (page: Page) => page.locator('#media-title').click();
  /** Waits until `check` holds of the page's received tracks (their gains and levels), or fails with what they were. */
  const tracksSettle = async (page: Page, check: (t: TrackProbe[]) => boolean, timeoutMs = 15_000): Promise<TrackProbe[]> => {
    const end = Date.now() + timeoutMs;
    let seen: TrackProbe[] = [];
    while (Date.now() < end) {
      seen = await tracks(page);
      if (check(seen)) return seen;
      await pause(100);
    }
    throw new Error(`the received tracks did not settle: ${JSON.stringify(seen)}`);
  };

  beforeAll(async () => {
    // A client of its own: another suite building dist/web meanwhile empties it.
    webDir = buildWebClientInto(mkdtempSync(join(tmpdir(), 'parley-web-interpretation-')));
    app = await startApp({ MEDIA_SFU: 'janus', WEB_DIR: webDir, JANUS_BINARY: janus!, JANUS_ICE_INTERFACE: 'jlo0' });
    // The session declares ar, en and fr.
    m = await startMediation(app, { interpreters: true });
    fleurPerson = await inviteInterpreter(app, m.mediator, m.session.id, 'Fleur Interpreter', ['en', 'fr'], m.partyA);
    felixPerson = await inviteInterpreter(app, m.mediator, m.session.id, 'Felix Interpreter', ['en', 'fr'], m.partyA);
    browser = await launchChromium({ tone: true });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    m?.close();
    await app?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    console.log(`web-interpretation on janus: ${JSON.stringify(figures)}`);
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
  const step = (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        failedStep = name;
        for (const [who, page] of Object.entries({ fleur, ana, bea, olu, felix }))
          if (page) await shot(page, `failed-interpretation-${who}`).catch(() => undefined);
        throw e;
      }
    });

  step('Fleur (interpreter), Ana (North), Bea (South) and Olu (observer) open the session in the plenary', async () => {
    // Their pages replace the test's sockets (one live page per participant); Bo (South) stays in
    // his caucus on a plain socket, listening to what South is told.
    for (const p of [m.a1, m.b1, m.observer]) m.client(p).close();
    await m.place(fleurPerson, m.plenary);
    await m.place(m.a1, m.plenary);
    await m.place(m.b1, m.plenary);
    m.client(m.b2).clear();
    fleur = await openSession(fleurPerson);
    ana = await openSession(m.a1);
    bea = await openSession(m.b1);
    olu = await openSession(m.observer);
    for (const page of [fleur, ana, bea, olu]) await shows(page.getByTestId('current-room'), 'Plenary', 15_000);
    // Fleur is an interpreter: her languages to interpret into, a microphone, never a camera or a screen.
    const into = fleur.getByTestId('interpret-channel');
    await into.waitFor({ timeout: 20_000 });
    expect(await into.evaluate((s: any) => [...s.options].map((o: any) => o.value))).toEqual(['', 'en', 'fr']);
    expect(await fleur.getByRole('button', { name: /^Camera/ }).count()).toBe(0);
    expect(await fleur.getByTestId('share-screen').count()).toBe(0);
    await shows(fleur.locator('.whoami'), 'Interpreter');
    // Nothing is published before she chooses: no channel in anyone's picker.
    await picker(ana).waitFor({ timeout: 20_000 });
    expect(await options(ana)).toEqual(['']);
    // The observer: a picker, nothing to publish.
    await picker(olu).waitFor({ timeout: 20_000 });
    expect(await olu.getByTestId('interpret-channel').count()).toBe(0);
    expect(await olu.getByRole('button', { name: 'Mute' }).count()).toBe(0);
  });

  step('Fleur interprets into French: "French" appears in every plenary picker, and she is live', async () => {
    const t0 = Date.now();
    await fleur.getByTestId('interpret-channel').selectOption('fr');
    await shows(fleur.getByTestId('interpret-turn'), 'Live', 20_000);
    for (const page of [ana, bea, olu]) await picker(page).locator('option[value="fr"]').waitFor({ state: 'attached', timeout: 15_000 });
    figures.channelInPickersMs = Date.now() - t0;
    expect(await picker(ana).locator('option[value="fr"]').textContent()).toBe('French');
    // Still the floor for everyone until they choose.
    for (const page of [ana, bea, olu]) expect(await picker(page).inputValue()).toBe('');
  });

  step('Ana chooses French: the channel plays at full gain, the floor (Bea) ducked underneath, and both are heard', async () => {
    await gesture(ana);
    await picker(ana).selectOption('fr');
    const seen = await tracksSettle(
      ana,
      (t) =>
        t.some((x) => x.channel === 'fr' && x.participantId === fleurId() && x.gain === 1 && x.level > HEARD) &&
        t.some((x) => x.channel === null && x.participantId === m.b1.participantId && x.gain === 0.25 && x.level > HEARD),
    );
    figures.anaChannelLevel = Math.round(seen.find((x) => x.channel === 'fr')!.level * 1000) / 1000;
    figures.anaFloorLevel = Math.round(seen.find((x) => x.channel === null)!.level * 1000) / 1000;
    expect(await picker(ana).inputValue()).toBe('fr');
    expect(await ana.evaluate(() => window.__parleyListen.routed())).toBe(true);
    const mix = await level(ana);
    figures.anaMixLevel = Math.round(mix * 1000) / 1000;
    expect(mix).toBeGreaterThan(HEARD);
    // The tiles' own sound is off: Web Audio plays each track once, through its gain.
    expect(await ana.evaluate(() => [...document.querySelectorAll('figure.tile video')].every((v: any) => v.muted))).toBe(true);
    // Remembered for this room.
    expect(await ana.evaluate((key: string) => window.localStorage.getItem(key), `parley.listen.${m.session.id}.${m.plenary}`)).toBe('fr');
    expect(await accessibilityViolations(ana)).toEqual([]);
    await shot(ana, 'interpretation-ana-french');
  });

  step('Bea stays on the floor: no interpretation track reaches her page, the floor plays at full gain', async () => {
    await gesture(bea);
    const seen = await tracksSettle(bea, (t) => t.some((x) => x.participantId === m.a1.participantId && x.gain === 1 && x.level > HEARD));
    expect(seen.filter((x) => x.channel !== null || x.participantId === fleurId())).toEqual([]);
    expect(seen.every((x) => x.gain === 1)).toBe(true);
    expect(await picker(bea).inputValue()).toBe('');
    // Not subscribed at all: no tile, no inbound audio of Fleur's feed.
    expect(await bea.locator(`figure[data-participant="${fleurId()}"]`).count()).toBe(0);
    const mix = await level(bea);
    figures.beaFloorMixLevel = Math.round(mix * 1000) / 1000;
    expect(mix).toBeGreaterThan(HEARD);
  });

  step('Olu the observer chooses French and hears it; he has no control to publish anything', async () => {
    await gesture(olu);
    await picker(olu).selectOption('fr');
    await tracksSettle(olu, (t) => t.some((x) => x.channel === 'fr' && x.gain === 1 && x.level > HEARD));
    for (const name of ['Mute', 'Camera off', 'Share screen']) expect(await olu.getByRole('button', { name }).count()).toBe(0);
    expect(await olu.getByTestId('interpret-channel').count()).toBe(0);
    expect(await olu.getByTestId('take-channel').count()).toBe(0);
    await shot(olu, 'interpretation-observer-french');
    await shot(fleur, 'interpretation-interpreter-live');
  });

  step(
    'on a thin link (audio only), Ana hears French alone: the floor is not received, the page says so, and so after a reload; with video back, the floor is under it again',
    async () => {
      const audioOnly = ana.getByLabel('Audio only (low bandwidth)');
      await audioOnly.check();
      await shows(
        ana.getByTestId('listen-alone-notice'),
        'Audio only: you hear the French interpretation alone, without the floor underneath.',
      );
      const alone = await tracksSettle(
        ana,
        (t) =>
          t.length > 0 &&
          t.every((x) => x.channel === 'fr') &&
          t.some((x) => x.participantId === fleurId() && x.gain === 1 && x.level > HEARD),
      );
      figures.anaAloneTracks = alone.length;
      // Not subscribed at all: no track and no tile of Bea's (the floor's) feed.
      expect(alone.some((x) => x.participantId === m.b1.participantId)).toBe(false);
      expect(await ana.locator(`figure[data-participant="${m.b1.participantId}"]`).count()).toBe(0);
      expect(await level(ana)).toBeGreaterThan(HEARD);
      await shot(ana, 'interpretation-ana-french-alone');
      // A reload comes back as she left: audio only (her choice, kept), French alone, no floor, and no
      // moment of video first (her first seat is the audio-only one).
      await ana.reload();
      await shows(
        ana.getByTestId('listen-alone-notice'),
        'Audio only: you hear the French interpretation alone, without the floor underneath.',
        30_000,
      );
      expect(await audioOnly.isChecked()).toBe(true);
      await gesture(ana);
      const reloaded = await tracksSettle(
        ana,
        (t) => t.length > 0 && t.every((x) => x.channel === 'fr') && t.some((x) => x.participantId === fleurId() && x.level > HEARD),
        30_000,
      );
      expect(reloaded.some((x) => x.participantId === m.b1.participantId)).toBe(false);
      expect(await ana.locator(`figure[data-participant="${m.b1.participantId}"]`).count()).toBe(0);
      await audioOnly.uncheck();
      await tracksSettle(
        ana,
        (t) =>
          t.some((x) => x.channel === 'fr' && x.gain === 1 && x.level > HEARD) &&
          t.some((x) => x.channel === null && x.participantId === m.b1.participantId && x.gain === 0.25 && x.level > HEARD),
        30_000,
      );
      expect(await ana.getByTestId('listen-alone-notice').count()).toBe(0);
    },
  );

  step(
    `moving Fleur to North's caucus: French leaves the plenary's pickers within ${PICKER_BOUND_MS} ms (loaded: ${RENDER_SLACK_MS} ms after the room is told), its audio stops at Ana's within ${CUT_CEILING_MS} ms of the move (loaded: of its answer) + ${AUDIO_TAIL_MS} ms, Ana falls back to the floor with a notice; South never hears of it`,
    async () => {
      // Ana's page: when French's audio was last heard (a fine-grained meter of our own on its track) and when its option went.
      const armed = await ana.evaluate((fleurParticipant: string) => {
        const source = document.querySelector(`figure[data-participant="${fleurParticipant}"] video`);
        const track = source?.srcObject?.getAudioTracks()[0];
        if (!track) return false;
        const ctx = new AudioContext();
        const keep = new Audio();
        keep.muted = true;
        keep.srcObject = new MediaStream([track]);
        void keep.play();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 256;
        ctx.createMediaStreamSource(new MediaStream([track])).connect(analyser);
        const buf = new Float32Array(256);
        const probe = { lastHeard: 0, optionGone: 0, keep };
        window.__cut = probe;
        setInterval(() => {
          analyser.getFloatTimeDomainData(buf);
          let sum = 0;
          for (const v of buf) sum += v * v;
          if (Math.sqrt(sum / buf.length) > 0.003) probe.lastHeard = Date.now();
          if (!probe.optionGone && !document.querySelector('[data-testid="listen-picker"] option[value="fr"]'))
            probe.optionGone = Date.now();
        }, 5);
        return true;
      }, fleurId());
      expect(armed).toBe(true);
      await pause(500);
      const before = await ana.evaluate(() => ({ ...window.__cut, keep: undefined }));
      // Heard up to the move (within the last second: a loaded page answers evaluate() late, seen 513 ms).
      expect(Date.now() - before.lastHeard).toBeLessThan(1000);
      // Idris, the mediators' interpreter, sits in the plenary on a plain socket: when the room is told.
      const idris = m.client(m.im!);
      idris.clear();
      const told = idris
        .waitFor('media.feeds', (p: MediaFeedsChanged) => p.roomId === m.plenary && !p.feeds.some((f) => f.channel), 10_000)
        .then(() => Date.now());
      const tMove = Date.now();
      await m.place(fleurPerson, m.caucusA);
      figures.moveAnsweredMs = Date.now() - tMove;
      figures.plenaryToldMs = (await told) - tMove;
      for (const page of [ana, bea, olu]) await picker(page).locator('option[value="fr"]').waitFor({ state: 'detached', timeout: 10_000 });
      await pause(1000);
      const after = await ana.evaluate(() => ({ ...window.__cut, keep: undefined }));
      figures.channelAudioCutMs = Math.max(0, after.lastHeard - tMove);
      figures.channelOptionGoneMs = after.optionGone - tMove;
      figures.loadAverage = Math.round(loadavg()[0] * 100) / 100;
      expect(Date.now() - after.lastHeard).toBeGreaterThan(900); // nothing heard since
      // The seat is cut before the move is answered (media-interpretation): on a loaded machine the
      // bound runs from that answer, as media-conformance's runs from the request on a quiet one.
      figures.audioCutBoundMs = Math.max(CUT_CEILING_MS, figures.moveAnsweredMs) + AUDIO_TAIL_MS;
      figures.optionGoneBoundMs = Math.max(PICKER_BOUND_MS, figures.plenaryToldMs + RENDER_SLACK_MS);
      expect(figures.channelAudioCutMs).toBeLessThanOrEqual(figures.audioCutBoundMs);
      expect(figures.channelOptionGoneMs).toBeLessThanOrEqual(figures.optionGoneBoundMs);
      // Ana: back on the floor, told why; the floor at full gain again.
      await shows(ana.getByTestId('listen-fallback-notice'), 'The French interpretation ended: you hear the floor.');
      expect(await picker(ana).inputValue()).toBe('');
      await tracksSettle(ana, (t) => t.length > 0 && t.every((x) => x.channel === null && x.gain === 1));
      // Olu too.
      await shows(olu.getByTestId('listen-fallback-notice'), 'French');
      // South: Bea never had the channel, and Bo, in South's caucus, was never told of any channel.
      expect(await bea.getByTestId('listen-fallback-notice').count()).toBe(0);
      const southFeeds = m
        .client(m.b2)
        .events.filter((e) => e.event === 'media.feeds')
        .flatMap((e) => (e.payload as MediaFeedsChanged).feeds);
      expect(southFeeds.filter((f) => f.channel || f.participantId === fleurId())).toEqual([]);
      await shot(ana, 'interpretation-ana-fallback');
    },
  );

  step("in North's caucus, the channel follows: Fleur is live there, and Ana finds French in her picker", async () => {
    await shows(fleur.getByTestId('current-room'), 'Caucus — North', 15_000);
    await shows(fleur.getByTestId('interpret-turn'), 'Live', 20_000);
    await m.place(m.a1, m.caucusA);
    await shows(ana.getByTestId('current-room'), 'Caucus — North', 15_000);
    await picker(ana).locator('option[value="fr"]').waitFor({ state: 'attached', timeout: 15_000 });
    // The plenary's choice is the plenary's: here she starts on the floor, and chooses.
    expect(await picker(ana).inputValue()).toBe('');
    await picker(ana).selectOption('fr');
    await tracksSettle(ana, (t) => t.some((x) => x.channel === 'fr' && x.gain === 1 && x.level > HEARD));
    // Still nothing of it in the plenary, nor at South's.
    expect(await options(bea)).toEqual(['']);
    const southFeeds = m
      .client(m.b2)
      .events.filter((e) => e.event === 'media.feeds')
      .flatMap((e) => (e.payload as MediaFeedsChanged).feeds);
    expect(southFeeds.filter((f) => f.channel || f.participantId === fleurId())).toEqual([]);
    await shot(fleur, 'interpretation-interpreter-caucus');
  });

  step(
    `handover, in North's caucus: Felix, also into French and brought by North, takes the channel from Fleur and gives it back; Ana keeps hearing French throughout (no stretch over ${HANDOVER_GAP_MS} ms without it)`,
    async () => {
      await m.place(felixPerson, m.caucusA);
      felix = await openSession(felixPerson);
      await shows(felix.getByTestId('current-room'), 'Caucus — North', 15_000);
      await felix.getByTestId('interpret-channel').waitFor({ timeout: 20_000 });
      await felix.getByTestId('interpret-channel').selectOption('fr');
      // One channel, one live publisher: Fleur keeps it, Felix waits on standby with a "Take over".
      await shows(felix.getByTestId('interpret-turn'), 'Standby', 20_000);
      await shows(fleur.getByTestId('interpret-turn'), 'Live');
      expect(await options(ana)).toEqual(['', 'fr']);
      // Ana receives both (Felix silent at gain 0) so that a handover is a change of gain.
      const felixId = felixPerson.participantId!;
      await tracksSettle(
        ana,
        (t) =>
          t.some((x) => x.participantId === fleurId() && x.channel === 'fr' && x.gain === 1 && x.level > HEARD) &&
          t.some((x) => x.participantId === felixId && x.channel === 'fr' && x.gain === 0 && x.level > HEARD),
        20_000,
      );
      // Ana's page samples what it plays of French (each French track's level times its gain) every 5 ms.
      const arm = () =>
        ana.evaluate((heard: number) => {
          const probe = { samples: 0, longestGapMs: 0, gapSince: 0, stop: 0 as any };
          probe.stop = setInterval(() => {
            const now = performance.now();
            const french = window.__parleyListen
              .tracks()
              .filter((t: any) => t.channel === 'fr')
              .reduce((sum: number, t: any) => sum + t.gain * t.level, 0);
            probe.samples++;
            if (french < heard) {
              if (!probe.gapSince) probe.gapSince = now;
              probe.longestGapMs = Math.max(probe.longestGapMs, now - probe.gapSince);
            } else probe.gapSince = 0;
          }, 5);
          window.__handover = probe;
        }, HEARD);
      const read = () =>
        ana.evaluate(() => {
          clearInterval(window.__handover.stop);
          return { samples: window.__handover.samples as number, longestGapMs: Math.round(window.__handover.longestGapMs) };
        });

      await arm();
      let t0 = Date.now();
      await felix.getByTestId('take-channel').click();
      await shows(felix.getByTestId('interpret-turn'), 'Live', 10_000);
      await shows(fleur.getByTestId('interpret-turn'), 'Standby', 10_000);
      await tracksSettle(
        ana,
        (t) => t.some((x) => x.participantId === felixId && x.gain === 1) && t.some((x) => x.participantId === fleurId() && x.gain === 0),
      );
      figures.handoverHeardMs = Date.now() - t0;
      await pause(500);
      const first = await read();
      figures.handoverSamples = first.samples;
      figures.handoverLongestGapMs = first.longestGapMs;
      await shot(felix, 'interpretation-handover-felix-live');

      // And back: Fleur takes over again; then Felix stops interpreting, and French stays Fleur's.
      await arm();
      t0 = Date.now();
      await fleur.getByTestId('take-channel').click();
      await shows(fleur.getByTestId('interpret-turn'), 'Live', 10_000);
      await tracksSettle(
        ana,
        (t) => t.some((x) => x.participantId === fleurId() && x.gain === 1) && t.some((x) => x.participantId === felixId && x.gain === 0),
      );
      figures.handbackHeardMs = Date.now() - t0;
      await pause(500);
      const back = await read();
      figures.handbackLongestGapMs = back.longestGapMs;
      await felix.getByTestId('interpret-channel').selectOption('');
      await felix.getByTestId('interpret-turn').waitFor({ state: 'detached', timeout: 10_000 });
      await tracksSettle(
        ana,
        // Felix's track, ended with his publication, may linger in Ana's subscription until its next renewal: silent.
        (t) => t.some((x) => x.participantId === fleurId() && x.gain === 1) && !t.some((x) => x.participantId === felixId && x.gain > 0),
      );
      expect(await options(ana)).toEqual(['', 'fr']);
      expect(first.samples).toBeGreaterThan(10);
      expect(first.longestGapMs).toBeLessThanOrEqual(HANDOVER_GAP_MS);
      expect(back.longestGapMs).toBeLessThanOrEqual(HANDOVER_GAP_MS);
    },
  );
}

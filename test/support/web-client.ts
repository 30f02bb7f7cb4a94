import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs, toneFile } from './needs';

// Browser globals, for the functions this file runs inside pages (page.evaluate / waitForFunction).
declare const document: any;

export const ROOT = resolve(__dirname, '..', '..');
export const SCREENSHOTS = resolve(ROOT, 'test-artifacts', 'web');

/** The client as users get it: built by Vite into dist/web, served by the API. */
export function buildWebClient(): void {
  // Jest runs with NODE_ENV=test, which Vite would honour with React's development build.
  execFileSync('npm', ['run', '--silent', 'build:web'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (!existsSync(resolve(ROOT, 'dist', 'web', 'index.html'))) throw new Error('the web client did not build');
}

/**
 * The client built into a folder of the caller's own (served with WEB_DIR): a build of dist/web by
 * another suite meanwhile (it empties the folder first) cannot take the pages away.
 */
export function buildWebClientInto(dir: string): string {
  execFileSync(
    'npx',
    [
      'vite',
      'build',
      '--mode',
      'production',
      '--config',
      'apps/web/vite.config.mts',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (!existsSync(resolve(dir, 'index.html'))) throw new Error('the web client did not build');
  return dir;
}

/** What the Content-Security-Policy refused in any page of this test file, not yet taken by a test. */
const cspViolations: string[] = [];

/**
 * The Content-Security-Policy's refusals in pages of this test file, taken (a test that provokes one
 * on purpose, the framing test, takes it). Whatever is left fails the file (see launchChromium).
 */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

/**
 * Every context of the browser reports what the policy refuses: the `securitypolicyviolation`
 * event of each document (installed before any script of the page runs) and Chromium's
 * console messages naming a Content Security Policy directive, which also cover what no document of ours sees (a frame refused).
 */
function watchCsp(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e: any) =>
        console.error(`[csp] ${e.effectiveDirective} refused ${e.blockedURI || 'inline'} in ${e.documentURI}`),
      );
    });
    const watch = (page: Page) =>
      page.on('console', (m) => {
        const text = m.text();
        // Chromium's wording varies by version ("Refused to …", "Executing inline script violates …").
        if (text.startsWith('[csp] ') || text.includes('Content Security Policy directive')) cspViolations.push(`${page.url()}: ${text}`);
      });
    context.on('page', watch);
    return context;
  };
  return browser;
}

// A browser suite fails on any refusal of the policy none of its tests took: the built client must
// run under the policy the server sends, as people get it.
afterAll(() => {
  expect(takeCspViolations()).toEqual([]);
});

/**
 * Headless Debian Chromium with a fake camera and microphone, and no traffic of its own (no mDNS,
 * no background fetches). `tone`: the microphone plays a steady tone instead of Chromium's beep.
 */
export async function launchChromium(opts: { tone?: boolean } = {}): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return watchCsp(
    await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(opts.tone ? [`--use-file-for-fake-audio-capture=${toneFile()}`] : []),
    }),
  );
}

const AXE = readFileSync(resolve(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: the serious and critical findings. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's policy does not govern (an inline
  // <script> tag would be refused: script-src 'self').
  await page.evaluate(`${AXE}\n;undefined`);
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            ctx: unknown,
            o: object,
          ): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Waits until the locator shows (and, when given, holds the text): the page updates live. */
export async function shows(l: Locator, text?: string | RegExp, timeout = 10_000): Promise<void> {
  await l.first().waitFor({ state: 'visible', timeout });
  if (text === undefined) return;
  const end = Date.now() + timeout;
  for (;;) {
    const now = (await l.allTextContents()).join('\n');
    if (typeof text === 'string' ? now.includes(text) : text.test(now)) return;
    if (Date.now() > end) throw new Error(`expected ${String(text)} in: ${now.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

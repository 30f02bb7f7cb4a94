import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM } from './needs';

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

/** Headless Debian Chromium with a fake camera and microphone, and no traffic of its own (no mDNS, no background fetches). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
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
  await page.addScriptTag({ content: AXE });
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

import type { Locator, Page } from 'playwright-core';

// Browser globals, for the functions this file runs inside pages (page.evaluate).
declare const document: any;
declare const window: any;
declare function requestAnimationFrame(f: () => void): number;
declare const performance: { now(): number };

/**
 * Helpers of the negotiating text's browser suite (test/web-text.e2e-spec.ts). They act on the
 * page only as a person does — clicks and keys — and read it with page.evaluate.
 */

/**
 * Selects `words` in a textarea or text input with the keyboard, as a person would: a click in it,
 * Ctrl+Home, the arrow keys to the words' start, then Shift+ArrowRight over them. Returns the
 * selection the field then holds (read back), which the caller may check.
 */
export async function selectWords(field: Locator, words: string): Promise<{ start: number; end: number }> {
  const value = await field.inputValue();
  const at = value.indexOf(words);
  if (at < 0) throw new Error(`"${words}" is not in the field's value: ${JSON.stringify(value.slice(0, 200))}`);
  const page = field.page();
  await field.click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.down('Shift');
  for (let i = 0; i < words.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.up('Shift');
  return field.evaluate((e: any) => ({ start: e.selectionStart as number, end: e.selectionEnd as number }));
}

/**
 * Where the stored form of the text (`{{<segment id>}}`) shows in a page: its visible text, its
 * whole text (hidden parts included), every input's and textarea's value, and the accessible
 * names and titles of its elements. Empty when nowhere.
 */
export async function placeholdersIn(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  return page.evaluate(() => {
    const found: string[] = [];
    const body = document.body;
    if (!body) return found;
    const at = (s: string) => s.slice(Math.max(0, s.indexOf('{{') - 40), s.indexOf('{{') + 60);
    if (String(body.innerText).includes('{{')) found.push(`visible text: …${at(body.innerText)}…`);
    if (String(body.textContent).includes('{{')) found.push(`text: …${at(body.textContent)}…`);
    for (const e of document.querySelectorAll('input, textarea')) {
      const v = String(e.value ?? '');
      if (v.includes('{{')) found.push(`value of ${e.tagName.toLowerCase()} ${e.getAttribute('aria-label') ?? e.id ?? ''}: …${at(v)}…`);
    }
    for (const e of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = e.getAttribute(a);
        if (v && v.includes('{{')) found.push(`${a} of ${e.tagName.toLowerCase()}: …${at(v)}…`);
      }
    }
    return found;
  });
}

/** The text of a locator with its runs of white space made one space, trimmed. */
export async function flatText(l: Locator): Promise<string> {
  return (await l.innerText()).replace(/\s+/g, ' ').trim();
}

/**
 * Keypress → rendered latency of typing into the focused field: `keys` characters typed one by one
 * with the keyboard; for each, the time in the page from its keydown to the first frame after the
 * field's value holds it (the listener only reads: it records performance.now()). Also the time
 * each keystroke took as seen from the test (the DevTools round trip included).
 */
export async function typingLatency(page: Page, text: string): Promise<{ inPage: number[]; roundTrip: number[] }> {
  await page.evaluate(() => {
    const field = document.activeElement;
    const w = window;
    w.__typing = [];
    field.addEventListener('keydown', () => {
      const t0 = performance.now();
      const before = String(field.value).length;
      const wait = () => {
        if (String(field.value).length !== before)
          requestAnimationFrame(() => setTimeout(() => w.__typing.push(performance.now() - t0), 0));
        else requestAnimationFrame(wait);
      };
      setTimeout(wait, 0);
    });
  });
  const roundTrip: number[] = [];
  for (const ch of text) {
    const t0 = Date.now();
    await page.keyboard.type(ch);
    roundTrip.push(Date.now() - t0);
  }
  await page.waitForFunction((n: number) => window.__typing.length >= n, text.length, { timeout: 10_000 });
  const inPage = (await page.evaluate(() => window.__typing as number[])).slice(0, text.length);
  return { inPage, roundTrip };
}

/** The q-quantile (0…1) of some figures, nearest rank. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

import { ERROR_CODES, RETRYABLE_ERROR_CODES } from '@parley/contracts';
import { errorKey, errorSentence, isOutage } from './errors';
import { format } from './format';
import { ar } from './messages.ar';
import { en } from './messages.en';
import { fr } from './messages.fr';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it.each([
    ['fr', fr],
    ['ar', ar],
  ] as const)('%s has every key of English, with the same placeholders, none empty', (_, cat) => {
    expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect({ key, p: placeholders(cat[key]) }).toEqual({ key, p: placeholders(en[key]) });
      expect(cat[key].trim()).not.toBe('');
    }
  });

  it('Arabic is written in Arabic script (not left in English)', () => {
    const arabic = Object.values(ar).filter((s) => /[\u0600-\u06FF]/.test(s));
    expect(arabic.length / Object.keys(ar).length).toBeGreaterThan(0.9);
  });

  it('French differs from English where words are to be read', () => {
    const same = (Object.keys(en) as Array<keyof typeof en>).filter((k) => fr[k] === en[k] && /[a-z]{4}/.test(en[k]));
    expect(same.length).toBeLessThan(10);
  });
});

describe('error sentences', () => {
  const catalogues = { en, fr, ar } as Record<string, Record<string, string>>;

  // Read from the contract at run time: a code added to libs/contracts fails here until every
  // language has its sentence.
  it.each(Object.keys(catalogues))('%s has a sentence for every code of ERROR_CODES, and for NETWORK', (lang) => {
    const missing = [...ERROR_CODES, 'NETWORK'].filter((code) => !catalogues[lang][`error.${code}`]?.trim());
    expect(missing).toEqual([]);
  });

  it('a sentence never shows its code, an event name or a field name', () => {
    for (const [lang, cat] of Object.entries(catalogues)) {
      for (const code of ERROR_CODES) {
        const s = cat[`error.${code}`] ?? '';
        expect({ lang, code, codeShown: s.includes(code), eventName: /\b[a-z]+\.[a-z][A-Za-z]+\b/.test(s) }).toEqual({
          lang,
          code,
          codeShown: false,
          eventName: false,
        });
      }
    }
  });

  it('outages (retryable codes) say Parley retries by itself, not that something failed', () => {
    for (const code of RETRYABLE_ERROR_CODES) {
      expect(isOutage(code)).toBe(true);
      expect(en[errorKey(code)]).toMatch(/unavailable|restarting/);
      expect(en[errorKey(code)]).toMatch(/by itself/);
    }
    expect(isOutage('NETWORK')).toBe(true);
    expect(isOutage('VALIDATION_FAILED')).toBe(false);
    expect(isOutage('INTERNAL')).toBe(false);
  });

  it('looks a refusal up by code, names a known field by its label, and reads an unknown code as a plain failure', () => {
    const t = (key: string, vars?: Record<string, string | number>) => format((en as Record<string, string>)[key], vars);
    expect(errorSentence(t, { code: 'WORDING_INVALID' })).toBe(en['error.WORDING_INVALID']);
    expect(errorSentence(t, { code: 'VALIDATION_FAILED', field: 'password' })).toBe(`${en['error.VALIDATION_FAILED']} Field: Password`);
    expect(errorSentence(t, { code: 'VALIDATION_FAILED', field: 'clientMessageId' })).toBe(en['error.VALIDATION_FAILED']);
    expect(errorSentence(t, { code: 'SOMETHING_NEW_ON_THE_SERVER' })).toBe(en['error.unknown']);
  });
});

describe('format', () => {
  it('fills placeholders, repeated or not, and leaves an unknown one visible', () => {
    expect(format('{a} and {b}, {a}', { a: 1, b: 'two' })).toBe('1 and two, 1');
    expect(format('Caucus — {party}', {})).toBe('Caucus — {party}');
    expect(format('plain')).toBe('plain');
  });
});
